import KubeAPI

/// One consistent view of every Role, ClusterRole, RoleBinding and ClusterRoleBinding, indexed for the authorizer.
///
/// Immutable: the cache builds a new one per change and swaps it in, so an authorization never sees half an update
/// and never takes a lock longer than a pointer copy.
public struct RBACPolicySnapshot: Sendable {
    /// Effective rules per ClusterRole name (aggregated roles already resolved).
    let clusterRoleRules: [String: [PolicyRule]]
    /// Rules per Role, keyed `namespace/name`.
    let roleRules: [String: [PolicyRule]]
    /// ClusterRoleBinding role refs by subject.
    let clusterBindings: [SubjectKey: [BindingEntry]]
    /// RoleBinding role refs by namespace, then by subject.
    let namespaceBindings: [String: [SubjectKey: [BindingEntry]]]
    /// The store revision this snapshot reflects (0 for one built from literals).
    public let revision: Int64

    struct BindingEntry: Sendable {
        let bindingName: String
        let roleRef: RoleRef
    }

    public static let empty = RBACPolicySnapshot(clusterRoles: [], roles: [], clusterRoleBindings: [], roleBindings: [])

    /// Builds the indexes from API objects.
    /// - Parameters:
    ///   - clusterRoles: ClusterRole objects; those with an `aggregationRule` get the rules of every ClusterRole
    ///     their selectors match. Upstream's clusterrole-aggregation controller writes those rules into the stored
    ///     object; we compute them here instead, so the effect is immediate and nothing needs write access.
    ///   - roles, clusterRoleBindings, roleBindings: the other kinds (roles and role bindings carry their namespace).
    public init(clusterRoles: [JSONValue], roles: [JSONValue], clusterRoleBindings: [JSONValue],
                roleBindings: [JSONValue], revision: Int64 = 0) {
        self.revision = revision
        clusterRoleRules = Self.aggregate(clusterRoles)
        var roleRules: [String: [PolicyRule]] = [:]
        for role in roles {
            let key = (role.metadata.namespace ?? "") + "/" + (role.metadata.name ?? "")
            roleRules[key] = Self.rules(of: role)
        }
        self.roleRules = roleRules
        var cluster: [SubjectKey: [BindingEntry]] = [:]
        for binding in clusterRoleBindings {
            Self.index(binding, namespace: "", into: &cluster)
        }
        clusterBindings = cluster
        var namespaced: [String: [SubjectKey: [BindingEntry]]] = [:]
        for binding in roleBindings {
            let namespace = binding.metadata.namespace ?? ""
            Self.index(binding, namespace: namespace, into: &namespaced[namespace, default: [:]])
        }
        namespaceBindings = namespaced
    }

    static func rules(of role: JSONValue) -> [PolicyRule] {
        role["rules"]?.array?.map(PolicyRule.init(json:)) ?? []
    }

    static func index(_ binding: JSONValue, namespace: String, into index: inout [SubjectKey: [BindingEntry]]) {
        guard let roleRef = RoleRef(json: binding["roleRef"]) else { return }
        let entry = BindingEntry(bindingName: binding.metadata.name ?? "", roleRef: roleRef)
        var seen = Set<SubjectKey>()
        for subject in binding["subjects"]?.array?.compactMap(RBACSubject.init(json:)) ?? [] {
            guard let key = subject.indexKey(bindingNamespace: namespace), seen.insert(key).inserted else { continue }
            index[key, default: []].append(entry)
        }
    }

    /// Resolves aggregation to a fixed point: `admin` aggregates `edit`, which aggregates `view`, so one pass is not
    /// enough. Matching roles are taken in name order and rules deduplicated, as the upstream controller does.
    static func aggregate(_ clusterRoles: [JSONValue]) -> [String: [PolicyRule]] {
        var rules: [String: [PolicyRule]] = [:]
        var selectors: [String: [LabelSelector]] = [:]
        var objects: [String: JSONValue] = [:]
        for role in clusterRoles {
            let name = role.metadata.name ?? ""
            rules[name] = Self.rules(of: role)
            objects[name] = role
            if let terms = role[path: ["aggregationRule", "clusterRoleSelectors"]]?.array {
                // An unparsable selector selects nothing rather than everything.
                selectors[name] = terms.map { (try? LabelSelector(apiSelector: $0)) ?? .nothing }
            }
        }
        let names = objects.keys.sorted()
        // Each round can only add rules; the bound stops a pathological cycle.
        for _ in 0..<(selectors.count + 1) {
            var changed = false
            for (name, terms) in selectors {
                var merged: [PolicyRule] = []
                for other in names where other != name {
                    guard let object = objects[other], terms.contains(where: { $0.matches(object: object) }) else { continue }
                    for rule in rules[other] ?? [] where !merged.contains(rule) { merged.append(rule) }
                }
                if merged != rules[name] {
                    rules[name] = merged
                    changed = true
                }
            }
            if !changed { break }
        }
        return rules
    }

    /// Every rule that applies to `user` in `namespace` ("" for cluster scope), and the reasons bindings could not be
    /// followed (a binding to a missing role), which upstream reports in the 403 reason as `RBAC: ...`.
    func rules(for user: UserInfo, namespace: String) -> (rules: [[PolicyRule]], errors: [String]) {
        var result: [[PolicyRule]] = []
        var errors: [String] = []
        let keys = SubjectKey.keys(for: user)
        for key in keys {
            for entry in clusterBindings[key] ?? [] {
                if let rules = clusterRoleRules[entry.roleRef.name], entry.roleRef.kind == "ClusterRole" {
                    result.append(rules)
                } else {
                    errors.append("clusterrole.rbac.authorization.k8s.io \(quoted(entry.roleRef.name)) not found")
                }
            }
        }
        guard !namespace.isEmpty, let index = namespaceBindings[namespace] else { return (result, errors) }
        for key in keys {
            for entry in index[key] ?? [] {
                let found: [PolicyRule]?
                switch entry.roleRef.kind {
                case "ClusterRole": found = clusterRoleRules[entry.roleRef.name]
                case "Role": found = roleRules[namespace + "/" + entry.roleRef.name]
                default: found = nil
                }
                if let found {
                    result.append(found)
                } else {
                    errors.append("\(entry.roleRef.kind.lowercased()).rbac.authorization.k8s.io "
                        + "\(quoted(entry.roleRef.name)) not found")
                }
            }
        }
        return (result, errors)
    }

    /// The effective rules of a ClusterRole (after aggregation), for tests and diagnostics.
    public func clusterRole(_ name: String) -> [PolicyRule]? { clusterRoleRules[name] }
}
