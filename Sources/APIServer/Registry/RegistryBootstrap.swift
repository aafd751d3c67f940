import KubeAPI

extension Registry {
    /// The objects every cluster starts with: the four system namespaces and the two system priority classes.
    static let builtins: [(group: String, plural: String, body: JSONValue)] = [
        ("", "namespaces", ["metadata": ["name": "default"]]),
        ("", "namespaces", ["metadata": ["name": "kube-system"]]),
        ("", "namespaces", ["metadata": ["name": "kube-public"]]),
        ("", "namespaces", ["metadata": ["name": "kube-node-lease"]]),
        ("scheduling.k8s.io", "priorityclasses", [
            "metadata": ["name": "system-node-critical"], "value": 2_000_001_000,
            "description": "Used for system critical pods that must not be moved from their current node.",
        ]),
        ("scheduling.k8s.io", "priorityclasses", [
            "metadata": ["name": "system-cluster-critical"], "value": 2_000_000_000,
            "description": "Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.",
        ]),
    ]

    /// Creates the built-in objects that are missing; safe to call on every start.
    /// - Throws: `StatusError` when a built-in cannot be stored (other than already existing).
    public func bootstrap() async throws {
        for builtin in Self.builtins {
            let context = try RequestContext(group: builtin.group, version: "v1", resource: builtin.plural, verb: .create,
                                             body: builtin.body.jsonBytes, contentType: "application/json")
            do {
                _ = try await createObject(try context.bodyObject(), context)
            } catch let error as StatusError where error.reason == "AlreadyExists" {
                continue
            }
        }
    }
}
