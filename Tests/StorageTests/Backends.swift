import Foundation
import Storage

/// A backend under test: every conformance test runs once per entry of `Backend.all`.
struct Backend: Sendable, CustomStringConvertible {
    var description: String
    /// Opens (or reopens) the backend's data in `directory`.
    var open: @Sendable (_ directory: URL, _ watchBuffer: Int) throws -> any StorageBackend

    static let sqlite = Backend(description: "sqlite") { directory, watchBuffer in
        try SQLiteStore(
            path: directory.appendingPathComponent("state.db").path,
            options: SQLiteStore.Options(watchBuffer: watchBuffer, compactionStep: 700)
        )
    }

    static let all: [Backend] = [.sqlite]

    /// Runs `body` with a fresh store in a temporary directory, then closes the store and removes the directory,
    /// also when `body` throws.
    func withStore<T>(
        watchBuffer: Int = 10_000, _ body: (any StorageBackend, URL) async throws -> T
    ) async throws -> T {
        let directory = try TemporaryDirectory.make()
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try open(directory, watchBuffer)
        do {
            let result = try await body(store, directory)
            await store.close()
            return result
        } catch {
            await store.close()
            throw error
        }
    }
}

enum TemporaryDirectory {
    static func make() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("storage-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// Test values: the bytes of a short string.
func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

/// Reads exactly `count` events from `stream` (the test's time limit guards against a stream that stalls).
func take(_ count: Int, from stream: WatchStream) async throws -> [WatchEvent] {
    var events: [WatchEvent] = []
    var iterator = stream.makeAsyncIterator()
    while events.count < count, let event = try await iterator.next() {
        events.append(event)
    }
    return events
}

/// Asserts that `body` throws a `StorageError` with `code` and returns it.
@discardableResult
func expectStorageError(
    _ code: StorageError.Code, _ body: () async throws -> Void
) async throws -> StorageError {
    do {
        try await body()
    } catch let error as StorageError {
        guard error.code == code else { throw UnexpectedError(description: "expected \(code), got \(error)") }
        return error
    }
    throw UnexpectedError(description: "expected \(code), but nothing was thrown")
}

struct UnexpectedError: Error, CustomStringConvertible {
    var description: String
}
