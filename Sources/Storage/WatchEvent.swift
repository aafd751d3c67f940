/// One change delivered by `watch`, in the shape of a Kubernetes watch event.
public struct WatchEvent: Sendable, Equatable {
    /// The kind of change, spelled as the Kubernetes watch protocol spells it.
    public enum Kind: String, Sendable {
        case added = "ADDED"
        case modified = "MODIFIED"
        case deleted = "DELETED"
    }

    /// The kind of change.
    public var kind: Kind
    /// The key that changed.
    public var key: String
    /// The revision of this change (the new `resourceVersion`; for a delete, the revision of the delete).
    public var revision: Int64
    /// The value after the change; `nil` for `.deleted`.
    public var value: KeyValue?
    /// The value before the change; `nil` for `.added`. For `.deleted` it is the object that was removed.
    public var previous: KeyValue?

    /// Creates an event.
    /// - Parameters:
    ///   - kind: added, modified or deleted.
    ///   - key: the key that changed.
    ///   - revision: the revision of the change.
    ///   - value: the value after the change.
    ///   - previous: the value before the change.
    public init(kind: Kind, key: String, revision: Int64, value: KeyValue?, previous: KeyValue?) {
        self.kind = kind
        self.key = key
        self.revision = revision
        self.value = value
        self.previous = previous
    }
}
