import KubeAPI
import KubeClient

/// The `disruption` loop: PodDisruptionBudgets, pods and the workload controllers in, `DisruptionBudgetStatus`
/// writes each budget's status as `disruption-controller`. A pod or workload event wakes every budget of its
/// namespace; a recorded eviction brings the budget back when its timeout ends.
enum DisruptionController {
    /// The workloads whose scale a percentage budget counts.
    static let workloads: [(group: String, plural: String)] = [
        ("apps", "replicasets"), ("apps", "deployments"), ("apps", "statefulsets"), ("", "replicationcontrollers"),
    ]

    static func loops(_ context: ControllerContext) async throws -> [ControllerLoop] {
        let budgets = context.informers.informer("policy", "poddisruptionbudgets")
        let pods = context.informers.informer("", "pods")
        let controllers = workloads.compactMap { entry -> (kind: ResourceKind, informer: Informer)? in
            guard let info = ResourceTable.resource(group: entry.group, version: "v1", plural: entry.plural) else { return nil }
            return (ResourceKind(info.groupVersion, info.kind), context.informers.informer(entry.group, entry.plural))
        }
        let executor = try await context.executor("disruption-controller")
        let budgetsOfNamespace: ControllerLoop.Keys = { event in
            budgets.cache.list(namespace: event.object.metadata.namespace ?? "").map { ObjectCache.key(for: $0) }
        }
        let sources = [(budgets, ControllerLoop.ownKey), (pods, budgetsOfNamespace)] + controllers.map { ($0.informer, budgetsOfNamespace) }
        let loop = ControllerLoop(name: "disruption", sources: sources, requeuing: { key in
            guard let budget = budgets.cache.get(key) else { return nil }
            let namespace = budget.metadata.namespace ?? "default"
            let owners = controllers.flatMap { source in source.informer.cache.list(namespace: namespace).map { KindedObject(source.kind, $0) } }
            let (update, recheck) = DisruptionBudgetStatus.plan(budget: budget, pods: pods.cache.list(namespace: namespace),
                                                                controllers: owners, now: KubeTime.now())
            if let update { try await executor.execute(update) }
            return recheck.map { .seconds($0) }
        })
        return [loop]
    }
}
