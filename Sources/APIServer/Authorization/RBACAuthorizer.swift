/// Role-based access control (upstream `rbac.RBACAuthorizer`): a request is allowed when any rule of any role bound
/// to the user (by name, group or service account) allows it; otherwise it has no opinion.
///
/// `system:masters` is all-powerful the upstream way, through the `cluster-admin` ClusterRoleBinding; the union in
/// front of it also carries `PrivilegedGroupAuthorizer`, as kube-apiserver does, for when that binding is gone.
public final class RBACAuthorizer: Authorizer {
    private let snapshot: @Sendable () -> RBACPolicySnapshot

    /// Reads the live policy from a cache that follows the store.
    public init(cache: RBACPolicyCache) {
        snapshot = { cache.snapshot }
    }

    /// A fixed policy, e.g. for tests or tools.
    public init(snapshot: RBACPolicySnapshot) {
        self.snapshot = { snapshot }
    }

    /// The policy as of now.
    var currentSnapshot: RBACPolicySnapshot { snapshot() }

    public func authorize(_ attributes: AuthorizationAttributes) async -> AuthorizationDecision {
        let (ruleSets, errors) = snapshot().rules(for: attributes.user, namespace: attributes.namespace)
        for rules in ruleSets where rules.contains(where: { $0.allows(attributes) }) {
            return .allow
        }
        // Upstream reports unresolvable bindings as `RBAC: <aggregate error>` after the 403 message.
        guard !errors.isEmpty else { return .noOpinion("") }
        return .noOpinion("RBAC: " + (errors.count == 1 ? errors[0] : "[" + errors.joined(separator: ", ") + "]"))
    }
}
