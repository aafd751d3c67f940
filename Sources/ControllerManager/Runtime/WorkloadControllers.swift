import KubeAPI
import KubeClient

/// The ReplicaSet and Deployment controllers: informer caches in, the pure plans of ReplicaSetSync and
/// DeploymentSync out, carried out by each controller's own client.
enum WorkloadControllers {
    static func replicaSets(_ context: ControllerContext) async throws -> [ControllerLoop] {
        let replicaSets = context.informers.informer("apps", "replicasets")
        let pods = context.informers.informer("", "pods")
        let executor = try await context.executor("replicaset-controller")
        let sync = ReplicaSetSync()
        return [ControllerLoop(name: "replicaset", sources: [(replicaSets, ControllerLoop.ownKey),
                                                             (pods, ControllerLoop.ownerKey(kind: "ReplicaSet"))]) { key in
            guard let replicaSet = replicaSets.cache.get(key) else { return }
            let namespace = replicaSet.metadata.namespace ?? "default"
            let plan = sync.plan(replicaSet: replicaSet, pods: pods.cache.list(namespace: namespace), now: KubeTime.now())
            try await executor.execute(plan.claim)
            for batch in plan.createBatches { try await executor.executeBatch(batch) }
            try await executor.execute(plan.deletions)
            if let status = plan.statusUpdate { try await executor.execute(status) }
        }]
    }

    static func deployments(_ context: ControllerContext) async throws -> [ControllerLoop] {
        let deployments = context.informers.informer("apps", "deployments")
        let replicaSets = context.informers.informer("apps", "replicasets")
        let pods = context.informers.informer("", "pods")
        let (executor, recorder) = try await context.writers("deployment-controller", component: "deployment-controller")
        let sync = DeploymentSync()
        return [ControllerLoop(name: "deployment", sources: [(deployments, ControllerLoop.ownKey),
                                                             (replicaSets, ControllerLoop.ownerKey(kind: "Deployment"))]) { key in
            guard let deployment = deployments.cache.get(key) else { return }
            let namespace = deployment.metadata.namespace ?? "default"
            let plan = sync.plan(deployment: deployment, replicaSets: replicaSets.cache.list(namespace: namespace),
                                 pods: pods.cache.list(namespace: namespace), now: KubeTime.now())
            try await executor.execute(plan.actions)
            await recorder.record(plan.events, about: deployment, kind: .deployment)
        }]
    }
}
