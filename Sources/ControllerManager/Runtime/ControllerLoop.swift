import KubeAPI
import KubeClient

/// One level-triggered controller: an informer feeds keys into a rate-limited work queue, `workers` tasks take
/// keys and call `reconcile`, a failure requeues the key with back-off and a success forgets it (upstream's
/// `processNextWorkItem`). Reconcile reads the current state from the caches, never from the event.
public struct ControllerLoop: Sendable {
    public var name: String
    public var informers: [Informer]
    /// Which keys an informer event concerns (usually the object's own `namespace/name`).
    public var keys: @Sendable (InformerEvent) -> [String]
    public var reconcile: @Sendable (String) async throws -> Void
    public var workers: Int

    public init(name: String, informers: [Informer], workers: Int = 2, keys: @escaping @Sendable (InformerEvent) -> [String] = { [ObjectCache.key(for: $0.object)] },
                reconcile: @escaping @Sendable (String) async throws -> Void) {
        self.name = name; self.informers = informers; self.keys = keys; self.reconcile = reconcile; self.workers = workers
    }

    /// Runs until cancelled; informers are run by the caller (they may be shared between controllers).
    public func run(log: @escaping @Sendable (String) -> Void) async {
        let queue = WorkQueue<String>()
        let keys = self.keys
        let handlers = informers.map { informer in
            (informer, informer.addHandler { event in for key in keys(event) { queue.add(key) } })
        }
        for informer in informers { _ = await informer.waitForSync() }
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<max(1, workers) {
                group.addTask {
                    while let key = await queue.get() {
                        do {
                            try await reconcile(key)
                            queue.forget(key)
                        } catch {
                            log("\(name): \(key): \(error); retrying")
                            queue.addRateLimited(key)
                        }
                        queue.done(key)
                    }
                }
            }
            group.addTask {
                while !Task.isCancelled { try? await Task.sleep(for: .seconds(3600)) }
                queue.shutDown()
            }
        }
        for (informer, id) in handlers { informer.removeHandler(id) }
    }
}
