import Storage
import Testing

/// Many writers at once: every write is acknowledged once with its own revision, with no gap.
@Suite("Concurrency conformance", .timeLimit(.minutes(2)))
struct ConcurrencyConformanceTests {
    @Test(arguments: Backend.all)
    func concurrentWritersGetUniqueGapFreeRevisions(backend: Backend) async throws {
        try await backend.withStore { store, _ in
            let writers = 32
            let perWriter = 200
            let value = [UInt8](repeating: 0x61, count: 256)
            let revisions = try await withThrowingTaskGroup(of: [Int64].self) { group in
                for writer in 0..<writers {
                    group.addTask {
                        var mine: [Int64] = []
                        for index in 0..<perWriter {
                            mine.append(try await store.create("/load/\(writer)/\(index)", value: value).modRevision)
                        }
                        return mine
                    }
                }
                var all: [Int64] = []
                for try await mine in group {
                    // Each writer's own acknowledgements come back in order.
                    #expect(mine == mine.sorted())
                    all += mine
                }
                return all
            }
            let total = Int64(writers * perWriter)
            #expect(revisions.sorted() == Array(1...total))
            #expect(try await store.currentRevision() == total)
            #expect(try await store.list(prefix: "/load/").items.count == Int(total))
        }
    }

    /// Racing compare-and-swap on one key: exactly one winner per revision, losers see `.conflict`.
    @Test(arguments: Backend.all)
    func racingUpdatesOfOneKeyHaveOneWinnerEach(backend: Backend) async throws {
        try await backend.withStore { store, _ in
            let start = try await store.create("/counter", value: bytes("0"))
            let rounds = 50
            var current = start
            for round in 1...rounds {
                let expected = current.modRevision
                let winners = try await withThrowingTaskGroup(of: KeyValue?.self) { group in
                    for contender in 0..<8 {
                        group.addTask {
                            do {
                                return try await store.update("/counter", value: bytes("\(round)-\(contender)"),
                                                              expectedRevision: expected)
                            } catch let error as StorageError where error.code == .conflict {
                                return nil
                            }
                        }
                    }
                    var winners: [KeyValue] = []
                    for try await result in group { if let result { winners.append(result) } }
                    return winners
                }
                #expect(winners.count == 1)
                current = try #require(winners.first)
            }
            #expect(try await store.currentRevision() == Int64(1 + rounds))
        }
    }

    /// Racing creates of one key land in the same group commit: one succeeds, the others fail alone.
    @Test(arguments: Backend.all)
    func racingCreatesOfOneKeyHaveOneWinner(backend: Backend) async throws {
        try await backend.withStore { store, _ in
            let outcomes = try await withThrowingTaskGroup(of: String.self) { group in
                for contender in 0..<16 {
                    group.addTask {
                        do {
                            _ = try await store.create("/same", value: bytes("\(contender)"))
                            // Unrelated writes queued alongside are unaffected by the losers' failures.
                            _ = try await store.create("/other/\(contender)", value: [])
                            return "won"
                        } catch let error as StorageError where error.code == .keyExists {
                            _ = try await store.create("/other/\(contender)", value: [])
                            return "lost"
                        }
                    }
                }
                var outcomes: [String] = []
                for try await outcome in group { outcomes.append(outcome) }
                return outcomes
            }
            #expect(outcomes.filter { $0 == "won" }.count == 1)
            #expect(try await store.list(prefix: "/other/").items.count == 16)
            #expect(try await store.currentRevision() == 17)
        }
    }

    /// Writes that arrive while a long compaction runs are committed between its steps and all survive.
    @Test(arguments: Backend.all)
    func writesDuringCompactionAreKept(backend: Backend) async throws {
        try await backend.withStore { store, _ in
            for index in 0..<3_000 { _ = try await store.create("/old/\(index % 300)-\(index)", value: [1]) }
            for index in 0..<3_000 { _ = try await store.delete("/old/\(index % 300)-\(index)", expectedRevision: nil) }
            let target = try await store.currentRevision()
            async let compaction: Void = store.compact(target)
            let created = try await withThrowingTaskGroup(of: Int.self) { group in
                for writer in 0..<8 {
                    group.addTask {
                        for index in 0..<100 { _ = try await store.create("/new/\(writer)/\(index)", value: [2]) }
                        return 100
                    }
                }
                return try await group.reduce(0, +)
            }
            try await compaction
            #expect(try await store.compactedRevision() == target)
            #expect(try await store.list(prefix: "/new/").items.count == created)
            #expect(try await store.list(prefix: "/old/").items.isEmpty)
            #expect(try await store.currentRevision() == target + Int64(created))
            let replay = try await take(created, from: try await store.watch(prefix: "/", afterRevision: target))
            #expect(replay.map(\.revision) == Array((target + 1)...(target + Int64(created))))
        }
    }
}
