import KubeAPI

/// Where objects live in the store. Core resources use upstream's etcd layout (`/registry/pods/<ns>/<name>`);
/// named groups add the group so two groups' same-named plurals never share a prefix.
enum ResourceKeys {
    /// The prefix of every object of a resource (all namespaces), ending in "/".
    static func prefix(_ info: APIResourceInfo) -> String {
        info.group.isEmpty ? "/registry/\(info.plural)/" : "/registry/\(info.group)/\(info.plural)/"
    }

    /// The prefix of one namespace's objects, or of all objects when `namespace` is nil or the kind is cluster-scoped.
    static func prefix(_ info: APIResourceInfo, namespace: String?) -> String {
        guard info.namespaced, let namespace, !namespace.isEmpty else { return prefix(info) }
        return prefix(info) + namespace + "/"
    }

    /// The key of one object.
    static func key(_ info: APIResourceInfo, namespace: String?, name: String) -> String {
        info.namespaced ? prefix(info) + (namespace ?? "") + "/" + name : prefix(info) + name
    }
}
