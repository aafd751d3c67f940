import Foundation
import Storage
import Testing

/// Point reads and compare-and-swap writes; every backend must pass.
@Suite("CRUD conformance", .timeLimit(.minutes(1)))
struct CRUDConformanceTests {
    @Test(arguments: Backend.all)
    func createGetUpdateDelete(backend: Backend) async throws {
        try await backend.withStore { store, _ in
            #expect(try await store.currentRevision() == 0)
            #expect(try await store.get("/registry/pods/default/nginx") == nil)

            let created = try await store.create("/registry/pods/default/nginx", value: bytes("v1"))
            #expect(created == KeyValue(key: "/registry/pods/default/nginx", value: bytes("v1"),
                                        createRevision: 1, modRevision: 1))
            #expect(try await store.get("/registry/pods/default/nginx") == created)

            let updated = try await store.update("/registry/pods/default/nginx", value: bytes("v2"), expectedRevision: 1)
            #expect(updated.createRevision == 1)
            #expect(updated.modRevision == 2)
            #expect(try await store.get("/registry/pods/default/nginx")?.value == bytes("v2"))

            let deleted = try await store.delete("/registry/pods/default/nginx", expectedRevision: 2)
            #expect(deleted.revision == 3)
            #expect(deleted.deleted == updated)
            #expect(try await store.get("/registry/pods/default/nginx") == nil)
            #expect(try await store.currentRevision() == 3)
        }
    }

    @Test(arguments: Backend.all)
    func compareAndSwapConflicts(backend: Backend) async throws {
        try await backend.withStore { store, _ in
            let first = try await store.create("/k", value: bytes("a"))
            let second = try await store.update("/k", value: bytes("b"), expectedRevision: first.modRevision)

            let stale = try await expectStorageError(.conflict) {
                _ = try await store.update("/k", value: bytes("c"), expectedRevision: first.modRevision)
            }
            #expect(stale.revision == second.modRevision)
            #expect(stale.key == "/k")
            try await expectStorageError(.conflict) {
                _ = try await store.delete("/k", expectedRevision: first.modRevision)
            }
            // A failed CAS changes nothing and consumes no revision.
            #expect(try await store.get("/k") == second)
            #expect(try await store.currentRevision() == second.modRevision)

            // Unconditional writes skip the check.
            let third = try await store.update("/k", value: bytes("d"), expectedRevision: nil)
            #expect(third.modRevision == second.modRevision + 1)
            _ = try await store.delete("/k", expectedRevision: nil)

            try await expectStorageError(.notFound) {
                _ = try await store.update("/k", value: bytes("e"), expectedRevision: nil)
            }
            try await expectStorageError(.notFound) {
                _ = try await store.delete("/missing", expectedRevision: nil)
            }
        }
    }

    @Test(arguments: Backend.all)
    func createOfLiveKeyFailsAndRecreateStartsANewLife(backend: Backend) async throws {
        try await backend.withStore { store, _ in
            let first = try await store.create("/k", value: bytes("a"))
            let exists = try await expectStorageError(.keyExists) {
                _ = try await store.create("/k", value: bytes("b"))
            }
            #expect(exists.revision == first.modRevision)
            #expect(try await store.get("/k")?.value == bytes("a"))

            _ = try await store.delete("/k", expectedRevision: first.modRevision)
            let again = try await store.create("/k", value: bytes("c"))
            #expect(again.createRevision == again.modRevision)
            #expect(again.createRevision == 3)
        }
    }

    @Test(arguments: Backend.all)
    func revisionsAreGapFreeAndMonotonic(backend: Backend) async throws {
        try await backend.withStore { store, _ in
            var seen: [Int64] = []
            for index in 0..<20 {
                let key = "/gap/\(index % 5)"
                if let current = try await store.get(key) {
                    if index % 3 == 0 {
                        seen.append(try await store.delete(key, expectedRevision: current.modRevision).revision)
                    } else {
                        seen.append(try await store.update(key, value: bytes("\(index)"),
                                                           expectedRevision: current.modRevision).modRevision)
                    }
                } else {
                    seen.append(try await store.create(key, value: bytes("\(index)")).modRevision)
                }
                // Failed writes in between must not consume revisions.
                _ = try? await store.update(key, value: [], expectedRevision: -1)
                _ = try? await store.delete("/nothing", expectedRevision: nil)
            }
            #expect(seen == Array(1...20))
            #expect(try await store.currentRevision() == 20)
        }
    }

    @Test(arguments: Backend.all)
    func reopenKeepsDataAndRevision(backend: Backend) async throws {
        let directory = try TemporaryDirectory.make()
        defer { try? FileManager.default.removeItem(at: directory) }
        var store = try backend.open(directory, 100)
        for index in 0..<50 { _ = try await store.create("/r/\(index)", value: bytes("\(index)")) }
        _ = try await store.delete("/r/7", expectedRevision: nil)
        try await store.compact(40)
        await store.close()

        store = try backend.open(directory, 100)
        #expect(try await store.currentRevision() == 51)
        #expect(try await store.compactedRevision() == 40)
        #expect(try await store.get("/r/7") == nil)
        #expect(try await store.get("/r/8")?.modRevision == 9)
        #expect(try await store.list(prefix: "/r/").items.count == 49)
        #expect(try await store.create("/r/new", value: []).modRevision == 52)
        await store.close()
    }
}

