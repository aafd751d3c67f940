import Foundation

/// One write as a caller asked for it.
enum WriteOperation: Sendable {
    case create(key: String, value: [UInt8])
    case update(key: String, value: [UInt8], expectedRevision: Int64?)
    case delete(key: String, expectedRevision: Int64?)
}

/// What a successful write produced.
enum WriteOutcome: Sendable {
    case stored(KeyValue)
    case deleted(DeleteResult)
}

/// The single owner of the write connection, running on a thread of its own.
///
/// Group commit: callers enqueue and suspend; the thread takes everything queued (up to `maxBatch`), runs it in one
/// transaction where every operation gets its own revision and its own compare-and-swap check (a failed check fails
/// only that operation), commits with one WAL fsync (`synchronous = FULL`), then publishes the events and resumes
/// the callers. Under load the batch grows by itself, so fsyncs are shared instead of queued.
final class GroupCommitWriter: Sendable {
    private enum Job: Sendable {
        case write(WriteOperation, CheckedContinuation<WriteOutcome, any Error>)
        case compact(Int64, CheckedContinuation<Void, any Error>)
    }

    private struct Queue {
        var jobs: [Job] = []
        var closing = false
        /// The writer thread found the queue empty and waits (or is about to) on `wakeup`; only then do producers
        /// pay for a signal, so a busy writer costs enqueuers no system call.
        var sleeping = false
    }

    /// Revisions as the writer last committed them; read by the store without touching SQLite.
    struct Revisions: Sendable {
        var current: Int64
        var compacted: Int64
    }

    let revisions: Locked<Revisions>
    private let queue = Locked(Queue())
    private let wakeup = NSCondition()
    private let finished = Locked<[CheckedContinuation<Void, Never>]?>([])
    private let connection: SQLiteConnection
    private let hub: WatchHub
    private let maxBatch: Int
    private let compactionStep: Int64

    init(connection: SQLiteConnection, hub: WatchHub, maxBatch: Int, compactionStep: Int64) throws(StorageError) {
        self.connection = connection
        self.hub = hub
        self.maxBatch = max(1, maxBatch)
        self.compactionStep = max(1, compactionStep)
        let (current, compacted) = try connection.revisions()
        revisions = Locked(Revisions(current: current, compacted: compacted))
        // The thread keeps the writer alive until `stop()`; the store's deinit calls it.
        let thread = Thread { [self] in run() }
        thread.name = "storage-writer"
        thread.qualityOfService = .userInitiated
        thread.start()
    }

    /// Queues one write and waits until it is durable (or failed).
    func submit(_ operation: WriteOperation) async throws -> WriteOutcome {
        try await withCheckedThrowingContinuation { continuation in
            enqueue(.write(operation, continuation))
        }
    }

    /// Queues a compaction behind the writes already queued.
    func compact(_ revision: Int64) async throws {
        try await withCheckedThrowingContinuation { continuation in
            enqueue(.compact(revision, continuation))
        }
    }

    /// Lets queued jobs finish, then stops the thread and closes the connection.
    func close() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let alreadyDone = finished.withLock { waiters -> Bool in
                guard waiters != nil else { return true }
                waiters?.append(continuation)
                return false
            }
            if alreadyDone {
                continuation.resume()
                return
            }
            stop()
        }
    }

    /// Refuses new jobs and lets the thread exit once the queued ones are done, without waiting for it.
    func stop() {
        queue.withLock { $0.closing = true }
        // Always signal: the writer may be asleep, and closing is rare.
        wakeup.lock()
        wakeup.signal()
        wakeup.unlock()
    }

    private func enqueue(_ job: Job) {
        let (accepted, sleeping) = queue.withLock { queue -> (Bool, Bool) in
            guard !queue.closing else { return (false, false) }
            queue.jobs.append(job)
            return (true, queue.sleeping)
        }
        guard accepted else {
            switch job {
            case .write(_, let continuation): continuation.resume(throwing: StorageError(.closed))
            case .compact(_, let continuation): continuation.resume(throwing: StorageError(.closed))
            }
            return
        }
        guard sleeping else { return }
        wakeup.lock()
        wakeup.signal()
        wakeup.unlock()
    }

    // MARK: The writer thread

    private func run() {
        while let jobs = takeJobs() {
            var writes: [(WriteOperation, CheckedContinuation<WriteOutcome, any Error>)] = []
            for job in jobs {
                switch job {
                case .write(let operation, let continuation):
                    writes.append((operation, continuation))
                case .compact(let revision, let continuation):
                    // Keep order: writes queued before the compaction commit first.
                    commit(writes)
                    writes = []
                    continuation.resume(with: Result { try runCompaction(to: revision) })
                }
            }
            commit(writes)
        }
        connection.close()
        let waiters = finished.withLock { waiters in
            defer { waiters = nil }
            return waiters ?? []
        }
        waiters.forEach { $0.resume() }
    }

    /// Blocks until work arrives; `nil` once closing and drained.
    ///
    /// `sleeping` is set under the queue lock in the same step that finds the queue empty, while this thread holds
    /// `wakeup`; a producer that then sees it must take `wakeup` to signal, which it gets only once this thread
    /// waits. So no wake-up is lost, and producers that see `sleeping == false` know their job will be found.
    private func takeJobs() -> [Job]? {
        wakeup.lock()
        defer { wakeup.unlock() }
        while true {
            let next = queue.withLock { queue -> (jobs: [Job], closing: Bool) in
                let count = min(queue.jobs.count, maxBatch)
                let jobs = Array(queue.jobs.prefix(count))
                queue.jobs.removeFirst(count)
                queue.sleeping = jobs.isEmpty && !queue.closing
                return (jobs, queue.closing)
            }
            if !next.jobs.isEmpty { return next.jobs }
            if next.closing { return nil }
            wakeup.wait()
        }
    }

    /// Takes the writes at the head of the queue (up to `maxBatch`, stopping at a compaction), without waiting.
    private func takeLeadingWrites() -> [(WriteOperation, CheckedContinuation<WriteOutcome, any Error>)] {
        queue.withLock { queue in
            var writes: [(WriteOperation, CheckedContinuation<WriteOutcome, any Error>)] = []
            for job in queue.jobs.prefix(maxBatch) {
                guard case .write(let operation, let continuation) = job else { break }
                writes.append((operation, continuation))
            }
            queue.jobs.removeFirst(writes.count)
            return writes
        }
    }

    /// Runs `writes` in one transaction and settles every caller.
    private func commit(_ writes: [(WriteOperation, CheckedContinuation<WriteOutcome, any Error>)]) {
        guard !writes.isEmpty else { return }
        let first = revisions.withLock { $0.current } + 1
        var next = first
        var results: [Result<WriteOutcome, StorageError>] = []
        var events: [WatchEvent] = []
        results.reserveCapacity(writes.count)
        do {
            try connection.execute("BEGIN IMMEDIATE")
            for (operation, _) in writes {
                let result = try apply(operation, revision: next)
                switch result {
                case .success(let (outcome, event)):
                    results.append(.success(outcome))
                    events.append(event)
                    next += 1
                case .failure(let error):
                    results.append(.failure(error))
                }
            }
            try connection.execute("COMMIT")
        } catch {
            // Nothing of this batch is durable: undo it and fail every caller, including ones whose CAS passed.
            try? connection.execute("ROLLBACK")
            for (_, continuation) in writes { continuation.resume(throwing: error) }
            return
        }
        let last = next - 1
        revisions.withLock { $0.current = last }
        hub.publish(events, through: last)
        for ((_, continuation), result) in zip(writes, results) {
            continuation.resume(with: result.mapError { $0 as any Error })
        }
    }

    /// Applies one operation inside the open transaction.
    /// - Returns: the outcome and its event, or the operation's own failure (the transaction goes on).
    /// - Throws: only SQLite failures, which abort the whole batch.
    /// The key's current live row, checked against the caller's expected revision (compare-and-swap): the shared
    /// precondition of update and delete. A failure uses no revision and fails only this operation.
    private func liveRow(
        _ key: String, expected: Int64?, _ connection: SQLiteConnection
    ) throws(StorageError) -> Result<LatestRow, StorageError> {
        guard let latest = try connection.latestRow(of: key), !latest.deleted else {
            return .failure(StorageError(.notFound, key: key))
        }
        if let expected, expected != latest.revision {
            return .failure(StorageError(.conflict, key: key, revision: latest.revision, message: "expected revision \(expected)"))
        }
        return .success(latest)
    }

    private func apply(
        _ operation: WriteOperation, revision: Int64
    ) throws(StorageError) -> Result<(WriteOutcome, WatchEvent), StorageError> {
        switch operation {
        case .create(let key, let value):
            let latest = try connection.latestRow(of: key)
            if let latest, !latest.deleted {
                return .failure(StorageError(.keyExists, key: key, revision: latest.revision))
            }
            try insert(key: key, revision: revision, created: true, deleted: false, createRevision: revision,
                       previousRevision: latest?.revision ?? 0, value: value, oldValue: nil)
            let stored = KeyValue(key: key, value: value, createRevision: revision, modRevision: revision)
            let event = WatchEvent(kind: .added, key: key, revision: revision, value: stored, previous: nil)
            return .success((.stored(stored), event))

        case .update(let key, let value, let expected):
            let latest: LatestRow
            switch try liveRow(key, expected: expected, connection) {
            case .success(let row): latest = row
            case .failure(let error): return .failure(error)
            }
            try insert(key: key, revision: revision, created: false, deleted: false,
                       createRevision: latest.createRevision, previousRevision: latest.revision,
                       value: value, oldValue: latest.value)
            let previous = KeyValue(key: key, value: latest.value, createRevision: latest.createRevision,
                                    modRevision: latest.revision)
            let stored = KeyValue(key: key, value: value, createRevision: latest.createRevision, modRevision: revision)
            let event = WatchEvent(kind: .modified, key: key, revision: revision, value: stored, previous: previous)
            return .success((.stored(stored), event))

        case .delete(let key, let expected):
            let latest: LatestRow
            switch try liveRow(key, expected: expected, connection) {
            case .success(let row): latest = row
            case .failure(let error): return .failure(error)
            }
            try insert(key: key, revision: revision, created: false, deleted: true,
                       createRevision: latest.createRevision, previousRevision: latest.revision,
                       value: nil, oldValue: latest.value)
            let previous = KeyValue(key: key, value: latest.value, createRevision: latest.createRevision,
                                    modRevision: latest.revision)
            let event = WatchEvent(kind: .deleted, key: key, revision: revision, value: nil, previous: previous)
            return .success((.deleted(DeleteResult(revision: revision, deleted: previous)), event))
        }
    }

    private func insert(
        key: String, revision: Int64, created: Bool, deleted: Bool, createRevision: Int64, previousRevision: Int64,
        value: [UInt8]?, oldValue: [UInt8]?
    ) throws(StorageError) {
        let statement = try connection.prepare(Schema.insert)
        statement.bind(revision, at: 1)
        statement.bind(key, at: 2)
        statement.bind(created ? 1 : 0, at: 3)
        statement.bind(deleted ? 1 : 0, at: 4)
        statement.bind(createRevision, at: 5)
        statement.bind(previousRevision, at: 6)
        if let value { statement.bind(value, at: 7) } else { statement.bindNull(at: 7) }
        if let oldValue { statement.bind(oldValue, at: 8) } else { statement.bindNull(at: 8) }
        try statement.run()
    }

    /// Drops history at or below `revision` that no read at `revision` or later needs, then returns free pages to
    /// the file system.
    ///
    /// Runs on the writer thread in steps of `compactionStep` revisions, each its own transaction that leaves the
    /// store compacted to the step's end, and commits the writes that queued up in between: a large compaction
    /// delays writes by one step, not by the whole range (kine's compaction stalls writers for seconds).
    private func runCompaction(to revision: Int64) throws {
        let (current, start) = revisions.withLock { ($0.current, $0.compacted) }
        guard revision <= current else {
            throw StorageError(.futureRevision, revision: current,
                               message: "cannot compact to \(revision) beyond the current revision")
        }
        guard revision > start else { return }
        var done = start
        while done < revision {
            let target = min(revision, done + compactionStep)
            try compactStep(from: done, to: target)
            done = target
            revisions.withLock { $0.compacted = target }
            if done < revision { commit(takeLeadingWrites()) }
        }
        // Housekeeping: a failure here loses nothing. The passive checkpoint moves the vacuumed pages into the main
        // file (letting it shrink) without waiting for readers.
        try? connection.execute("PRAGMA incremental_vacuum")
        try? connection.execute("PRAGMA wal_checkpoint(PASSIVE)")
    }

    /// One compaction transaction from `previous` (exclusive) to `revision` (inclusive).
    private func compactStep(from previous: Int64, to revision: Int64) throws(StorageError) {
        do {
            try connection.execute("BEGIN IMMEDIATE")
            for sql in [Schema.compactSuperseded, Schema.compactTombstones] {
                let statement = try connection.prepare(sql)
                statement.bind(previous, at: 1)
                statement.bind(revision, at: 2)
                try statement.run()
            }
            let statement = try connection.prepare(Schema.setCompactRevision)
            statement.bind(revision, at: 1)
            try statement.run()
            try connection.execute("COMMIT")
        } catch {
            try? connection.execute("ROLLBACK")
            throw error
        }
    }
}
