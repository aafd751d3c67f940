import KubeAPI

/// A change the informer delivers to its handlers, after the cache already reflects it.
public enum InformerEvent: Sendable {
    case added(JSONValue)
    /// Also delivered with `old == new` on a periodic resync, so level-triggered controllers re-check everything.
    case updated(old: JSONValue, new: JSONValue)
    /// The object's last known state (for a delete missed while the watch was down: the cached state).
    case deleted(JSONValue)

    /// The object the event is about (the new state for updates).
    public var object: JSONValue {
        switch self {
        case .added(let object), .deleted(let object), .updated(_, let object): object
        }
    }

    /// The cache key of the object, the usual work-queue item.
    public var key: String { ObjectCache.key(for: object) }
}
