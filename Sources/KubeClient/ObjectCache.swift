import KubeAPI

/// The informer's local copy of a collection, keyed `namespace/name` (or `name` for cluster-scoped objects), as
/// client-go's thread-safe store with `MetaNamespaceKeyFunc`. Reads never touch the network.
public final class ObjectCache: Sendable {
    private let items = LockedValue<[String: JSONValue]>([:])

    public init() {}

    /// client-go's `MetaNamespaceKeyFunc`: "namespace/name", or "name" without a namespace.
    public static func key(for object: JSONValue) -> String {
        key(namespace: object.metadata.namespace, name: object.metadata.name ?? "")
    }

    public static func key(namespace: String?, name: String) -> String {
        guard let namespace, !namespace.isEmpty else { return name }
        return namespace + "/" + name
    }

    /// Splits a key back into namespace (nil for cluster-scoped) and name.
    public static func split(key: String) -> (namespace: String?, name: String) {
        guard let slash = key.firstIndex(of: "/") else { return (nil, key) }
        return (String(key[..<slash]), String(key[key.index(after: slash)...]))
    }

    public func get(_ key: String) -> JSONValue? { items.withLock { $0[key] } }

    public func get(namespace: String?, name: String) -> JSONValue? { get(Self.key(namespace: namespace, name: name)) }

    /// Every object, in key order (stable, so callers that iterate produce reproducible output).
    public var list: [JSONValue] { items.withLock { $0.sorted { $0.key < $1.key }.map(\.value) } }

    /// The objects of one namespace.
    public func list(namespace: String) -> [JSONValue] { list.filter { $0.metadata.namespace == namespace } }

    public var keys: [String] { items.withLock { $0.keys.sorted() } }

    public var count: Int { items.withLock { $0.count } }

    /// Stores an object; returns the previous version.
    @discardableResult
    func upsert(_ object: JSONValue) -> JSONValue? {
        let key = Self.key(for: object)
        return items.withLock { $0.updateValue(object, forKey: key) }
    }

    /// Removes an object; returns what was cached.
    @discardableResult
    func remove(_ object: JSONValue) -> JSONValue? {
        let key = Self.key(for: object)
        return items.withLock { $0.removeValue(forKey: key) }
    }

    /// Replaces everything with a fresh list and returns the changes a relist implies: objects that appeared,
    /// changed (by resourceVersion) or disappeared while the watch was down.
    func replace(with objects: [JSONValue]) -> [InformerEvent] {
        var fresh: [String: JSONValue] = [:]
        for object in objects { fresh[Self.key(for: object)] = object }
        return items.withLock { current in
            var events: [InformerEvent] = []
            for (key, object) in fresh.sorted(by: { $0.key < $1.key }) {
                if let old = current[key] {
                    if old.metadata.resourceVersion != object.metadata.resourceVersion {
                        events.append(.updated(old: old, new: object))
                    }
                } else {
                    events.append(.added(object))
                }
            }
            for (key, old) in current.sorted(by: { $0.key < $1.key }) where fresh[key] == nil {
                events.append(.deleted(old))
            }
            current = fresh
            return events
        }
    }
}
