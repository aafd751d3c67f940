import KubeAPI
import KubeClient

/// The `namespace` loop: a Namespace being deleted has its content listed live (every namespaced resource the
/// server serves, as upstream discovers them), `NamespaceDeletion` plans the status, the `deletecollection`
/// calls and finally the `finalize` write, all as `namespace-controller`. Content still going away brings the key
/// back after the plan's estimate.
enum NamespaceController {
    /// One resource per group and plural (the table may list several versions), that can be listed and
    /// deleted by collection; events go last so the deletions' own events are collected too.
    static let contentResources: [APIResourceInfo] = {
        var seen = Set<String>()
        let deletable = ResourceTable.resources.filter { info in
            info.namespaced && info.supports("list") && info.supports("deletecollection") && seen.insert(info.qualifiedName).inserted
        }
        return deletable.filter { $0.plural != "events" } + deletable.filter { $0.plural == "events" }
    }()

    static func loops(_ context: ControllerContext) async throws -> [ControllerLoop] {
        let namespaces = context.informers.informer("", "namespaces")
        let client = try await context.clientFor("namespace-controller")
        let executor = ActionExecutor(client: client)
        let loop = ControllerLoop(name: "namespace", sources: [(namespaces, ControllerLoop.ownKey)], requeuing: { key in
            guard let namespace = namespaces.cache.get(key), namespace.metadata.isBeingDeleted else { return nil }
            let name = namespace.metadata.name ?? key
            var content: [NamespaceContent] = []
            for info in contentResources {
                do {
                    let list = try await client.listAll(info, namespace: name)
                    content.append(NamespaceContent(kind: ResourceKind(info.groupVersion, info.kind), resource: info.plural, objects: list.items))
                } catch let error as KubeClientError where error.isNotFound {
                    // A resource this server does not serve holds nothing.
                    continue
                }
            }
            let plan = NamespaceDeletion.plan(namespace: namespace, content: content, now: KubeTime.now())
            try await executor.execute(plan.actions)
            return plan.requeueAfterSeconds.map { .seconds($0) }
        })
        return [loop]
    }
}
