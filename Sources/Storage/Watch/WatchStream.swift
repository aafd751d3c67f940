/// The events of one watch, as an `AsyncSequence`.
///
/// Iterate it from one task. The sequence ends (returns `nil`) when that task is cancelled or `cancel()` is called,
/// and throws `StorageError` with `.watcherTooSlow`, `.compacted` or `.closed` when the store ends it. Dropping the
/// stream and its iterator also frees the watcher.
public struct WatchStream: AsyncSequence, Sendable {
    public typealias Element = WatchEvent
    public typealias Failure = any Error

    private let handle: Handle

    init(_ subscription: WatchSubscription) {
        handle = Handle(subscription)
    }

    /// Ends the watch; a consumer waiting in `next()` receives `nil`.
    public func cancel() {
        handle.subscription.cancel()
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(handle: handle)
    }

    /// Iterates a `WatchStream`.
    public struct AsyncIterator: AsyncIteratorProtocol {
        fileprivate let handle: Handle

        /// The next event, `nil` once the watch ended.
        public mutating func next() async throws -> WatchEvent? {
            try await handle.subscription.next()
        }
    }

    /// Owns the subscription on the consumer's side: when the last stream or iterator copy goes away, the watcher is
    /// unregistered, so an abandoned watch cannot pin a buffer in the hub.
    fileprivate final class Handle: Sendable {
        let subscription: WatchSubscription

        init(_ subscription: WatchSubscription) {
            self.subscription = subscription
        }

        deinit {
            subscription.cancel()
        }
    }
}
