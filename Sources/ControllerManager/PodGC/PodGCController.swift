import KubeAPI
import KubeClient
import Synchronization

/// The `podgc` loop: one pass over all pods and Nodes every 20 s (upstream `gcCheckPeriod`) and on every change,
/// `PodGarbageCollection` decides, the actions run as `pod-garbage-collector`. A node a pod is bound to counts as
/// deleted only after it has been missing from the cache for 40 s and a live GET confirms it (upstream's
/// quarantine), so a node that is merely new to the cache never loses its pods.
enum PodGCController {
    static let period: Duration = .seconds(20)
    static let quarantineSeconds: Int64 = 40

    static func loops(_ context: ControllerContext) async throws -> [ControllerLoop] {
        let pods = context.informers.informer("", "pods")
        let nodes = context.informers.informer("", "nodes")
        let client = try await context.clientFor("pod-garbage-collector")
        let executor = ActionExecutor(client: client)
        let collection = PodGarbageCollection(terminatedPodThreshold: context.options.terminatedPodGCThreshold)
        /// When each missing node was first noticed missing.
        let missingSince = Mutex<[String: KubeTime]>([:])
        let key = "pods"
        let loop = ControllerLoop(name: "podgc", sources: [(pods, ControllerLoop.constantKey(key)), (nodes, ControllerLoop.constantKey(key))],
                                  workers: 1, initialKeys: [key], requeuing: { _ in
            let now = KubeTime.now()
            let podList = pods.cache.list, nodeList = nodes.cache.list
            let missing = PodGarbageCollection.missingNodes(pods: podList, nodes: nodeList)
            let quarantined = missingSince.withLock { since -> [String] in
                since = since.filter { missing.contains($0.key) }
                for name in missing where since[name] == nil { since[name] = now }
                return since.filter { $0.value.adding(seconds: quarantineSeconds) <= now }.map(\.key)
            }
            var deleted = Set<String>()
            for name in quarantined {
                do {
                    _ = try await client.get(SharedInformers.info("", "nodes"), name: name)
                } catch let error as KubeClientError where error.isNotFound {
                    deleted.insert(name)
                }
            }
            for action in collection.plan(pods: podList, nodes: nodeList, deletedNodes: deleted, now: now) {
                if case .updateStatus(let pod) = action {
                    try await executor.patchStatus(pod)
                } else {
                    try await executor.execute(action)
                }
            }
            return period
        })
        return [loop]
    }
}
