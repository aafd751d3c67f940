import Dispatch

/// A few read-only connections for `get`, `list` and watch replay.
///
/// In WAL mode readers never block the writer nor each other, so reads do not queue behind group commits. Each read
/// runs on a Dispatch worker thread rather than on the cooperative pool, because a long list blocks its thread
/// for milliseconds and the cooperative pool has only one thread per core.
final class ReadPool: Sendable {
    private struct State {
        var idle: [SQLiteConnection] = []
        var waiters: [CheckedContinuation<SQLiteConnection, any Error>] = []
        var closed = false
    }

    private let state: Locked<State>

    init(path: String, connections count: Int) throws(StorageError) {
        var connections: [SQLiteConnection] = []
        for _ in 0..<max(1, count) {
            let connection = try SQLiteConnection(path: path)
            try connection.execute(Schema.readerPragmas)
            connections.append(connection)
        }
        state = Locked(State(idle: connections))
    }

    /// Runs `body` with a connection of its own, off the cooperative thread pool.
    func read<Result: Sendable>(_ body: @escaping @Sendable (SQLiteConnection) throws -> Result) async throws -> Result {
        let connection = try await acquire()
        defer { release(connection) }
        return try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Swift.Result { try body(connection) })
            }
        }
    }

    /// Closes idle connections now and busy ones when they come back; waiting readers fail with `.closed`.
    func close() {
        let (idle, waiters) = state.withLock { state in
            state.closed = true
            defer { state.idle = []; state.waiters = [] }
            return (state.idle, state.waiters)
        }
        idle.forEach { $0.close() }
        waiters.forEach { $0.resume(throwing: StorageError(.closed)) }
    }

    private func acquire() async throws -> SQLiteConnection {
        try await withCheckedThrowingContinuation { continuation in
            let ready: Swift.Result<SQLiteConnection, StorageError>? = state.withLock { state in
                if state.closed { return .failure(StorageError(.closed)) }
                if let connection = state.idle.popLast() { return .success(connection) }
                state.waiters.append(continuation)
                return nil
            }
            if let ready { continuation.resume(with: ready) }
        }
    }

    private func release(_ connection: SQLiteConnection) {
        enum Next { case idle, close, handOver(CheckedContinuation<SQLiteConnection, any Error>) }
        let next: Next = state.withLock { state in
            if state.closed { return .close }
            if state.waiters.isEmpty {
                state.idle.append(connection)
                return .idle
            }
            return .handOver(state.waiters.removeFirst())
        }
        switch next {
        case .idle: break
        case .close: connection.close()
        case .handOver(let waiter): waiter.resume(returning: connection)
        }
    }
}
