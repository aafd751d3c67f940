/// Asks authorizers in order; the first `allow` or `deny` wins (upstream `union.New`). When nobody decides, the
/// answer is `noOpinion` with the non-empty reasons joined by newlines, which the 403 message carries.
public struct UnionAuthorizer: Authorizer {
    public let authorizers: [any Authorizer]

    public init(_ authorizers: [any Authorizer]) {
        self.authorizers = authorizers
    }

    /// The chain kube-apiserver builds for `--authorization-mode=Node,RBAC`: the `system:masters` short-circuit
    /// (upstream adds it in front whenever RBAC is enabled), then the Node authorizer, then RBAC.
    public static func nodeAndRBAC(node: NodeAuthorizer, rbac: RBACAuthorizer) -> UnionAuthorizer {
        UnionAuthorizer([PrivilegedGroupAuthorizer(), node, rbac])
    }

    public func authorize(_ attributes: AuthorizationAttributes) async -> AuthorizationDecision {
        var reasons: [String] = []
        for authorizer in authorizers {
            let decision = await authorizer.authorize(attributes)
            switch decision {
            case .allow, .deny:
                return decision
            case .noOpinion(let reason):
                if !reason.isEmpty { reasons.append(reason) }
            }
        }
        return .noOpinion(reasons.joined(separator: "\n"))
    }
}

/// Allows every request of a member of the given groups (upstream `authorizerfactory.NewPrivilegedGroups`, placed
/// first when RBAC is on). It makes `system:masters` all-powerful even if the cluster-admin binding was deleted or
/// the policy cache has not loaded yet.
public struct PrivilegedGroupAuthorizer: Authorizer {
    public let groups: Set<String>

    public init(groups: Set<String> = [WellKnownGroups.masters]) {
        self.groups = groups
    }

    public func authorize(_ attributes: AuthorizationAttributes) async -> AuthorizationDecision {
        attributes.user.groups.contains(where: groups.contains) ? .allow : .noOpinion("")
    }
}

/// Group and user names the policy refers to (upstream `k8s.io/apiserver/pkg/authentication/user` constants).
public enum WellKnownGroups {
    public static let masters = "system:masters"
    public static let nodes = "system:nodes"
    public static let monitoring = "system:monitoring"
    public static let authenticated = "system:authenticated"
    public static let unauthenticated = "system:unauthenticated"
    public static let serviceAccounts = "system:serviceaccounts"
    public static let bootstrappers = "system:bootstrappers"
}
