/// In-process fan-out of committed events to watchers (kine's broadcaster, minus the polling).
///
/// The writer thread calls `publish` right after each commit, in revision order. Registration reads the last
/// published revision under the same lock, which is what makes the replay/live hand-over exact.
final class WatchHub: Sendable {
    private struct State {
        var subscribers: [Int: WatchSubscription] = [:]
        var nextID = 0
        var published: Int64
        var closed = false
    }

    private let state: Locked<State>

    init(publishedRevision: Int64) {
        state = Locked(State(published: publishedRevision))
    }

    /// The newest revision whose events were handed to watchers (every write up to it is committed).
    var publishedRevision: Int64 {
        state.withLock { $0.published }
    }

    var subscriberCount: Int {
        state.withLock { $0.subscribers.count }
    }

    /// Adds a watcher for changes under `prefix` after `revision`.
    func register(
        prefix: String, after revision: Int64, capacity: Int, loader: @escaping HistoryLoader
    ) throws -> WatchSubscription {
        try state.withLock { state in
            guard !state.closed else { throw StorageError(.closed) }
            state.nextID += 1
            let subscription = WatchSubscription(
                id: state.nextID, prefix: prefix, after: revision, replayEnd: state.published,
                capacity: capacity, loader: loader,
                onEnd: { [weak self] id in self?.remove(id) }
            )
            state.subscribers[state.nextID] = subscription
            return subscription
        }
    }

    /// Hands committed events (in revision order) to every matching watcher and advances the published revision.
    func publish(_ events: [WatchEvent], through revision: Int64) {
        state.withLock { state in
            state.published = max(state.published, revision)
            guard !events.isEmpty else { return }
            var dropped: [Int] = []
            for (id, subscriber) in state.subscribers {
                let matching = subscriber.prefix.isEmpty
                    ? events
                    : events.filter { KeyRange.key($0.key, hasPrefix: subscriber.prefix) }
                if !matching.isEmpty && !subscriber.deliver(matching) { dropped.append(id) }
            }
            for id in dropped { state.subscribers[id] = nil }
        }
    }

    func remove(_ id: Int) {
        _ = state.withLock { $0.subscribers.removeValue(forKey: id) }
    }

    /// Ends every watch with `error` and refuses new ones.
    func close(with error: StorageError) {
        let subscribers = state.withLock { state in
            state.closed = true
            defer { state.subscribers = [:] }
            return Array(state.subscribers.values)
        }
        subscribers.forEach { $0.fail(error) }
    }
}
