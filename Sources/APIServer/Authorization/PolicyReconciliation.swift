import KubeAPI

/// How a stored RBAC object is brought up to date with the bootstrap policy (upstream
/// `pkg/registry/rbac/reconciliation`, in its non-destructive mode): missing rules, subjects, aggregation
/// selectors, labels and annotations are added; nothing an administrator added is removed; an object annotated
/// `rbac.authorization.kubernetes.io/autoupdate: "false"` is left alone.
enum PolicyReconciliation {
    /// What to do with an existing object.
    enum Action: Equatable {
        case keep
        case update(JSONValue)
        /// The binding's `roleRef` differs; it is immutable, so the binding is deleted and created again.
        case recreate(JSONValue)
    }

    static func autoupdateDisabled(_ object: JSONValue) -> Bool {
        object.metadata.annotations[PolicyObjects.autoupdateKey] == "false"
    }

    /// Reconciles a Role or ClusterRole.
    static func role(existing: JSONValue, expected: JSONValue) -> Action {
        guard !autoupdateDisabled(existing) else { return .keep }
        var result = mergingMetadata(existing, expected)
        let existingRules = RBACPolicySnapshot.rules(of: existing)
        let missing = PolicyRule.uncovered(RBACPolicySnapshot.rules(of: expected), by: existingRules)
        if !missing.isEmpty {
            result["rules"] = .array((existingRules + missing).map(\.json))
        }
        let wantedSelectors = expected[path: ["aggregationRule", "clusterRoleSelectors"]]?.array ?? []
        if !wantedSelectors.isEmpty {
            var selectors = existing[path: ["aggregationRule", "clusterRoleSelectors"]]?.array ?? []
            for selector in wantedSelectors where !selectors.contains(selector) { selectors.append(selector) }
            result[path: ["aggregationRule", "clusterRoleSelectors"]] = .array(selectors)
        }
        return result == existing ? .keep : .update(result)
    }

    /// Reconciles a RoleBinding or ClusterRoleBinding.
    static func binding(existing: JSONValue, expected: JSONValue) -> Action {
        guard !autoupdateDisabled(existing) else { return .keep }
        var result = mergingMetadata(existing, expected)
        var subjects = existing["subjects"]?.array ?? []
        let have = Set(subjects.compactMap(RBACSubject.init(json:)))
        for subject in expected["subjects"]?.array ?? [] {
            guard let parsed = RBACSubject(json: subject), !have.contains(parsed) else { continue }
            subjects.append(subject)
        }
        if subjects != (existing["subjects"]?.array ?? []) { result["subjects"] = .array(subjects) }
        if RoleRef(json: existing["roleRef"]) != RoleRef(json: expected["roleRef"]) {
            result["roleRef"] = expected["roleRef"]
            return .recreate(result)
        }
        return result == existing ? .keep : .update(result)
    }

    /// `existing` with the expected labels and annotations added where the key is missing.
    static func mergingMetadata(_ existing: JSONValue, _ expected: JSONValue) -> JSONValue {
        var result = existing
        for field in ["labels", "annotations"] {
            guard let wanted = expected[path: ["metadata", field]]?.object, !wanted.isEmpty else { continue }
            var merged = existing[path: ["metadata", field]]?.object ?? [:]
            for (key, value) in wanted where merged[key] == nil { merged[key] = value }
            result[path: ["metadata", field]] = .object(merged)
        }
        return result
    }
}
