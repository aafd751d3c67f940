import KubeAPI
import KubeClient

/// The `statefulset` loop: StatefulSets, their pods, claims and ControllerRevisions in, `StatefulSetSync` plans out,
/// written as `statefulset-controller`. Pod names are fixed, so a create planned from a stale cache meets 409 and
/// changes nothing; no expectations are needed, as upstream.
enum StatefulSetController {
    static func loops(_ context: ControllerContext) async throws -> [ControllerLoop] {
        let sets = context.informers.informer("apps", "statefulsets")
        let pods = context.informers.informer("", "pods")
        let claims = context.informers.informer("", "persistentvolumeclaims")
        let revisions = context.informers.informer("apps", "controllerrevisions")
        let (executor, recorder) = try await context.writers("statefulset-controller", component: "statefulset-controller")
        let sync = StatefulSetSync()
        let podKeys: ControllerLoop.Keys = { event in
            var previous: JSONValue?
            if case .updated(let old, _) = event { previous = old }
            return EventRouting.keys(for: event.object, previous: previous, ownerKind: "StatefulSet", owners: sets.cache.list)
        }
        let loop = ControllerLoop(name: "statefulset", sources: [(sets, ControllerLoop.ownKey), (pods, podKeys),
                                                                (revisions, ControllerLoop.ownerKey(kind: "StatefulSet"))]) { key in
            guard let set = sets.cache.get(key) else { return nil }
            let namespace = set.metadata.namespace ?? "default"
            let plan = sync.plan(set: set, pods: pods.cache.list(namespace: namespace), claims: claims.cache.list(namespace: namespace),
                                 revisions: revisions.cache.list(namespace: namespace), now: KubeTime.now())
            try await executor.execute(plan.claim + plan.history)
            await recorder.record(plan.events, about: set, kind: .statefulSet)
            try await executor.execute(plan.steps + plan.cleanup)
            if let status = plan.statusUpdate { try await executor.execute(status) }
            return plan.requeueAfterSeconds.map { .seconds($0) }
        }
        return [loop]
    }
}
