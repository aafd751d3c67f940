import KubeAPI
import KubeClient

/// The `garbagecollector` loop: every watched kind in one snapshot, `GarbageCollection` decides, the actions run as
/// `generic-garbage-collector`. One key for the whole snapshot, so a burst of events is one pass; each object's
/// actions run on their own, so one failure does not hold back the rest (the pass is retried with back-off).
enum GarbageCollectorController {
    /// The kinds whose owner references are followed and which can be owners (upstream discovers every deletable
    /// resource; this is the set the cluster's own controllers and kubelets create).
    static let watched: [(group: String, plural: String)] = [
        ("", "pods"), ("", "configmaps"), ("", "secrets"), ("", "services"), ("", "endpoints"), ("", "serviceaccounts"),
        ("", "persistentvolumeclaims"), ("", "persistentvolumes"), ("", "nodes"), ("", "replicationcontrollers"), ("apps", "deployments"), ("apps", "replicasets"),
        ("apps", "daemonsets"), ("apps", "statefulsets"), ("apps", "controllerrevisions"), ("batch", "jobs"), ("batch", "cronjobs"),
        ("discovery.k8s.io", "endpointslices"), ("policy", "poddisruptionbudgets"), ("coordination.k8s.io", "leases"),
    ]

    static func loops(_ context: ControllerContext) async throws -> [ControllerLoop] {
        let sources = watched.compactMap { entry -> (kind: ResourceKind, info: APIResourceInfo, informer: Informer)? in
            guard let info = ResourceTable.resource(group: entry.group, version: "v1", plural: entry.plural) else { return nil }
            return (ResourceKind(info.groupVersion, info.kind), info, context.informers.informer(entry.group, entry.plural))
        }
        let client = try await context.clientFor("generic-garbage-collector")
        let executor = ActionExecutor(client: client)
        let observed = Set(sources.map(\.kind))
        let infos = Dictionary(sources.map { ($0.kind.kind, $0.info) }, uniquingKeysWith: { first, _ in first })
        let key = "snapshot"
        let loop = ControllerLoop(name: "garbagecollector", sources: sources.map { ($0.informer, ControllerLoop.constantKey(key)) },
                                  workers: 1) { _ in
            let snapshot = sources.flatMap { source in source.informer.cache.list.map { KindedObject(source.kind, $0) } }
            let collection = GarbageCollection(objects: snapshot, observedKinds: observed)
            var failures: [String] = []
            for item in snapshot {
                let actions = collection.attempt(item)
                guard !actions.isEmpty else { continue }
                if try await cacheIsBehind(item, collection: collection, client: client, infos: infos) { continue }
                do {
                    try await executor.execute(actions)
                } catch {
                    failures.append("\(ObjectRef(item.object, kind: item.kind)): \(error)")
                }
            }
            guard failures.isEmpty else { throw ControllerManagerError(failures.joined(separator: "; ")) }
        }
        return [loop]
    }

    /// Upstream asks the API server before acting on an owner its graph lacks: an owner created a moment ago may
    /// not be in the cache yet, and deleting its dependent for that would be wrong. True when any owner the cache
    /// calls gone still exists with the referenced uid (its add event will bring the key back).
    static func cacheIsBehind(_ item: KindedObject, collection: GarbageCollection, client: RESTClient,
                              infos: [String: APIResourceInfo]) async throws -> Bool {
        guard !item.object.metadata.isBeingDeleted else { return false }
        for ref in item.object.metadata.ownerReferences where collection.classify(ref, dependent: item) == .dangling {
            guard let info = infos[ref.kind] else { continue }
            do {
                let owner = try await client.get(info, namespace: info.namespaced ? item.object.metadata.namespace : nil, name: ref.name)
                if owner.metadata.uid == ref.uid { return true }
            } catch let error as KubeClientError where error.isNotFound {
                continue
            }
        }
        return false
    }
}
