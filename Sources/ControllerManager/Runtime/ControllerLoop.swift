import KubeAPI
import KubeClient

/// One level-triggered controller: an informer feeds keys into a rate-limited work queue, `workers` tasks take
/// keys and call `reconcile`, a failure requeues the key with back-off and a success forgets it (upstream's
/// `processNextWorkItem`). Reconcile reads the current state from the caches, never from the event; it may ask to
/// see the key again after a delay (a pod becoming available, a node lease running out), which is how
/// time-driven controllers stay level-triggered without a timer of their own.
public struct ControllerLoop: Sendable {
    public typealias Keys = @Sendable (InformerEvent) -> [String]
    /// Reconciles one key; a non-nil answer requeues the key after that long.
    public typealias Reconcile = @Sendable (String) async throws -> Duration?
    public var name: String
    /// Each informer with the keys its events concern (usually the object's own `namespace/name`, or its owner's).
    public var sources: [(informer: Informer, keys: Keys)]
    public var reconcile: Reconcile
    public var workers: Int
    /// Keys queued once the caches have synced, for controllers that must act even when no event names a key
    /// (a periodic pass over everything).
    public var initialKeys: [String] = []

    /// Every event wakes the same single key: for controllers that decide over a whole cache at once.
    public static func constantKey(_ key: String) -> Keys { { _ in [key] } }

    public static let ownKey: Keys = { [ObjectCache.key(for: $0.object)] }

    /// The key of the controlling owner of the given kind (a pod's ReplicaSet, a ReplicaSet's Deployment).
    public static func ownerKey(kind: String) -> Keys {
        { event in
            let object = event.object
            let owners = object["metadata"]?["ownerReferences"]?.array ?? []
            return owners.filter { $0["kind"]?.string == kind && $0["controller"]?.bool == true }.compactMap { owner in
                owner["name"]?.string.map { ObjectCache.key(namespace: object.metadata.namespace, name: $0) }
            }
        }
    }

    public init(name: String, informers: [Informer], workers: Int = 2, keys: @escaping Keys = ControllerLoop.ownKey,
                reconcile: @escaping @Sendable (String) async throws -> Void) {
        self.init(name: name, sources: informers.map { ($0, keys) }, workers: workers, reconcile: reconcile)
    }

    public init(name: String, sources: [(informer: Informer, keys: Keys)], workers: Int = 2,
                reconcile: @escaping @Sendable (String) async throws -> Void) {
        self.init(name: name, sources: sources, workers: workers, requeuing: { key in
            try await reconcile(key)
            return nil
        })
    }

    public init(name: String, sources: [(informer: Informer, keys: Keys)], workers: Int = 2, initialKeys: [String] = [],
                requeuing reconcile: @escaping Reconcile) {
        self.name = name; self.sources = sources; self.reconcile = reconcile; self.workers = workers; self.initialKeys = initialKeys
    }

    /// Runs until cancelled; informers are run by the caller (they may be shared between controllers).
    public func run(log: @escaping @Sendable (String) -> Void) async {
        let queue = WorkQueue<String>()
        let handlers = sources.map { source in
            (source.informer, source.informer.addHandler { event in for key in source.keys(event) { queue.add(key) } })
        }
        for source in sources { _ = await source.informer.waitForSync() }
        for key in initialKeys { queue.add(key) }
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<max(1, workers) {
                group.addTask {
                    while let key = await queue.get() {
                        do {
                            let again = try await reconcile(key)
                            queue.forget(key)
                            if let again { queue.addAfter(key, again) }
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
