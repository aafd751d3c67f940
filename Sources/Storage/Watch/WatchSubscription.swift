/// Loads stored events in `(after, through]` for one watcher, at most `limit`, together with the compacted revision
/// seen by the same snapshot (so the caller can tell whether rows it still needs were compacted away).
typealias HistoryLoader = @Sendable (_ after: Int64, _ through: Int64, _ limit: Int) async throws
    -> (events: [WatchEvent], compacted: Int64)

/// The state of one watcher: a replay cursor over stored history, then a bounded buffer of live events.
///
/// Lifecycle:
///
///     registered ──replay (after, replayEnd] from the log──▶ live (buffer ≤ capacity) ──▶ ended
///                                                             │ buffer full: ended(.watcherTooSlow)
///                                                             │ cancel / handle dropped: ended
///
/// The hub registers the watcher and reads `replayEnd` (the last published revision) under one lock, so every
/// event ≤ `replayEnd` is already committed (and is read from the log), and every event > `replayEnd` arrives live:
/// no gap and no duplicate at the hand-over.
final class WatchSubscription: Sendable {
    private enum Ending {
        case finished
        case failed(StorageError)
    }

    private struct State {
        var replayCursor: Int64
        var replayed: [WatchEvent] = []
        var replayedIndex = 0
        var live: [WatchEvent] = []
        var liveIndex = 0
        var waiter: CheckedContinuation<WatchEvent?, any Error>?
        var ending: Ending?

        var liveCount: Int { live.count - liveIndex }
    }

    let id: Int
    let prefix: String
    /// Live events at or below this revision are already covered by the replay (or were asked to be skipped).
    let replayEnd: Int64
    private let capacity: Int
    private let loader: HistoryLoader
    private let onEnd: @Sendable (Int) -> Void
    private let state: Locked<State>

    init(
        id: Int, prefix: String, after revision: Int64, replayEnd: Int64, capacity: Int,
        loader: @escaping HistoryLoader, onEnd: @escaping @Sendable (Int) -> Void
    ) {
        self.id = id
        self.prefix = prefix
        self.replayEnd = max(revision, replayEnd)
        self.capacity = max(1, capacity)
        self.loader = loader
        self.onEnd = onEnd
        state = Locked(State(replayCursor: revision))
    }

    // MARK: Producer side (the writer thread, through the hub)

    /// Queues live events that already match the prefix, in revision order.
    /// - Returns: `false` when the watcher has ended (it was cut off now or before) and should be dropped.
    func deliver(_ events: [WatchEvent]) -> Bool {
        var handOver: (CheckedContinuation<WatchEvent?, any Error>, Result<WatchEvent?, StorageError>)?
        let alive = state.withLock { state -> Bool in
            guard state.ending == nil else { return false }
            for event in events where event.revision > replayEnd {
                if let waiter = state.waiter {
                    // The consumer waits only when nothing is buffered, so the event goes straight to it.
                    state.waiter = nil
                    handOver = (waiter, .success(event))
                    continue
                }
                if state.liveCount >= capacity {
                    let error = StorageError(
                        .watcherTooSlow, revision: event.revision,
                        message: "watcher fell more than \(capacity) events behind; list and watch again"
                    )
                    state.ending = .failed(error)
                    state.live = []
                    state.liveIndex = 0
                    return false
                }
                state.live.append(event)
            }
            return true
        }
        if let (waiter, result) = handOver { waiter.resume(with: result.mapError { $0 as any Error }) }
        return alive
    }

    /// Ends the watch from the producer side (the store closed).
    func fail(_ error: StorageError) {
        end(.failed(error))
    }

    // MARK: Consumer side (one iterating task)

    /// The next event: stored history first, then live events.
    func next() async throws -> WatchEvent? {
        if let event = try await nextReplayed() { return event }
        return try await withTaskCancellationHandler {
            try await nextLive()
        } onCancel: {
            cancel()
        }
    }

    /// Ends the watch; a waiting `next()` returns `nil`. Safe to call more than once, from any thread.
    func cancel() {
        end(.finished)
    }

    private func end(_ ending: Ending) {
        let waiter = state.withLock { state -> CheckedContinuation<WatchEvent?, any Error>? in
            guard state.ending == nil else { return nil }
            state.ending = ending
            state.live = []
            state.liveIndex = 0
            state.replayed = []
            state.replayedIndex = 0
            defer { state.waiter = nil }
            return state.waiter
        }
        switch ending {
        case .finished: waiter?.resume(returning: nil)
        case .failed(let error): waiter?.resume(throwing: error)
        }
        onEnd(id)
    }

    /// Throws a pending failure once, then reports the end as `nil` (AsyncSequence convention).
    private func checkEnded(_ state: inout State) throws -> Bool {
        switch state.ending {
        case nil: return false
        case .finished: return true
        case .failed(let error):
            state.ending = .finished
            throw error
        }
    }

    private func nextReplayed() async throws -> WatchEvent? {
        while true {
            let step: (event: WatchEvent?, cursor: Int64?) = try state.withLock { state in
                if try checkEnded(&state) { return (nil, nil) }
                if state.replayedIndex < state.replayed.count {
                    defer { state.replayedIndex += 1 }
                    return (state.replayed[state.replayedIndex], nil)
                }
                return (nil, state.replayCursor < replayEnd ? state.replayCursor : nil)
            }
            if let event = step.event { return event }
            guard let cursor = step.cursor else { return nil }
            let (events, compacted) = try await loader(cursor, replayEnd, 512)
            if compacted > cursor {
                let error = StorageError(
                    .compacted, revision: compacted,
                    message: "watch needs revision \(cursor + 1) but history up to \(compacted) was compacted"
                )
                end(.failed(error))
                try state.withLock { _ = try checkEnded(&$0) }
                return nil
            }
            state.withLock { state in
                state.replayed = events
                state.replayedIndex = 0
                // An empty batch means nothing under the prefix remains in (cursor, replayEnd].
                state.replayCursor = events.last?.revision ?? replayEnd
            }
        }
    }

    private func nextLive() async throws -> WatchEvent? {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<WatchEvent?, any Error>) in
            let ready: Result<WatchEvent?, any Error>? = state.withLock { state in
                do {
                    if try checkEnded(&state) { return .success(nil) }
                } catch {
                    return .failure(error)
                }
                if state.liveIndex < state.live.count {
                    let event = state.live[state.liveIndex]
                    state.liveIndex += 1
                    // Compact the buffer once its consumed head dominates, keeping appends amortised O(1).
                    if state.liveIndex >= 1024 && state.liveIndex * 2 >= state.live.count {
                        state.live.removeFirst(state.liveIndex)
                        state.liveIndex = 0
                    }
                    return .success(event)
                }
                state.waiter = continuation
                return nil
            }
            if let ready { continuation.resume(with: ready) }
        }
    }
}
