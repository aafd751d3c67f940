/// A rate-limited work queue for level-triggered controllers, with client-go's guarantees:
///
/// - an item is queued at most once however often it is added (dirty set), so a burst of events for one object
///   becomes one reconcile;
/// - an item is handed to at most one worker at a time: adding it while it is being processed marks it to be
///   queued again when that worker calls `done`;
/// - `addRateLimited` re-queues after the rate limiter's delay (per-item exponential backoff by default);
///   `forget` resets the item's backoff after a success.
///
/// Workers loop `while let key = await queue.get() { ...; queue.done(key) }`; `get` returns nil after
/// `shutDown()`.
public final class WorkQueue<Key: Hashable & Sendable>: Sendable {
    private let rateLimiter: any RateLimiter<Key>
    private let state = LockedValue(State())

    private struct State: Sendable {
        var queue: [Key] = []
        var head = 0
        var dirty: Set<Key> = []
        var processing: Set<Key> = []
        var waiters: [(id: Int, continuation: CheckedContinuation<Key?, Never>)] = []
        var nextWaiter = 0
        var delayed: [Key: (deadline: ContinuousClock.Instant, timer: Task<Void, Never>)] = [:]
        var shuttingDown = false

        var queued: Int { queue.count - head }

        mutating func popFirst() -> Key? {
            guard head < queue.count else { return nil }
            let key = queue[head]
            head += 1
            if head > 64 && head * 2 > queue.count {
                queue.removeFirst(head)
                head = 0
            }
            return key
        }

        /// Queues a dirty, idle key: straight to a waiting worker when there is one.
        mutating func enqueue(_ key: Key) -> CheckedContinuation<Key?, Never>? {
            guard !waiters.isEmpty else {
                queue.append(key)
                return nil
            }
            dirty.remove(key)
            processing.insert(key)
            return waiters.removeFirst().continuation
        }
    }

    /// - Parameters:
    ///   - rateLimiter: the delay policy of `addRateLimited`; client-go's controller default when omitted.
    public init(rateLimiter: any RateLimiter<Key> = MaxOfRateLimiter<Key>.defaultController()) {
        self.rateLimiter = rateLimiter
    }

    /// Queues `key` unless it is already queued; if a worker holds it, it is queued again on `done`.
    public func add(_ key: Key) {
        let waiter = state.withLock { state -> CheckedContinuation<Key?, Never>? in
            guard !state.shuttingDown, !state.dirty.contains(key) else { return nil }
            state.dirty.insert(key)
            if state.processing.contains(key) { return nil }
            return state.enqueue(key)
        }
        waiter?.resume(returning: key)
    }

    /// Queues `key` after `delay`. A key already waiting keeps the earlier of the two deadlines.
    public func addAfter(_ key: Key, _ delay: Duration) {
        guard delay > .zero else {
            add(key)
            return
        }
        let deadline = ContinuousClock.now + delay
        state.withLock { state in
            guard !state.shuttingDown else { return }
            if let waiting = state.delayed[key] {
                guard deadline < waiting.deadline else { return }
                waiting.timer.cancel()
            }
            let timer = Task { [weak self] in
                do {
                    try await Task.sleep(until: deadline, clock: .continuous)
                } catch {
                    return
                }
                self?.fire(key, deadline: deadline)
            }
            state.delayed[key] = (deadline, timer)
        }
    }

    private func fire(_ key: Key, deadline: ContinuousClock.Instant) {
        let due = state.withLock { state -> Bool in
            guard state.delayed[key]?.deadline == deadline else { return false }
            state.delayed[key] = nil
            return true
        }
        if due { add(key) }
    }

    /// Queues `key` after the rate limiter's delay for it (call when processing failed).
    public func addRateLimited(_ key: Key) { addAfter(key, rateLimiter.when(key)) }

    /// Ends the key's backoff (call when processing succeeded). It does not remove a queued key.
    public func forget(_ key: Key) { rateLimiter.forget(key) }

    /// How often the key was re-queued by `addRateLimited` since it was last forgotten.
    public func numRequeues(_ key: Key) -> Int { rateLimiter.numRequeues(key) }

    /// The next key to process, waiting while the queue is empty; nil once the queue is shut down (or the
    /// calling task is cancelled).
    public func get() async -> Key? {
        let id = state.withLock { state -> Int in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Key?, Never>) in
                let ready = state.withLock { state -> (resume: Bool, key: Key?) in
                    if let key = state.popFirst() {
                        state.dirty.remove(key)
                        state.processing.insert(key)
                        return (true, key)
                    }
                    if state.shuttingDown || Task.isCancelled { return (true, nil) }
                    state.waiters.append((id, continuation))
                    return (false, nil)
                }
                if ready.resume { continuation.resume(returning: ready.key) }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Key?, Never>? in
                guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return state.waiters.remove(at: index).continuation
            }
            waiter?.resume(returning: nil)
        }
    }

    /// Marks `key` processed; if it was added meanwhile, it is queued again now.
    public func done(_ key: Key) {
        let waiter = state.withLock { state -> CheckedContinuation<Key?, Never>? in
            state.processing.remove(key)
            guard state.dirty.contains(key), !state.shuttingDown else { return nil }
            return state.enqueue(key)
        }
        waiter?.resume(returning: key)
    }

    /// Stops the queue: waiting and future `get` calls return nil, adds are ignored, delayed adds are dropped.
    public func shutDown() {
        let waiters = state.withLock { state -> [CheckedContinuation<Key?, Never>] in
            state.shuttingDown = true
            for entry in state.delayed.values { entry.timer.cancel() }
            state.delayed.removeAll()
            defer { state.waiters.removeAll() }
            return state.waiters.map(\.continuation)
        }
        for waiter in waiters { waiter.resume(returning: nil) }
    }

    public var isShuttingDown: Bool { state.withLock { $0.shuttingDown } }

    /// Keys queued and not yet handed out.
    public var count: Int { state.withLock { $0.queued } }

    /// Keys waiting for an `addAfter` deadline.
    public var delayedCount: Int { state.withLock { $0.delayed.count } }
}
