import Foundation

/// Private keys generated ahead of time on background threads.
///
/// RSA key generation takes 50–300 ms per key and dominates building the certificate tree. kubeadm
/// runs one phase per certificate, each needing one key; if each phase generated its own key the
/// tree would cost the sum of all key generations. A pool started before the first phase generates
/// all needed keys concurrently (one thread per core), and each phase takes whichever key is ready
/// first, so signing and writing overlap with the remaining generation.
///
/// The pool uses its own threads rather than Dispatch's global queues: a caller blocked in `take()`
/// may itself be running on a global-queue or Swift-concurrency worker, and on a one-core machine
/// the work it waits for could otherwise never be scheduled. Dropping the pool stops generating keys
/// nobody has started yet (e.g. when validation fails after a prefetch).
public final class KeyPool: Sendable {
    /// Algorithm of every key in the pool.
    public let algorithm: KeyAlgorithm
    private let state: State

    /// Shared between the pool and its worker threads, so workers do not keep the pool alive.
    /// `@unchecked Sendable`: all mutable state is guarded by `condition`.
    private final class State: @unchecked Sendable {
        let condition = NSCondition()
        var ready: [Result<PrivateKey, any Error>] = []
        /// Keys no worker has started yet.
        var unclaimed: Int
        /// Keys that have not arrived in `ready` yet (started or not).
        var outstanding: Int

        init(count: Int) {
            unclaimed = count
            outstanding = count
        }

        /// Worker loop: claim a slot, generate the key, publish it; stop when nothing is left to claim.
        func work(_ algorithm: KeyAlgorithm) {
            while condition.withLock({ () -> Bool in
                guard unclaimed > 0 else { return false }
                unclaimed -= 1
                return true
            }) {
                let result = Result { try PrivateKey.generate(algorithm) }
                condition.withLock {
                    ready.append(result)
                    outstanding -= 1
                    condition.broadcast()
                }
            }
        }
    }

    /// Starts generating `count` keys in the background and returns immediately.
    /// - Parameters:
    ///   - algorithm: Algorithm of the keys.
    ///   - count: How many keys to prepare; `take()` generates inline once they are used up.
    public init(algorithm: KeyAlgorithm, count: Int) {
        let count = max(0, count)
        self.algorithm = algorithm
        self.state = State(count: count)
        let workers = min(count, max(1, ProcessInfo.processInfo.activeProcessorCount))
        for _ in 0..<workers {
            let thread = Thread { [state] in state.work(algorithm) }
            thread.name = "kubeadm-swift keygen"
            thread.start()
        }
    }

    deinit {
        state.condition.withLock {
            state.outstanding -= state.unclaimed
            state.unclaimed = 0
        }
    }

    /// Returns the next finished key, waiting for one still being generated if necessary; when none
    /// are left, generates one on the calling thread.
    /// - Throws: `PKIError` if key generation failed.
    public func take() throws -> PrivateKey {
        let condition = state.condition
        condition.lock()
        while state.ready.isEmpty && state.outstanding > 0 { condition.wait() }
        if state.ready.isEmpty {
            condition.unlock()
            return try PrivateKey.generate(algorithm)
        }
        let result = state.ready.removeFirst()
        condition.unlock()
        return try result.get()
    }
}
