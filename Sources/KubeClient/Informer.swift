import KubeAPI

/// Keeps a local cache of one collection in step with the server and tells handlers what changed, with
/// client-go's reflector semantics:
///
/// 1. list (all pages) at the latest version, replace the cache, note the list's resourceVersion;
/// 2. watch from there with bookmarks, applying each event and remembering its resourceVersion;
/// 3. when the watch ends (server timeout, restart), watch again from the last version seen, so nothing is
///    missed and nothing is listed twice;
/// 4. when that version is gone (410: compacted), list again and deliver the difference as add/update/delete;
/// 5. on any other failure, back off and list again.
///
/// Handlers run one event at a time on the informer's dispatch task, after the cache reflects the change; a slow
/// handler delays later events but never the cache. Controllers usually just turn events into work-queue keys.
public final class Informer: Sendable {
    public typealias Handler = @Sendable (InformerEvent) -> Void

    public let resource: APIResourceInfo
    /// nil = all namespaces.
    public let namespace: String?
    public let options: ListOptions
    /// The local copy; read it freely (e.g. from a worker handling a key).
    public let cache = ObjectCache()

    private let client: RESTClient
    private let resyncPeriod: Duration?
    private let pageSize: Int
    private let state = LockedValue(State())
    private let deliveries: AsyncStream<Delivery>
    private let deliver: AsyncStream<Delivery>.Continuation

    private struct State: Sendable {
        var handlers: [(id: Int, handler: Handler)] = []
        var nextID = 0
        var synced = false
        var listedOnce = false
        var lastResourceVersion = ""
        var lists = 0
        var watches = 0
    }

    private enum Delivery: Sendable {
        case event(InformerEvent)
        /// The cache as it was when a late handler registered: replayed to that handler alone as adds.
        case replay(handlerID: Int, objects: [JSONValue])
        /// Everything of the first list has been delivered.
        case synced
    }

    /// - Parameters:
    ///   - namespace: nil watches the resource in every namespace.
    ///   - options: label/field selectors (paging and resourceVersion are managed by the informer);
    ///     `timeoutSeconds` bounds each watch (default: random 5–10 minutes, as client-go, so that many
    ///     informers do not reconnect in step).
    ///   - resyncPeriod: re-deliver every cached object as `updated(old, new)` with old == new this often.
    ///   - pageSize: list page size.
    public init(client: RESTClient, resource: APIResourceInfo, namespace: String? = nil, options: ListOptions = ListOptions(),
                resyncPeriod: Duration? = nil, pageSize: Int = 500) {
        self.client = client
        self.resource = resource
        self.namespace = namespace
        self.options = options
        self.resyncPeriod = resyncPeriod
        self.pageSize = pageSize
        (deliveries, deliver) = AsyncStream<Delivery>.makeStream()
    }

    /// Registers a handler. One registered before `run()` sees the first list as adds; one registered later first
    /// receives the current cache as adds, then live events.
    /// - Returns: an id for `removeHandler`.
    @discardableResult
    public func addHandler(_ handler: @escaping Handler) -> Int {
        let (id, snapshot) = state.withLock { state -> (Int, [JSONValue]?) in
            let id = state.nextID
            state.nextID += 1
            state.handlers.append((id, handler))
            return (id, state.listedOnce ? cache.list : nil)
        }
        if let snapshot, !snapshot.isEmpty { deliver.yield(.replay(handlerID: id, objects: snapshot)) }
        return id
    }

    public func removeHandler(_ id: Int) {
        state.withLock { $0.handlers.removeAll { $0.id == id } }
    }

    /// The changes as an async sequence (a handler feeding a stream); it ends when the consumer stops iterating.
    public func changes() -> AsyncStream<InformerEvent> {
        let (stream, continuation) = AsyncStream<InformerEvent>.makeStream()
        let id = addHandler { continuation.yield($0) }
        continuation.onTermination = { [weak self] _ in self?.removeHandler(id) }
        return stream
    }

    /// Whether the first list has been stored and delivered to the handlers registered before it.
    public var hasSynced: Bool { state.value.synced }

    /// The resourceVersion the next watch would start from.
    public var lastSyncResourceVersion: String { state.value.lastResourceVersion }

    /// How many lists and watches the informer has issued (for tests and metrics: a relist shows up here).
    public var requestCounts: (lists: Int, watches: Int) { state.withLock { ($0.lists, $0.watches) } }

    /// Waits until `hasSynced`, or returns false once `timeout` passes or the task is cancelled.
    public func waitForSync(timeout: Duration = .seconds(30)) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while !hasSynced {
            guard ContinuousClock.now < deadline, !Task.isCancelled else { return false }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return true
    }

    /// Runs the reflector, the dispatcher and the resync timer until the calling task is cancelled. Run it once.
    public func run() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.dispatch() }
            if let period = resyncPeriod {
                group.addTask { await self.resync(every: period) }
            }
            await reflect()
            deliver.finish()
            group.cancelAll()
        }
    }

    // MARK: - Reflector

    private func reflect() async {
        var backoff = RetryBackoff()
        var resourceVersion = ""
        var needsList = true
        while !Task.isCancelled {
            do {
                if needsList {
                    resourceVersion = try await relist(from: resourceVersion)
                    needsList = false
                }
                let started = ContinuousClock.now
                var received = 0
                for try await event in try await openWatch(from: resourceVersion) {
                    apply(event)
                    received += 1
                    if let version = event.resourceVersion, !version.isEmpty {
                        resourceVersion = version
                        state.withLock { $0.lastResourceVersion = version }
                    }
                }
                // A clean end: watch again from where we are. A server that ends every watch at once gets the
                // same backoff as a failing one instead of a busy loop.
                if received == 0 && ContinuousClock.now - started < .seconds(1) {
                    try await Task.sleep(for: backoff.next())
                } else {
                    backoff.reset()
                }
            } catch is CancellationError {
                return
            } catch let error as KubeClientError where error.isGone {
                // Our version was compacted away: only a fresh, consistent list can tell what we missed.
                resourceVersion = ""
                needsList = true
            } catch {
                if Task.isCancelled { return }
                needsList = true
                try? await Task.sleep(for: backoff.next())
            }
        }
    }

    /// Lists everything and folds it into the cache; returns the list's resourceVersion.
    private func relist(from resourceVersion: String) async throws -> String {
        var listOptions = options
        listOptions.limit = pageSize
        listOptions.continueToken = nil
        listOptions.timeoutSeconds = nil
        listOptions.resourceVersion = resourceVersion
        listOptions.resourceVersionMatch = nil
        state.withLock { $0.lists += 1 }
        let list = try await client.listAll(resource, namespace: namespace, options: listOptions)
        for event in cache.replace(with: list.items) { deliver.yield(.event(event)) }
        let first = state.withLock { state -> Bool in
            state.lastResourceVersion = list.resourceVersion
            defer { state.listedOnce = true }
            return !state.listedOnce
        }
        if first { deliver.yield(.synced) }
        return list.resourceVersion
    }

    private func openWatch(from resourceVersion: String) async throws -> AsyncThrowingStream<WatchEvent, any Error> {
        var watchOptions = options
        watchOptions.timeoutSeconds = options.timeoutSeconds ?? Int.random(in: 300...600)
        state.withLock { $0.watches += 1 }
        return try await client.watch(resource, namespace: namespace, options: watchOptions,
                                      resourceVersion: resourceVersion, allowWatchBookmarks: true)
    }

    private func apply(_ event: WatchEvent) {
        switch event.type {
        case .added, .modified:
            if let old = cache.upsert(event.object) {
                deliver.yield(.event(.updated(old: old, new: event.object)))
            } else {
                deliver.yield(.event(.added(event.object)))
            }
        case .deleted:
            cache.remove(event.object)
            deliver.yield(.event(.deleted(event.object)))
        case .bookmark:
            break
        }
    }

    // MARK: - Dispatch

    private func dispatch() async {
        for await delivery in deliveries {
            switch delivery {
            case .event(let event):
                for entry in state.value.handlers { entry.handler(event) }
            case .replay(let id, let objects):
                guard let handler = state.value.handlers.first(where: { $0.id == id })?.handler else { continue }
                for object in objects { handler(.added(object)) }
            case .synced:
                state.withLock { $0.synced = true }
            }
        }
    }

    private func resync(every period: Duration) async {
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: period)
            } catch {
                return
            }
            for object in cache.list { deliver.yield(.event(.updated(old: object, new: object))) }
        }
    }
}
