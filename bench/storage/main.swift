// storage-bench: throughput and latency of the SQLite store, with baselines measured in the same run.
//
// Cases (each repeated `rounds` times; the median round is reported):
//   store.create.1      one writer, sequential creates of 1 KiB values (every create is its own durable commit)
//   store.create.32     32 concurrent writers (group commit shares the fsyncs)
//   raw.insert.1        baseline: a bare SQLite insert loop, WAL + synchronous=FULL, one row per commit
//   raw.insert.32       baseline: the same with 32 rows per commit
//   watch.latency       one watcher; time from submitting a create to its event arriving (includes the commit)
//   list.10000          list of a prefix holding 10,000 objects of 1 KiB
// Optional etcd figures measured by bench/storage.sh are passed in to print ratios.
//
// Usage: storage-bench <scratch-dir> [rounds] [--etcd-1 <creates/s>] [--etcd-32 <creates/s>]

import CSQLite
import Dispatch
import Foundation
import Storage

// MARK: Arguments

var positional: [String] = []
var etcdFigures: [Int: Double] = [:]
var argumentIterator = CommandLine.arguments.dropFirst().makeIterator()
while let argument = argumentIterator.next() {
    switch argument {
    case "--etcd-1": etcdFigures[1] = argumentIterator.next().flatMap(Double.init)
    case "--etcd-32": etcdFigures[32] = argumentIterator.next().flatMap(Double.init)
    default: positional.append(argument)
    }
}
guard let scratch = positional.first else {
    FileHandle.standardError.write(Data("usage: storage-bench <scratch-dir> [rounds]\n".utf8))
    exit(2)
}
let rounds = positional.dropFirst().first.flatMap(Int.init) ?? 3
try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)

// MARK: Helpers

func nanoseconds() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

func milliseconds(_ nanos: UInt64) -> Double { Double(nanos) / 1e6 }

func percentile(_ values: [Double], _ fraction: Double) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return 0 }
    let index = min(sorted.count - 1, Int((Double(sorted.count) * fraction).rounded(.up)) - 1)
    return sorted[max(0, index)]
}

func median(_ values: [Double]) -> Double { percentile(values, 0.5) }

func format(_ value: Double, _ digits: Int = 2) -> String { String(format: "%.\(digits)f", value) }

func freshPath(_ name: String) -> String {
    let path = "\(scratch)/\(name).db"
    for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    return path
}

func removeDatabase(_ path: String) {
    for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
}

let kibibyte = [UInt8](repeating: 0x6B, count: 1024)

struct WriteRun {
    var perSecond: Double
    var latenciesMs: [Double]
}

// MARK: Store cases

func storeCreates(writers: Int, total: Int, round: Int) async throws -> WriteRun {
    let path = freshPath("store-\(writers)-\(round)")
    defer { removeDatabase(path) }
    let store = try SQLiteStore(path: path)
    let perWriter = total / writers
    let start = nanoseconds()
    let latencies = try await withThrowingTaskGroup(of: [Double].self) { group in
        for writer in 0..<writers {
            group.addTask {
                var mine: [Double] = []
                mine.reserveCapacity(perWriter)
                for index in 0..<perWriter {
                    let before = nanoseconds()
                    _ = try await store.create("/registry/configmaps/bench/w\(writer)-\(index)", value: kibibyte)
                    mine.append(milliseconds(nanoseconds() - before))
                }
                return mine
            }
        }
        var all: [Double] = []
        for try await mine in group { all += mine }
        return all
    }
    let elapsed = nanoseconds() - start
    await store.close()
    return WriteRun(perSecond: Double(latencies.count) / (Double(elapsed) / 1e9), latenciesMs: latencies)
}

/// Watch delivery for one watcher while one writer creates sequentially: submit-to-event (includes the durable
/// commit, so it bounds commit-to-event from above) and event-minus-acknowledgement (both follow the commit; the
/// event is published before the writer is resumed, so this is usually ≤ 0).
func watchLatency(count: Int, round: Int) async throws -> (submitToEvent: [Double], ackToEvent: [Double]) {
    let path = freshPath("watch-\(round)")
    defer { removeDatabase(path) }
    let store = try SQLiteStore(path: path)
    let stream = try await store.watch(prefix: "/registry/", afterRevision: try await store.currentRevision())
    let consumer = Task { () throws -> [UInt64] in
        var received: [UInt64] = []
        received.reserveCapacity(count)
        for try await _ in stream {
            received.append(nanoseconds())
            if received.count == count { break }
        }
        return received
    }
    var submitted: [UInt64] = []
    var acknowledged: [UInt64] = []
    for index in 0..<count {
        submitted.append(nanoseconds())
        _ = try await store.create("/registry/events/bench/\(index)", value: kibibyte)
        acknowledged.append(nanoseconds())
    }
    let received = try await consumer.value
    await store.close()
    return (
        zip(submitted, received).map { milliseconds($1 &- $0) },
        zip(acknowledged, received).map { (Double($1) - Double($0)) / 1e6 }
    )
}

/// Median time to list 10,000 objects, plus the store's write throughput while filling it.
func listTime(objects: Int, rounds: Int) async throws -> [Double] {
    let path = freshPath("list")
    defer { removeDatabase(path) }
    let store = try SQLiteStore(path: path)
    try await withThrowingTaskGroup(of: Void.self) { group in
        for writer in 0..<32 {
            group.addTask {
                for index in stride(from: writer, to: objects, by: 32) {
                    _ = try await store.create("/registry/configmaps/list/\(String(index + 100_000))", value: kibibyte)
                }
            }
        }
        try await group.waitForAll()
    }
    // A second prefix so the list has to skip neighbours, as a real registry would.
    _ = try await store.create("/registry/configmaps/other", value: kibibyte)
    var times: [Double] = []
    for _ in 0..<max(5, rounds) {
        let before = nanoseconds()
        let page = try await store.list(prefix: "/registry/configmaps/list/")
        times.append(milliseconds(nanoseconds() - before))
        precondition(page.items.count == objects, "list returned \(page.items.count) objects")
    }
    await store.close()
    return times
}

// MARK: Raw SQLite baseline

enum BenchError: Error { case sqlite(String) }

func check(_ rc: Int32, _ db: OpaquePointer?, _ what: String) throws {
    guard rc == SQLITE_OK || rc == SQLITE_DONE || rc == SQLITE_ROW else {
        throw BenchError.sqlite("\(what): \(db.map { String(cString: sqlite3_errmsg($0)) } ?? "rc \(rc)")")
    }
}

/// Same durability as the store (WAL, synchronous=FULL) and a log-shaped table, with no store logic at all.
func rawInserts(total: Int, perCommit: Int, round: Int) throws -> WriteRun {
    let path = freshPath("raw-\(perCommit)-\(round)")
    defer { removeDatabase(path) }
    var db: OpaquePointer?
    try check(sqlite3_open(path, &db), db, "open")
    defer { sqlite3_close(db) }
    try check(sqlite3_exec(db, """
        PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;
        CREATE TABLE log (id INTEGER PRIMARY KEY, key TEXT NOT NULL, value BLOB);
        CREATE INDEX log_key_id ON log (key, id);
        """, nil, nil, nil), db, "schema")
    var insert: OpaquePointer?
    try check(sqlite3_prepare_v2(db, "INSERT INTO log (id, key, value) VALUES (?1, ?2, ?3)", -1, &insert, nil), db, "prepare")
    defer { sqlite3_finalize(insert) }
    let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
    var latencies: [Double] = []
    let start = nanoseconds()
    var id: Int64 = 0
    while id < Int64(total) {
        let before = nanoseconds()
        try check(sqlite3_exec(db, "BEGIN IMMEDIATE", nil, nil, nil), db, "begin")
        for _ in 0..<perCommit {
            id += 1
            sqlite3_bind_int64(insert, 1, id)
            sqlite3_bind_text(insert, 2, "/registry/configmaps/bench/\(id)", -1, transient)
            _ = kibibyte.withUnsafeBytes { sqlite3_bind_blob(insert, 3, $0.baseAddress, Int32($0.count), transient) }
            try check(sqlite3_step(insert), db, "insert")
            sqlite3_reset(insert)
        }
        try check(sqlite3_exec(db, "COMMIT", nil, nil, nil), db, "commit")
        latencies.append(milliseconds(nanoseconds() - before))
    }
    let elapsed = nanoseconds() - start
    return WriteRun(perSecond: Double(id) / (Double(elapsed) / 1e9), latenciesMs: latencies)
}

// MARK: Run

func medianRun(_ runs: [WriteRun]) -> WriteRun {
    runs.sorted { $0.perSecond < $1.perSecond }[runs.count / 2]
}

print("storage-bench sqlite=\(String(cString: sqlite3_libversion())) cores=\(ProcessInfo.processInfo.activeProcessorCount) rounds=\(rounds)")

var single: [WriteRun] = [], many: [WriteRun] = [], raw1: [WriteRun] = [], raw32: [WriteRun] = []
var watch: [Double] = [], ackToEvent: [Double] = []
for round in 0..<rounds {
    // Interleave cases so machine noise spreads over all of them.
    raw1.append(try rawInserts(total: 2_000, perCommit: 1, round: round))
    single.append(try await storeCreates(writers: 1, total: 2_000, round: round))
    raw32.append(try rawInserts(total: 9_600, perCommit: 32, round: round))
    many.append(try await storeCreates(writers: 32, total: 9_600, round: round))
    let delivery = try await watchLatency(count: 1_000, round: round)
    watch += delivery.submitToEvent
    ackToEvent += delivery.ackToEvent
}
let list = try await listTime(objects: 10_000, rounds: rounds)

let s1 = medianRun(single), s32 = medianRun(many), r1 = medianRun(raw1), r32 = medianRun(raw32)
func line(_ name: String, _ run: WriteRun, unit: String = "creates_per_s") {
    print("\(name) \(unit)=\(format(run.perSecond, 0)) p50_ms=\(format(median(run.latenciesMs), 3)) "
        + "p99_ms=\(format(percentile(run.latenciesMs, 0.99), 3)) max_ms=\(format(run.latenciesMs.max() ?? 0, 3))")
}
line("store.create.1", s1)
line("store.create.32", s32)
line("raw.insert.1", r1, unit: "rows_per_s")
line("raw.insert.32", r32, unit: "rows_per_s")
print("ratio store.create.1/raw.insert.1=\(format(s1.perSecond / r1.perSecond)) "
    + "store.create.32/raw.insert.32=\(format(s32.perSecond / r32.perSecond)) "
    + "store.create.32/store.create.1=\(format(s32.perSecond / s1.perSecond))")
print("watch.latency submit_to_event p50_ms=\(format(median(watch), 3)) p99_ms=\(format(percentile(watch, 0.99), 3)) "
    + "max_ms=\(format(watch.max() ?? 0, 3)) events=\(watch.count)")
print("watch.latency event_minus_ack p50_ms=\(format(median(ackToEvent), 3)) "
    + "p99_ms=\(format(percentile(ackToEvent, 0.99), 3)) max_ms=\(format(ackToEvent.max() ?? 0, 3))")
print("list.10000 median_ms=\(format(median(list))) min_ms=\(format(list.min() ?? 0)) max_ms=\(format(list.max() ?? 0))")
if let etcd1 = etcdFigures[1] { print("ratio store.create.1/etcd.put.1=\(format(s1.perSecond / etcd1))") }
if let etcd32 = etcdFigures[32] { print("ratio store.create.32/etcd.put.32=\(format(s32.perSecond / etcd32))") }
