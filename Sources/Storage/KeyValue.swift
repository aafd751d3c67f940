/// One stored value together with the revisions the API server turns into metadata.
public struct KeyValue: Sendable, Hashable {
    /// The full key, e.g. `/registry/pods/default/nginx`.
    public var key: String
    /// The stored bytes (an object's JSON).
    public var value: [UInt8]
    /// The revision of the write that created this incarnation of the key.
    public var createRevision: Int64
    /// The revision of the last write to the key; this is the object's `resourceVersion`.
    public var modRevision: Int64

    /// Creates a value.
    /// - Parameters:
    ///   - key: the full key.
    ///   - value: the stored bytes.
    ///   - createRevision: the revision that created the key.
    ///   - modRevision: the revision of the last write.
    public init(key: String, value: [UInt8], createRevision: Int64, modRevision: Int64) {
        self.key = key
        self.value = value
        self.createRevision = createRevision
        self.modRevision = modRevision
    }
}

/// One page of a list.
public struct ListResult: Sendable, Equatable {
    /// The live values in key order.
    public var items: [KeyValue]
    /// The revision the page was read at; it is the list's `resourceVersion` and the place to start a watch.
    public var revision: Int64
    /// Pass to the next `list` call to get the following page; `nil` on the last page.
    public var continueToken: String?

    /// Creates a page.
    /// - Parameters:
    ///   - items: the values in key order.
    ///   - revision: the snapshot revision.
    ///   - continueToken: the token for the next page, if any.
    public init(items: [KeyValue], revision: Int64, continueToken: String?) {
        self.items = items
        self.revision = revision
        self.continueToken = continueToken
    }
}

/// What a delete removed.
public struct DeleteResult: Sendable, Equatable {
    /// The revision of the delete itself.
    public var revision: Int64
    /// The value as it was just before the delete.
    public var deleted: KeyValue

    /// Creates a delete result.
    /// - Parameters:
    ///   - revision: the revision of the delete.
    ///   - deleted: the value that was removed.
    public init(revision: Int64, deleted: KeyValue) {
        self.revision = revision
        self.deleted = deleted
    }
}

/// The continue token of a paged list: the snapshot revision and the last key returned, so that every page of one
/// list reads the same snapshot (as the API server's continue tokens do).
struct ContinueToken: Equatable {
    var revision: Int64
    var lastKey: String

    /// `<revision>:<lastKey>`; the key may itself contain `:`, so only the first one separates.
    var encoded: String { "\(revision):\(lastKey)" }

    init(revision: Int64, lastKey: String) {
        self.revision = revision
        self.lastKey = lastKey
    }

    init?(_ text: String) {
        guard let colon = text.firstIndex(of: ":"), let revision = Int64(text[..<colon]), revision >= 0 else {
            return nil
        }
        self.revision = revision
        self.lastKey = String(text[text.index(after: colon)...])
    }
}
