/// A small revisioned storage seam, shaped like kine's backend (`pkg/server/types.go`): every write gets the next
/// value of one global, gap-free revision, and that revision is what the API server hands out as `resourceVersion`.
///
/// Implementations must be safe to call from many tasks at once. Cancelling a task that awaits a write does not
/// cancel the write: once submitted it commits or fails as a whole, exactly as if the caller had waited. The API server depends only on this protocol, so a
/// backend can be swapped (SQLite today, etcd for HA later) without touching handlers; `StorageTests` runs one
/// conformance suite against every implementation.
public protocol StorageBackend: Sendable {
    /// The revision of the newest acknowledged write (0 for an empty store).
    func currentRevision() async throws -> Int64

    /// The highest revision passed to `compact(_:)`; lists and watches below it fail with `.compacted`.
    func compactedRevision() async throws -> Int64

    /// Reads the live value of `key`.
    /// - Parameter key: the full key, e.g. `/registry/pods/default/nginx`.
    /// - Returns: the value and its revisions, or `nil` when the key does not exist (or was deleted).
    func get(_ key: String) async throws -> KeyValue?

    /// Lists the live keys under a prefix from one consistent snapshot, in key order.
    /// - Parameters:
    ///   - prefix: keys starting with these bytes are returned; the empty prefix lists everything.
    ///   - limit: the page size; 0 means no limit.
    ///   - continueToken: the `continueToken` of the previous page; the page is then read at that page's revision.
    ///   - revision: read the state as of this revision instead of the newest one (fails with `.compacted` below the
    ///     compacted revision and with `.futureRevision` above the current one).
    func list(prefix: String, limit: Int, continueToken: String?, revision: Int64?) async throws -> ListResult

    /// Creates `key`; fails with `.keyExists` when it is live.
    /// - Returns: the stored value with `createRevision == modRevision ==` the new revision.
    func create(_ key: String, value: [UInt8]) async throws -> KeyValue

    /// Replaces the value of `key` if its mod revision is still `expectedRevision` (compare-and-swap).
    /// - Parameter expectedRevision: the `modRevision` the caller read; `nil` updates unconditionally.
    /// - Throws: `.notFound` when the key is absent, `.conflict` (with the current revision) when it changed.
    func update(_ key: String, value: [UInt8], expectedRevision: Int64?) async throws -> KeyValue

    /// Deletes `key` if its mod revision is still `expectedRevision`.
    /// - Parameter expectedRevision: the `modRevision` the caller read; `nil` deletes unconditionally.
    /// - Returns: the revision of the delete and the value that was deleted.
    func delete(_ key: String, expectedRevision: Int64?) async throws -> DeleteResult

    /// Streams every change under `prefix` after `revision`: first the stored history (revision + 1 ...), then live
    /// changes as they commit, in revision order, with no gap and no duplicate.
    ///
    /// A watcher that falls too far behind is ended with `.watcherTooSlow` and must list again; cancelling the
    /// consuming task ends the sequence and frees the watcher.
    /// - Throws: `.compacted` when `revision` is below the compacted revision.
    func watch(prefix: String, afterRevision revision: Int64) async throws -> WatchStream

    /// Drops history at or below `revision` that no read at `revision` or later can see (superseded values and
    /// deletions), then returns the freed pages to the file system.
    func compact(_ revision: Int64) async throws

    /// Finishes queued writes, ends every watch with `.closed` and releases the database.
    func close() async
}

extension StorageBackend {
    /// Lists every live key under `prefix` at the newest revision.
    public func list(prefix: String) async throws -> ListResult {
        try await list(prefix: prefix, limit: 0, continueToken: nil, revision: nil)
    }
}
