import Foundation

/// A value guarded by a lock, for small synchronous state shared between the writer thread, reader threads and
/// tasks. (Actors would force an `await` into the writer thread's hot path; `Synchronization.Mutex` needs macOS 15.)
final class Locked<State>: @unchecked Sendable {
    private let lock = NSLock()
    private var state: State

    init(_ state: State) {
        self.state = state
    }

    /// Runs `body` with exclusive access to the state. Keep `body` short and never `await` or block in it.
    func withLock<Result>(_ body: (inout State) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&state)
    }
}
