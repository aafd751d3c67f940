import KubeAPI

/// Compact spellings for the policy tables. Lists are sorted and deduplicated, as upstream's rule builder (which
/// keeps them in string sets) does, so the objects match upstream's testdata exactly.
enum Rules {
    static let read = ["get", "list", "watch"]
    static let write = ["create", "update", "patch", "delete", "deletecollection"]
    static let readWrite = read + write
    static let readUpdate = ["get", "list", "watch", "update", "patch"]

    static let core = ""
    static let apps = "apps"
    static let authentication = "authentication.k8s.io"
    static let authorization = "authorization.k8s.io"
    static let autoscaling = "autoscaling"
    static let batch = "batch"
    static let certificates = "certificates.k8s.io"
    static let coordination = "coordination.k8s.io"
    static let discovery = "discovery.k8s.io"
    static let events = "events.k8s.io"
    static let extensions = "extensions"
    static let networking = "networking.k8s.io"
    static let policy = "policy"
    static let rbac = "rbac.authorization.k8s.io"
    static let storage = "storage.k8s.io"
    static let admissionRegistration = "admissionregistration.k8s.io"

    /// A resource rule.
    static func rule(_ verbs: [String], _ groups: [String], _ resources: [String], names: [String] = []) -> PolicyRule {
        PolicyRule(verbs: sorted(verbs), apiGroups: sorted(groups), resources: sorted(resources),
                   resourceNames: sorted(names))
    }

    /// A resource rule in one group.
    static func rule(_ verbs: [String], _ group: String, _ resources: [String], names: [String] = []) -> PolicyRule {
        rule(verbs, [group], resources, names: names)
    }

    /// A non-resource rule.
    static func urls(_ verbs: [String], _ urls: [String]) -> PolicyRule {
        PolicyRule(verbs: sorted(verbs), nonResourceURLs: sorted(urls))
    }

    /// Controllers and components record events in both event APIs (upstream `eventsRule()`).
    static let eventsRule = rule(["create", "update", "patch"], [core, events], ["events"])

    static func sorted(_ values: [String]) -> [String] { Array(Set(values)).sorted() }
}

/// How the tables turn into API objects.
enum PolicyObjects {
    static let apiVersion: JSONValue = "rbac.authorization.k8s.io/v1"
    /// Upstream labels and annotates every bootstrap object; the annotation opts it into reconciliation.
    static let bootstrapLabels: JSONValue = ["kubernetes.io/bootstrapping": "rbac-defaults"]
    static let autoupdateKey = "rbac.authorization.kubernetes.io/autoupdate"

    static func metadata(_ name: String, namespace: String? = nil, labels: [String: String] = [:],
                         bootstrap: Bool) -> JSONValue {
        var metadata: JSONValue = ["name": .string(name)]
        if let namespace { metadata["namespace"] = .string(namespace) }
        var allLabels = bootstrap ? bootstrapLabels : .emptyObject
        for (key, value) in labels.sorted(by: { $0.key < $1.key }) { allLabels[key] = .string(value) }
        if allLabels.object?.isEmpty == false { metadata["labels"] = allLabels }
        if bootstrap { metadata["annotations"] = [autoupdateKey: "true"] }
        return metadata
    }

    static func clusterRole(_ name: String, labels: [String: String] = [:], aggregateFrom: [String] = [],
                            bootstrap: Bool = true, _ rules: [PolicyRule]) -> JSONValue {
        var object: JSONValue = ["apiVersion": apiVersion, "kind": "ClusterRole",
                                 "metadata": metadata(name, labels: labels, bootstrap: bootstrap)]
        if !aggregateFrom.isEmpty {
            object["aggregationRule"] = ["clusterRoleSelectors": .array(aggregateFrom.map { label in
                ["matchLabels": [label: "true"]]
            })]
        }
        object["rules"] = .array(rules.map(\.json))
        return object
    }

    static func role(_ name: String, namespace: String, bootstrap: Bool = true, _ rules: [PolicyRule]) -> JSONValue {
        ["apiVersion": apiVersion, "kind": "Role", "metadata": metadata(name, namespace: namespace, bootstrap: bootstrap),
         "rules": .array(rules.map(\.json))]
    }

    static func clusterRoleBinding(_ name: String, role: String? = nil, bootstrap: Bool = true,
                                   _ subjects: [RBACSubject]) -> JSONValue {
        ["apiVersion": apiVersion, "kind": "ClusterRoleBinding", "metadata": metadata(name, bootstrap: bootstrap),
         "roleRef": RoleRef(kind: "ClusterRole", name: role ?? name).json, "subjects": .array(subjects.map(\.json))]
    }

    static func roleBinding(_ name: String, namespace: String, role: String? = nil, roleKind: String = "Role",
                            bootstrap: Bool = true, _ subjects: [RBACSubject]) -> JSONValue {
        ["apiVersion": apiVersion, "kind": "RoleBinding",
         "metadata": metadata(name, namespace: namespace, bootstrap: bootstrap),
         "roleRef": RoleRef(kind: roleKind, name: role ?? name).json, "subjects": .array(subjects.map(\.json))]
    }
}

/// Subject shorthands.
extension RBACSubject {
    static func user(_ name: String) -> RBACSubject { RBACSubject(.user, name) }
    static func group(_ name: String) -> RBACSubject { RBACSubject(.group, name) }
    static func serviceAccount(_ namespace: String, _ name: String) -> RBACSubject {
        RBACSubject(.serviceAccount, name, namespace: namespace)
    }
}
