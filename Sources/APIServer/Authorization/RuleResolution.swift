/// The rules an authorizer would apply to a user in a namespace, for SelfSubjectRulesReview (`kubectl auth can-i
/// --list`). Upstream calls this a `RuleResolver`.
public struct ResolvedRules: Sendable {
    public var rules: [PolicyRule]
    /// Set when some authorizer decides by more than rules (the Node authorizer's graph), so the list may be short.
    public var incomplete: Bool
    public var errors: [String]

    public init(rules: [PolicyRule] = [], incomplete: Bool = false, errors: [String] = []) {
        self.rules = rules; self.incomplete = incomplete; self.errors = errors
    }
}

/// Authorizers that can list what they would allow.
public protocol RuleResolver: Sendable {
    func rules(for user: UserInfo, namespace: String) async -> ResolvedRules
}

extension RBACAuthorizer: RuleResolver {
    public func rules(for user: UserInfo, namespace: String) async -> ResolvedRules {
        let (ruleSets, errors) = currentSnapshot.rules(for: user, namespace: namespace)
        return ResolvedRules(rules: ruleSets.flatMap { $0 }, errors: errors)
    }
}

extension PrivilegedGroupAuthorizer: RuleResolver {
    /// Everything, for members (upstream's privileged-groups authorizer answers the same two rules).
    public func rules(for user: UserInfo, namespace: String) async -> ResolvedRules {
        guard user.groups.contains(where: groups.contains) else { return ResolvedRules() }
        return ResolvedRules(rules: [PolicyRule(verbs: ["*"], apiGroups: ["*"], resources: ["*"]),
                                     PolicyRule(verbs: ["*"], nonResourceURLs: ["*"])])
    }
}

extension NodeAuthorizer: RuleResolver {
    /// The Node authorizer decides from the pod graph, not from rules: say the list is incomplete for nodes.
    public func rules(for user: UserInfo, namespace: String) async -> ResolvedRules {
        ResolvedRules(incomplete: NodeIdentity.nodeName(of: user) != nil)
    }
}

extension UnionAuthorizer: RuleResolver {
    public func rules(for user: UserInfo, namespace: String) async -> ResolvedRules {
        var all = ResolvedRules()
        for case let resolver as any RuleResolver in authorizers {
            let resolved = await resolver.rules(for: user, namespace: namespace)
            all.rules += resolved.rules
            all.incomplete = all.incomplete || resolved.incomplete
            all.errors += resolved.errors
        }
        return all
    }
}
