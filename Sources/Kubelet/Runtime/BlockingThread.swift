import Foundation

/// Runs blocking work (waiting for a child, reading a pipe) on a thread of its own.
///
/// The cooperative pool has one thread per core (two here); a `waitpid` or `read` that blocks on it would stall
/// every task in the process. A short-lived `Thread` per blocking call costs tens of microseconds, which is
/// nothing next to spawning runc.
enum BlockingThread {
    /// Runs `body` on a new thread and resumes with its result.
    /// - Parameters:
    ///   - name: the thread name, visible in debuggers and `/proc/<pid>/task/*/comm`.
    ///   - body: the blocking work.
    static func run<T: Sendable>(
        name: String, _ body: @escaping @Sendable () throws -> T
    ) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            start(name: name) { continuation.resume(with: Result { try body() }) }
        }
    }

    /// Starts `body` on a new detached thread.
    static func start(name: String, _ body: @escaping @Sendable () -> Void) {
        let thread = Thread(block: body)
        thread.name = name
        thread.start()
    }
}
