import KubeAPI

/// Reads one object by namespace and name (namespace "" for cluster-scoped kinds); nil when it does not exist or
/// cannot be read. Authenticators take these instead of a `Registry`, so they are testable with a dictionary.
public typealias ObjectLookup = @Sendable (_ namespace: String, _ name: String) async -> JSONValue?

extension Registry {
    /// A lookup of one resource's objects straight from the store. A storage failure reads as "absent", which
    /// makes an authenticator refuse the credential rather than accept it unchecked.
    /// - Parameters:
    ///   - group: the API group, "" for core.
    ///   - version: the version.
    ///   - resource: the plural resource name, e.g. "secrets".
    public func objectLookup(group: String = "", version: String = "v1", resource: String) -> ObjectLookup {
        guard let info = ResourceTable.resource(group: group, version: version, plural: resource) else {
            return { _, _ in nil }
        }
        return { [self] namespace, name in
            guard !name.isEmpty else { return nil }
            let key = ResourceKeys.key(info, namespace: info.namespaced ? namespace : nil, name: name)
            return try? await read(key)?.object
        }
    }
}
