import Storage
import Testing

/// Compaction keeps what reads at or after the compacted revision need and refuses older reads ("too old").
@Suite("Compaction conformance", .timeLimit(.minutes(1)))
struct CompactionConformanceTests {
    @Test(arguments: Backend.all)
    func compactionKeepsTheWindowAndRejectsOlderReads(backend: Backend) async throws {
        try await backend.withStore { store, _ in
            _ = try await store.create("/c/a", value: bytes("a1"))                       // 1
            _ = try await store.create("/c/b", value: bytes("b1"))                       // 2
            _ = try await store.update("/c/a", value: bytes("a2"), expectedRevision: 1)  // 3
            _ = try await store.delete("/c/b", expectedRevision: 2)                      // 4
            _ = try await store.create("/c/d", value: bytes("d1"))                       // 5
            _ = try await store.update("/c/d", value: bytes("d2"), expectedRevision: 5)  // 6
            _ = try await store.update("/c/a", value: bytes("a3"), expectedRevision: 3)  // 7

            try await store.compact(5)
            #expect(try await store.compactedRevision() == 5)

            let tooOld = try await expectStorageError(.compacted) {
                _ = try await store.list(prefix: "/c/", limit: 0, continueToken: nil, revision: 4)
            }
            #expect(tooOld.revision == 5)
            try await expectStorageError(.compacted) {
                _ = try await store.watch(prefix: "/c/", afterRevision: 4)
            }

            // Reads at the compacted revision and later still see exactly what they saw before.
            let atFive = try await store.list(prefix: "/c/", limit: 0, continueToken: nil, revision: 5)
            #expect(atFive.items.map { "\($0.key)@\($0.modRevision)" } == ["/c/a@3", "/c/d@5"])
            let atSix = try await store.list(prefix: "/c/", limit: 0, continueToken: nil, revision: 6)
            #expect(atSix.items.map { "\($0.key)@\($0.modRevision)" } == ["/c/a@3", "/c/d@6"])
            #expect(try await store.get("/c/a")?.value == bytes("a3"))

            let events = try await take(2, from: try await store.watch(prefix: "/c/", afterRevision: 5))
            #expect(events.map(\.revision) == [6, 7])
            #expect(events[0].previous?.value == bytes("d1"))

            // Compacting again to an older revision is a no-op; beyond the current revision is refused.
            try await store.compact(3)
            #expect(try await store.compactedRevision() == 5)
            try await expectStorageError(.futureRevision) { try await store.compact(100) }
        }
    }

    @Test(arguments: Backend.all)
    func continueTokenOfACompactedSnapshotIsTooOld(backend: Backend) async throws {
        try await backend.withStore { store, _ in
            for index in 0..<10 { _ = try await store.create("/t/\(index)", value: []) }
            let first = try await store.list(prefix: "/t/", limit: 4, continueToken: nil, revision: nil)
            _ = try await store.update("/t/0", value: [1], expectedRevision: nil)
            try await store.compact(try await store.currentRevision())
            try await expectStorageError(.compacted) {
                _ = try await store.list(prefix: "/t/", limit: 4, continueToken: first.continueToken, revision: nil)
            }
        }
    }

    /// A watcher that is still replaying when compaction removes history it needs gets `.compacted`, never a gap.
    @Test(arguments: Backend.all)
    func compactionDuringReplayFailsTheWatch(backend: Backend) async throws {
        try await backend.withStore { store, _ in
            for index in 0..<2000 { _ = try await store.create("/cr/\(index % 10)-\(index)", value: []) }
            for index in 0..<2000 { _ = try await store.delete("/cr/\(index % 10)-\(index)", expectedRevision: nil) }
            let stream = try await store.watch(prefix: "/cr/", afterRevision: 0)
            var iterator = stream.makeAsyncIterator()
            let first = try await iterator.next()
            #expect(first?.revision == 1)
            try await store.compact(3000)
            var revisions: [Int64] = [1]
            do {
                while revisions.count < 4000, let event = try await iterator.next() { revisions.append(event.revision) }
                Issue.record("the watch should have been cut off by compaction")
            } catch let error as StorageError {
                #expect(error.code == .compacted)
            }
            // Whatever was delivered before the cut-off is still gap-free.
            #expect(revisions == Array(1...Int64(revisions.count)))
        }
    }
}
