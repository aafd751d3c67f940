import Foundation

/// The embedded `StorageBackend`: a kine-style revision log in one SQLite file (WAL, `synchronous = FULL`),
/// written by one group-committing thread, read through a small pool of snapshot readers, with in-process watch
/// fan-out.
///
/// Open it once per file and share the instance: watchers are fed by this instance's writer (there is no polling),
/// so a second writer would go unseen. An exclusive `flock` on `<path>.lock` enforces that; a second open fails.
public final class SQLiteStore: StorageBackend {
    /// Tuning knobs; the defaults suit the API server.
    public struct Options: Sendable {
        /// Read connections for `get`, `list` and watch replay.
        public var readConnections: Int
        /// Live events a watcher may have pending before it is cut off with `.watcherTooSlow`.
        public var watchBuffer: Int
        /// Most writes committed in one transaction (bounds the latency a single batch adds).
        public var maxBatch: Int
        /// Revisions compacted per transaction; writes queued meanwhile commit between steps.
        public var compactionStep: Int

        /// Creates options.
        /// - Parameters:
        ///   - readConnections: read connections (at least 1).
        ///   - watchBuffer: per-watcher live event budget.
        ///   - maxBatch: most writes per group commit.
        ///   - compactionStep: revisions compacted per transaction.
        public init(
            readConnections: Int = 4, watchBuffer: Int = 10_000, maxBatch: Int = 1_024, compactionStep: Int = 5_000
        ) {
            self.readConnections = readConnections
            self.watchBuffer = watchBuffer
            self.maxBatch = maxBatch
            self.compactionStep = compactionStep
        }
    }

    /// The database file.
    public let path: String
    private let options: Options
    private let writer: GroupCommitWriter
    private let readers: ReadPool
    private let hub: WatchHub
    private let lock: FileLock

    /// Opens (creating if needed) the store at `path`; the directory must exist.
    /// - Parameters:
    ///   - path: the database file, e.g. `/var/lib/kubeadm-swift/db/state.db`.
    ///   - options: tuning knobs.
    public init(path: String, options: Options = Options()) throws {
        self.path = path
        self.options = options
        // One writer per file: a second one would reuse revisions and its watchers would miss our writes.
        lock = try FileLock(path: path + ".lock")
        let connection = try SQLiteConnection(path: path)
        try Self.prepareSchema(connection)
        let (current, _) = try connection.revisions()
        hub = WatchHub(publishedRevision: current)
        readers = try ReadPool(path: path, connections: options.readConnections)
        writer = try GroupCommitWriter(connection: connection, hub: hub, maxBatch: options.maxBatch,
                                        compactionStep: Int64(options.compactionStep))
    }

    /// Creates the tables on first open and sets the durable write pragmas.
    private static func prepareSchema(_ connection: SQLiteConnection) throws(StorageError) {
        let mode = try connection.scalar("PRAGMA auto_vacuum") ?? 0
        if mode != 2 {
            // auto_vacuum applies to an empty file at once; an existing file needs a VACUUM to switch (once).
            try connection.execute(Schema.autoVacuum)
            if try connection.scalar("SELECT count(*) FROM sqlite_schema") ?? 0 > 0 {
                try connection.execute("VACUUM")
            }
        }
        try connection.execute(Schema.writerPragmas)
        guard try connection.scalar("PRAGMA synchronous") == 2 else {
            throw StorageError(.io, message: "SQLite refused synchronous = FULL")
        }
        try connection.execute(Schema.tables)
    }

    /// A store dropped without `close()` still stops its writer thread once the queue drains.
    deinit {
        writer.stop()
        hub.close(with: StorageError(.closed, message: "the store was released"))
        readers.close()
    }

    // MARK: Revisions

    public func currentRevision() async throws -> Int64 {
        writer.revisions.withLock { $0.current }
    }

    public func compactedRevision() async throws -> Int64 {
        writer.revisions.withLock { $0.compacted }
    }

    // MARK: Reads

    public func get(_ key: String) async throws -> KeyValue? {
        try await readers.read { connection in
            guard let row = try connection.latestRow(of: key), !row.deleted else { return nil }
            return KeyValue(key: key, value: row.value, createRevision: row.createRevision, modRevision: row.revision)
        }
    }

    public func list(prefix: String, limit: Int, continueToken: String?, revision: Int64?) async throws -> ListResult {
        var afterKey: String?
        var requested = revision
        if let continueToken {
            guard let token = ContinueToken(continueToken) else {
                throw StorageError(.invalidContinueToken, message: "malformed continue token")
            }
            // A token from a list of another prefix must not widen this one: start no lower than the prefix.
            afterKey = token.lastKey.utf8.lexicographicallyPrecedes(prefix.utf8) ? nil : token.lastKey
            requested = token.revision
        }
        let range = KeyRange(prefix: prefix)
        return try await readers.read { [afterKey, requested] connection in
            try connection.snapshot { () throws(StorageError) -> ListResult in
                let (current, compacted) = try connection.revisions()
                let at = requested ?? current
                if at < compacted {
                    throw StorageError(.compacted, revision: compacted,
                                       message: "revision \(at) is older than the compacted revision")
                }
                if at > current {
                    throw StorageError(.futureRevision, revision: current,
                                       message: "revision \(at) is newer than the current revision")
                }
                // One extra row tells whether another page follows.
                var items = try connection.listPage(
                    range: range, afterKey: afterKey, revision: at, limit: limit > 0 ? limit + 1 : 0
                )
                var token: String?
                if limit > 0 && items.count > limit {
                    items.removeLast(items.count - limit)
                    token = items.last.map { ContinueToken(revision: at, lastKey: $0.key).encoded }
                }
                return ListResult(items: items, revision: at, continueToken: token)
            }
        }
    }

    // MARK: Writes

    public func create(_ key: String, value: [UInt8]) async throws -> KeyValue {
        try stored(await writer.submit(.create(key: key, value: value)))
    }

    public func update(_ key: String, value: [UInt8], expectedRevision: Int64?) async throws -> KeyValue {
        try stored(await writer.submit(.update(key: key, value: value, expectedRevision: expectedRevision)))
    }

    public func delete(_ key: String, expectedRevision: Int64?) async throws -> DeleteResult {
        switch try await writer.submit(.delete(key: key, expectedRevision: expectedRevision)) {
        case .deleted(let result): return result
        case .stored: throw StorageError(.io, key: key, message: "internal: delete produced a value")
        }
    }

    private func stored(_ outcome: WriteOutcome) throws -> KeyValue {
        switch outcome {
        case .stored(let value): return value
        case .deleted(let result): throw StorageError(.io, key: result.deleted.key, message: "internal: write deleted")
        }
    }

    public func compact(_ revision: Int64) async throws {
        try await writer.compact(revision)
    }

    // MARK: Watch

    public func watch(prefix: String, afterRevision revision: Int64) async throws -> WatchStream {
        var (current, compacted) = writer.revisions.withLock { ($0.current, $0.compacted) }
        if revision < compacted {
            throw StorageError(.compacted, revision: compacted,
                               message: "watch from \(revision) is older than the compacted revision")
        }
        if revision > current {
            // A list can read a commit a moment before the writer thread records it; ask the database itself
            // before calling a revision from the future.
            current = try await readers.read { connection in try connection.revisions().current }
        }
        if revision > current {
            throw StorageError(.futureRevision, revision: current,
                               message: "watch from \(revision) is newer than the current revision")
        }
        let range = KeyRange(prefix: prefix)
        let readers = self.readers
        let subscription = try hub.register(prefix: prefix, after: revision, capacity: options.watchBuffer) {
            after, through, limit in
            try await readers.read { connection in
                try connection.snapshot { () throws(StorageError) -> (events: [WatchEvent], compacted: Int64) in
                    let compacted = try connection.revisions().compacted
                    let events = try connection.history(range: range, after: after, through: through, limit: limit)
                    return (events, compacted)
                }
            }
        }
        return WatchStream(subscription)
    }

    /// Watchers currently registered (for tests and metrics).
    public var watcherCount: Int { hub.subscriberCount }

    // MARK: Lifecycle

    public func close() async {
        await writer.close()
        hub.close(with: StorageError(.closed, message: "the store was closed"))
        readers.close()
        lock.release()
    }

    /// Bytes the database currently occupies on disk (main file plus WAL).
    public func fileSize() -> Int64 {
        let files = [path, path + "-wal"]
        return files.reduce(0) { total, file in
            let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? NSNumber)?.int64Value
            return total + (size ?? 0)
        }
    }
}
