/// The newest row of a key, as the writer needs it for compare-and-swap.
struct LatestRow {
    var revision: Int64
    var createRevision: Int64
    var deleted: Bool
    var value: [UInt8]
}

/// Typed reads over the log; each runs on whichever connection owns the current thread.
extension SQLiteConnection {
    /// The newest row of `key`, optionally at or below `revision`.
    func latestRow(of key: String, atOrBelow revision: Int64? = nil) throws(StorageError) -> LatestRow? {
        let statement = try prepare(revision == nil ? Schema.latest : Schema.latestAt)
        defer { statement.reset() }
        statement.bind(key, at: 1)
        if let revision { statement.bind(revision, at: 2) }
        guard try statement.step() else { return nil }
        return LatestRow(
            revision: statement.int64(0),
            createRevision: statement.int64(1),
            deleted: statement.int64(2) != 0,
            value: statement.bytes(3)
        )
    }

    /// The newest revision in the log and the compacted revision. A compaction up to the newest revision may have
    /// removed the newest row (a tombstone), so the current revision is never below the compacted one.
    func revisions() throws(StorageError) -> (current: Int64, compacted: Int64) {
        let compacted = try scalar(Schema.compactRevision) ?? 0
        let newest = try scalar(Schema.currentRevision) ?? 0
        return (max(newest, compacted), compacted)
    }

    /// Runs `body` inside one read transaction so all its statements see the same snapshot.
    func snapshot<Result>(_ body: () throws(StorageError) -> Result) throws(StorageError) -> Result {
        try execute("BEGIN DEFERRED")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    /// One page of live keys in `range` as of `revision`, after `afterKey` when continuing.
    func listPage(range: KeyRange, afterKey: String?, revision: Int64, limit: Int) throws(StorageError) -> [KeyValue] {
        let statement = try prepare(Schema.list(afterKey: afterKey != nil, upperBound: range.upper != nil))
        defer { statement.reset() }
        statement.bind(revision, at: 1)
        if let afterKey {
            statement.bind(afterKey, at: 2)
        } else {
            statement.bindTextBytes(range.lower, at: 2)
        }
        if let upper = range.upper { statement.bindTextBytes(upper, at: 3) }
        statement.bind(limit > 0 ? Int64(limit) : -1, at: 4)
        var items: [KeyValue] = []
        if limit > 0 { items.reserveCapacity(min(limit, 10_000)) }
        while try statement.step() {
            items.append(KeyValue(
                key: statement.string(1),
                value: statement.bytes(3),
                createRevision: statement.int64(2),
                modRevision: statement.int64(0)
            ))
        }
        return items
    }

    /// Watch events for log rows in `(after, through]` within `range`, oldest first, at most `limit`.
    func history(range: KeyRange, after: Int64, through: Int64, limit: Int) throws(StorageError) -> [WatchEvent] {
        let lowerBound = !range.lower.isEmpty
        let statement = try prepare(Schema.history(lowerBound: lowerBound, upperBound: range.upper != nil))
        defer { statement.reset() }
        statement.bind(after, at: 1)
        statement.bind(through, at: 2)
        if lowerBound { statement.bindTextBytes(range.lower, at: 3) }
        if let upper = range.upper { statement.bindTextBytes(upper, at: 4) }
        statement.bind(Int64(limit), at: 5)
        var events: [WatchEvent] = []
        while try statement.step() {
            let revision = statement.int64(0)
            let key = statement.string(1)
            let created = statement.int64(2) != 0
            let deleted = statement.int64(3) != 0
            let createRevision = statement.int64(4)
            let previousRevision = statement.int64(5)
            let current = KeyValue(key: key, value: statement.bytes(6), createRevision: createRevision, modRevision: revision)
            let previous = KeyValue(
                key: key, value: statement.bytes(7), createRevision: createRevision, modRevision: previousRevision
            )
            if created {
                events.append(WatchEvent(kind: .added, key: key, revision: revision, value: current, previous: nil))
            } else if deleted {
                events.append(WatchEvent(kind: .deleted, key: key, revision: revision, value: nil, previous: previous))
            } else {
                events.append(WatchEvent(kind: .modified, key: key, revision: revision, value: current, previous: previous))
            }
        }
        return events
    }
}
