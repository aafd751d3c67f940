import KubeAPI
import KubeClient
import Synchronization

/// The `endpoints` and `endpointslice` loops: Services, their pods (and Nodes, for zones) in, `EndpointsSync` and
/// `EndpointSliceSync` plans out, written as `endpoint-controller` and `endpointslice-controller`. Both are keyed
/// by the Service's `namespace/name`; a pod event wakes every Service of its namespace (the sync selects).
enum EndpointsController {
    static func endpoints(_ context: ControllerContext) async throws -> [ControllerLoop] {
        let services = context.informers.informer("", "services")
        let pods = context.informers.informer("", "pods")
        let endpoints = context.informers.informer("", "endpoints")
        let executor = try await context.executor("endpoint-controller")
        let loop = ControllerLoop(name: "endpoints", sources: [(services, ControllerLoop.ownKey), (pods, servicesOfNamespace(services)),
                                                               (endpoints, ControllerLoop.ownKey)]) { key in
            let (namespace, name) = ObjectCache.split(key: key)
            let namespaceName = namespace ?? "default"
            guard let action = EndpointsSync.plan(service: services.cache.get(key), namespace: namespaceName, name: name,
                                                  pods: pods.cache.list(namespace: namespaceName), existing: endpoints.cache.get(key))
            else { return }
            try await executor.execute(action)
        }
        return [loop]
    }

    static func endpointSlices(_ context: ControllerContext) async throws -> [ControllerLoop] {
        let services = context.informers.informer("", "services")
        let pods = context.informers.informer("", "pods")
        let nodes = context.informers.informer("", "nodes")
        let slices = context.informers.informer("discovery.k8s.io", "endpointslices")
        let executor = try await context.executor("endpointslice-controller")
        let sync = EndpointSliceSync()
        /// Slices this loop created that its cache has not shown yet, by Service: planning before they show up
        /// would create them twice (upstream's `endpointSliceTracker`).
        let unseen = Mutex<[String: Set<String>]>([:])
        let sliceService: ControllerLoop.Keys = { event in
            guard let service = event.object.metadata.labels[EndpointSliceSync.serviceNameLabel] else { return [] }
            return [ObjectCache.key(namespace: event.object.metadata.namespace, name: service)]
        }
        let everyService: ControllerLoop.Keys = { _ in services.cache.keys }
        let loop = ControllerLoop(name: "endpointslice", sources: [(services, ControllerLoop.ownKey), (pods, servicesOfNamespace(services)),
                                                                   (nodes, everyService), (slices, sliceService)],
                                  requeuing: { key in
            let namespace = ObjectCache.split(key: key).namespace ?? "default"
            let waiting = unseen.withLock { unseen in
                let left = (unseen[key] ?? []).filter { slices.cache.get(namespace: namespace, name: $0) == nil }
                unseen[key] = left.isEmpty ? nil : left
                return !left.isEmpty
            }
            if waiting { return .milliseconds(200) }
            // A deleted Service's slices are its dependents: the garbage collector removes them.
            guard let service = services.cache.get(key) else { return nil }
            let actions = sync.plan(service: service, pods: pods.cache.list(namespace: namespace), nodes: nodes.cache.list,
                                    slices: slices.cache.list(namespace: namespace))
            for action in actions {
                guard case .create(let slice) = action else {
                    try await executor.execute(action)
                    continue
                }
                if let created = try await executor.create(slice), let name = created.metadata.name {
                    unseen.withLock { _ = $0[key, default: []].insert(name) }
                }
            }
            return nil
        })
        return [loop]
    }

    /// Every Service in the namespace of the object the event is about.
    static func servicesOfNamespace(_ services: Informer) -> ControllerLoop.Keys {
        { event in services.cache.list(namespace: event.object.metadata.namespace ?? "").map { ObjectCache.key(for: $0) } }
    }
}
