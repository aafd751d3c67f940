import Foundation
import Storage
import Testing

/// SQLite-specific behaviour: the file stays bounded under churn and the durable settings are in force.
@Suite("SQLite file", .timeLimit(.minutes(2)))
struct SQLiteFileTests {
    @Test func fileStaysBoundedUnderChurn() async throws {
        let directory = try TemporaryDirectory.make()
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteStore(path: directory.appendingPathComponent("state.db").path)
        let value = [UInt8](repeating: 0x7A, count: 4096)
        let keys = 200
        var largest: Int64 = 0
        // 30 rounds × 200 keys × 4 KiB = 24 MiB of values written and deleted (plus as much again in old_value).
        for round in 0..<30 {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for shard in 0..<8 {
                    group.addTask {
                        for index in stride(from: shard, to: keys, by: 8) {
                            let created = try await store.create("/churn/\(index)", value: value)
                            _ = try await store.update("/churn/\(index)", value: value, expectedRevision: created.modRevision)
                            _ = try await store.delete("/churn/\(index)", expectedRevision: nil)
                        }
                    }
                }
                try await group.waitForAll()
            }
            try await store.compact(try await store.currentRevision())
            largest = max(largest, store.fileSize())
            if round == 0 { print("churn: file after the first round \(store.fileSize()) bytes") }
        }
        let final = store.fileSize()
        print("churn: largest \(largest) bytes, final \(final) bytes")
        // One round holds ~200 × 3 rows × 4–8 KiB ≈ 4 MiB of log plus its WAL; the bound allows a few rounds of that
        // but is far below the ~90 MiB that 30 uncompacted rounds would occupy.
        #expect(largest < 16 << 20)
        #expect(final < 16 << 20)
        #expect(try await store.list(prefix: "/churn/").items.isEmpty)
        await store.close()
        // After a clean close the WAL is checkpointed away, so the main file alone must be small.
        let mainFile = try FileManager.default.attributesOfItem(atPath: store.path)[.size] as? NSNumber
        print("churn: main file after close \(mainFile?.int64Value ?? -1) bytes")
        #expect((mainFile?.int64Value ?? .max) < 8 << 20)
    }
}
