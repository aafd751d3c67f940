import Foundation
import Storage
import Testing

/// Watch semantics: history then live, in order, no gap, no duplicate; every backend must pass.
@Suite("Watch conformance", .timeLimit(.minutes(1)))
struct WatchConformanceTests {
    @Test(arguments: Backend.all)
    func watchFromARevisionSeesExactlyTheLaterEvents(backend: Backend) async throws {
        try await backend.withStore { store, _ in
            let a = try await store.create("/w/a", value: bytes("a1"))          // 1
            _ = try await store.create("/w/b", value: bytes("b1"))              // 2
            let stream = try await store.watch(prefix: "/w/", afterRevision: 2)
            let a2 = try await store.update("/w/a", value: bytes("a2"), expectedRevision: a.modRevision) // 3
            _ = try await store.delete("/w/b", expectedRevision: nil)           // 4
            _ = try await store.create("/w/c", value: bytes("c1"))              // 5

            let events = try await take(3, from: stream)
            #expect(events.map(\.revision) == [3, 4, 5])
            #expect(events.map(\.kind) == [.modified, .deleted, .added])
            #expect(events[0].value == a2)
            #expect(events[0].previous == a)
            #expect(events[1].value == nil)
            #expect(events[1].previous?.value == bytes("b1"))
            #expect(events[1].previous?.modRevision == 2)
            #expect(events[2].previous == nil)

            // A watch from an older revision replays the stored history first, with the same content.
            let replay = try await take(5, from: try await store.watch(prefix: "/w/", afterRevision: 0))
            #expect(replay.map(\.revision) == [1, 2, 3, 4, 5])
            #expect(Array(replay.suffix(3)) == events)
        }
    }

    @Test(arguments: Backend.all)
    func watchFiltersByPrefix(backend: Backend) async throws {
        try await backend.withStore { store, _ in
            let stream = try await store.watch(prefix: "/registry/pods/", afterRevision: 0)
            _ = try await store.create("/registry/podtemplates/x", value: [])
            _ = try await store.create("/registry/pods/default/a", value: [])
            _ = try await store.create("/registry/services/y", value: [])
            _ = try await store.create("/registry/pods/kube-system/b", value: [])
            let events = try await take(2, from: stream)
            #expect(events.map(\.key) == ["/registry/pods/default/a", "/registry/pods/kube-system/b"])
            #expect(events.map(\.revision) == [2, 4])

            let replayed = try await take(2, from: try await store.watch(prefix: "/registry/pods/", afterRevision: 0))
            #expect(replayed == events)
        }
    }

    /// Watches start while writers are busy; each must see every revision after its start exactly once, in order.
    @Test(arguments: Backend.all)
    func watchStartRacingWithWritesHasNoGapOrDuplicate(backend: Backend) async throws {
        try await backend.withStore { store, _ in
            let total: Int64 = 600
            let writers = Task {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for writer in 0..<4 {
                        group.addTask {
                            for index in 0..<Int(total) / 4 {
                                _ = try await store.create("/race/\(writer)/\(index)", value: bytes("\(index)"))
                            }
                        }
                    }
                    try await group.waitForAll()
                }
            }
            var watches: [(start: Int64, stream: WatchStream)] = []
            for _ in 0..<8 {
                let start = try await store.currentRevision()
                watches.append((start, try await store.watch(prefix: "/race/", afterRevision: start)))
                await Task.yield()
            }
            try await writers.value
            for (start, stream) in watches {
                let events = try await take(Int(total - start), from: stream)
                #expect(events.map(\.revision) == Array((start + 1)...total).map { $0 })
            }
        }
    }

    @Test(arguments: Backend.all)
    func slowWatcherIsCutOff(backend: Backend) async throws {
        try await backend.withStore(watchBuffer: 16) { store, _ in
            let stream = try await store.watch(prefix: "/", afterRevision: 0)
            for index in 0..<40 { _ = try await store.create("/slow/\(index)", value: []) }
            try await expectStorageError(.watcherTooSlow) {
                _ = try await take(40, from: stream)
            }
            // A consumer that keeps up is not cut off by the same budget.
            let start = try await store.currentRevision()
            let fast = try await store.watch(prefix: "/", afterRevision: start)
            for index in 0..<40 {
                let created = try await store.create("/fast/\(index)", value: [])
                let event = try await take(1, from: fast)
                #expect(event.first?.revision == created.modRevision)
            }
        }
    }

    @Test(arguments: Backend.all)
    func cancellingTheConsumerEndsTheWatch(backend: Backend) async throws {
        try await backend.withStore { store, _ in
            let stream = try await store.watch(prefix: "/", afterRevision: 0)
            let consumer = Task {
                var count = 0
                for try await _ in stream { count += 1 }
                return count
            }
            _ = try await store.create("/c/1", value: [])
            consumer.cancel()
            let count = try await consumer.value
            #expect(count <= 1)
            // Writes after the cancellation are not buffered for the dead watcher.
            for index in 2..<50 { _ = try await store.create("/c/\(index)", value: []) }
            if let sqlite = store as? SQLiteStore {
                #expect(sqlite.watcherCount == 0)
            }
        }
    }

    @Test(arguments: Backend.all)
    func watchFromTheFutureIsRefused(backend: Backend) async throws {
        try await backend.withStore { store, _ in
            _ = try await store.create("/f", value: [])
            let error = try await expectStorageError(.futureRevision) {
                _ = try await store.watch(prefix: "/", afterRevision: 5)
            }
            #expect(error.revision == 1)
            // Watching from the current revision is fine and sees only what comes next.
            let stream = try await store.watch(prefix: "/", afterRevision: 1)
            _ = try await store.update("/f", value: [1], expectedRevision: 1)
            #expect(try await take(1, from: stream).map(\.revision) == [2])
        }
    }

    @Test(arguments: Backend.all)
    func closingTheStoreEndsWatches(backend: Backend) async throws {
        let directory = try TemporaryDirectory.make()
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try backend.open(directory, 100)
        let stream = try await store.watch(prefix: "/", afterRevision: 0)
        await store.close()
        try await expectStorageError(.closed) { _ = try await take(1, from: stream) }
        try await expectStorageError(.closed) { _ = try await store.create("/after", value: []) }
    }
}

/// SQLite-specific watch bookkeeping: abandoned streams are freed.
@Suite("SQLite watch bookkeeping", .timeLimit(.minutes(1)))
struct SQLiteWatchBookkeepingTests {
    @Test func droppingAStreamFreesTheWatcher() async throws {
        let directory = try TemporaryDirectory.make()
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteStore(path: directory.appendingPathComponent("state.db").path)
        do {
            let stream = try await store.watch(prefix: "/", afterRevision: 0)
            #expect(store.watcherCount == 1)
            _ = stream
        }
        #expect(store.watcherCount == 0)
        await store.close()
    }

    @Test func aSecondStoreOnTheSameFileIsRefused() async throws {
        let directory = try TemporaryDirectory.make()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("state.db").path
        let store = try SQLiteStore(path: path)
        #expect(throws: StorageError.self) { _ = try SQLiteStore(path: path) }
        await store.close()
        let again = try SQLiteStore(path: path)
        await again.close()
    }
}
