/// The one error type of the storage seam; the API server maps `code` to an HTTP status.
public struct StorageError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong.
    public enum Code: String, Sendable, Equatable {
        /// `create` of a key that is live (409 AlreadyExists).
        case keyExists
        /// `update`/`delete` of a key that does not exist (404 NotFound).
        case notFound
        /// The compare-and-swap failed: the key's mod revision is not the expected one (409 Conflict).
        case conflict
        /// The requested revision is below the compacted revision ("too old", 410 Gone).
        case compacted
        /// The requested revision is above the current revision.
        case futureRevision
        /// A continue token that this store did not issue.
        case invalidContinueToken
        /// A watcher fell too far behind and was cut off; list again and watch from the list's revision.
        case watcherTooSlow
        /// The store was closed.
        case closed
        /// SQLite (or the file system) failed; `message` carries SQLite's text.
        case io
    }

    /// What went wrong.
    public var code: Code
    /// The key the operation was about, if any.
    public var key: String?
    /// For `.conflict` the key's current mod revision; for `.compacted` the compacted revision; for
    /// `.futureRevision` the current revision.
    public var revision: Int64?
    /// Human-readable detail (SQLite's message for `.io`).
    public var message: String

    /// Creates an error.
    /// - Parameters:
    ///   - code: the kind of failure.
    ///   - key: the key involved, if any.
    ///   - revision: the revision context (see `revision`).
    ///   - message: detail for people.
    public init(_ code: Code, key: String? = nil, revision: Int64? = nil, message: String = "") {
        self.code = code
        self.key = key
        self.revision = revision
        self.message = message
    }

    public var description: String {
        var text = "storage: \(code.rawValue)"
        if let key { text += " key=\(key)" }
        if let revision { text += " revision=\(revision)" }
        if !message.isEmpty { text += ": \(message)" }
        return text
    }
}
