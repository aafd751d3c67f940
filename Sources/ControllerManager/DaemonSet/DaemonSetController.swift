import KubeAPI
import KubeClient
import Synchronization

/// The `daemonset` loop: DaemonSets, Nodes, pods and ControllerRevisions in, `DaemonSetSync` plans out, written as
/// `daemon-set-controller`. Expectations keep a stale pod cache from creating a second pod on a node: until the
/// pods a sync created or deleted show up in the cache, the next sync only writes status. A node whose daemon pod
/// failed is backed off (1 s doubling to 15 min, upstream `failedPodsBackoff`) so a kubelet that keeps rejecting
/// the pod is not fought in a hot loop.
enum DaemonSetController {
    static let initialBackoff: Duration = .seconds(1)
    static let maxBackoff: Duration = .seconds(900)

    static func loops(_ context: ControllerContext) async throws -> [ControllerLoop] {
        let daemonSets = context.informers.informer("apps", "daemonsets")
        let nodes = context.informers.informer("", "nodes")
        let pods = context.informers.informer("", "pods")
        let revisions = context.informers.informer("apps", "controllerrevisions")
        let (executor, recorder) = try await context.writers("daemon-set-controller", component: "daemonset-controller")
        let expectations = ExpectationsBox()
        let sync = DaemonSetSync()
        /// "daemonset key/node" → when the backoff ends and how long the next one lasts.
        let backoff = Mutex<[String: (until: ContinuousClock.Instant, next: Duration)]>([:])

        /// A pod event wakes its DaemonSet (or the ones that could adopt it) and settles that DaemonSet's
        /// expectations: an add counts as an observed create, a delete or a deletion timestamp as an observed delete.
        let podKeys: ControllerLoop.Keys = { event in
            var previous: JSONValue?
            if case .updated(let old, _) = event { previous = old }
            let keys = EventRouting.keys(for: event.object, previous: previous, ownerKind: "DaemonSet", owners: daemonSets.cache.list)
            expectations.observe(event, for: keys)
            return keys
        }
        let revisionKeys: ControllerLoop.Keys = { event in
            EventRouting.keys(for: event.object, ownerKind: "DaemonSet", owners: daemonSets.cache.list)
        }
        /// Any node change may change where every DaemonSet should run.
        let everyDaemonSet: ControllerLoop.Keys = { _ in daemonSets.cache.keys }

        let loop = ControllerLoop(name: "daemonset", sources: [(daemonSets, ControllerLoop.ownKey), (nodes, everyDaemonSet),
                                                              (pods, podKeys), (revisions, revisionKeys)]) { key in
            guard let daemonSet = daemonSets.cache.get(key) else {
                expectations.withLock { $0.remove(key) }
                return nil
            }
            let namespace = daemonSet.metadata.namespace ?? "default"
            let now = KubeTime.now()
            let clock = ContinuousClock.now
            let backedOff = backoff.withLock { entries in
                Set(entries.filter { $0.key.hasPrefix(key + "/") && $0.value.until > clock }.map { String($0.key.dropFirst(key.count + 1)) })
            }
            let plan = sync.plan(daemonSet: daemonSet, nodes: nodes.cache.list, pods: pods.cache.list(namespace: namespace),
                                 revisions: revisions.cache.list(namespace: namespace),
                                 expectationsSatisfied: expectations.withLock { $0.satisfied(key, now: now) }, failedPodBackoff: backedOff, now: now)
            backoff.withLock { entries in
                for node in plan.failedPodNodes {
                    let delay = entries[key + "/" + node]?.next ?? initialBackoff
                    entries[key + "/" + node] = (clock + delay, min(delay * 2, maxBackoff))
                }
            }
            await recorder.record(plan.events, about: daemonSet, kind: .daemonSet)
            try await executor.execute(plan.claim + plan.history)
            let creations = plan.createBatches.reduce(0) { $0 + $1.count }
            let deletions = plan.deletions.compactMap { action -> String? in
                guard case .delete(let ref, _, _) = action else { return nil }
                return ObjectCache.key(namespace: ref.namespace, name: ref.name)
            }
            if creations > 0 || !deletions.isEmpty {
                expectations.withLock { $0.expect(key, creations: creations, deletions: deletions, now: now) }
            }
            do {
                for batch in plan.createBatches { try await executor.executeBatch(batch) }
                try await executor.execute(plan.deletions)
            } catch {
                // What failed will never be observed; plan again from the cache rather than wait out the timeout.
                expectations.withLock { $0.remove(key) }
                throw error
            }
            try await executor.execute(plan.cleanup)
            if let status = plan.statusUpdate { try await executor.execute(status) }
            let backoffEnds = backoff.withLock { entries in
                plan.backedOffNodes.compactMap { entries[key + "/" + $0].map { $0.until - clock } }.min()
            }
            return [plan.requeueAfterSeconds.map { Duration.seconds($0) }, backoffEnds].compactMap { $0 }.min()
        }
        return [loop]
    }
}
