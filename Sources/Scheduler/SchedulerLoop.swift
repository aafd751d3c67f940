import Foundation
import KubeAPI

/// The cluster as the scheduler sees it: informer caches of nodes and pods, and the writes it makes.
public protocol SchedulerCluster: Sendable {
    func nodes() async -> [JSONValue]
    func pods() async -> [JSONValue]
    /// POST pods/<name>/binding.
    func bind(namespace: String, name: String, uid: String, node: String) async throws
    /// A `Scheduled` or `FailedScheduling` event, and the pod's PodScheduled=False condition on failure.
    func report(pod: JSONValue, scheduled node: String?, message: String) async
}

/// The scheduling cycle (upstream `scheduleOne`): take the next pod from the queue, run the algorithm against a
/// snapshot of the nodes (with pods already bound or assumed on them), bind, and requeue on failure. Pods are
/// assumed onto their node as soon as they are chosen, so the next cycle accounts for them before the binding
/// shows up in the informer.
public actor SchedulerLoop {
    public static let schedulerName = "default-scheduler"

    let cluster: any SchedulerCluster
    let algorithm: SchedulingAlgorithm
    let now: @Sendable () -> Date
    var queue = SchedulingQueue()
    /// Pods bound by this scheduler whose binding the cache may not show yet: pod key -> node.
    var assumed: [String: (pod: JSONValue, node: String)] = [:]
    var nextStart = 0

    public init(cluster: any SchedulerCluster, algorithm: SchedulingAlgorithm = SchedulingAlgorithm(), now: @escaping @Sendable () -> Date = { Date() }) {
        self.cluster = cluster
        self.algorithm = algorithm
        self.now = now
    }

    /// Whether this scheduler is responsible for the pod and it still needs a node.
    public static func needsScheduling(_ pod: JSONValue) -> Bool {
        let spec = pod["spec"] ?? .emptyObject
        let phase = pod[path: ["status", "phase"]]?.string ?? ""
        return (spec["nodeName"]?.string ?? "").isEmpty && (spec["schedulerName"]?.string ?? schedulerName) == schedulerName
            && !pod.metadata.isBeingDeleted && phase != "Succeeded" && phase != "Failed"
    }

    /// Level-triggered refill: every pending pod is (re)queued, bound or gone ones leave the queue, and a changed
    /// cluster releases parked pods.
    public func refresh(clusterChanged: Bool) async {
        let pods = await cluster.pods()
        let time = now()
        var live: Set<String> = []
        for pod in pods {
            let key = (pod.metadata.namespace ?? "") + "/" + (pod.metadata.name ?? "")
            live.insert(key)
            if Self.needsScheduling(pod) && assumed[key] == nil {
                queue.add(pod, now: time)
            } else {
                queue.remove(namespace: pod.metadata.namespace ?? "", name: pod.metadata.name ?? "")
                if !(pod[path: ["spec", "nodeName"]]?.string ?? "").isEmpty { assumed[key] = nil }
            }
        }
        for key in assumed.keys where !live.contains(key) { assumed[key] = nil }
        if clusterChanged { queue.clusterChanged(now: time) }
    }

    /// Schedules every pod that is due now; returns how many were bound.
    @discardableResult
    public func scheduleAvailable() async -> Int {
        var bound = 0
        let nodes = await cluster.nodes().filter { node in
            // Nodes being deleted take no new pods.
            !node.metadata.isBeingDeleted
        }
        let pods = await cluster.pods()
        var infos: [String: NodeInfo] = Dictionary(uniqueKeysWithValues: nodes.map { ($0.metadata.name ?? "", NodeInfo(node: $0)) })
        for pod in pods {
            guard let node = pod[path: ["spec", "nodeName"]]?.string, !node.isEmpty else { continue }
            let phase = pod[path: ["status", "phase"]]?.string
            if phase == "Succeeded" || phase == "Failed" { continue }
            infos[node]?.add(pod)
        }
        for (_, entry) in assumed { infos[entry.node]?.add(entry.pod) }
        let ordered = nodes.compactMap { infos[$0.metadata.name ?? ""] }
        while let entry = queue.pop(now: now()) {
            let pod = entry.pod
            let key = (pod.metadata.namespace ?? "") + "/" + (pod.metadata.name ?? "")
            switch algorithm.schedule(pod, nodes: ordered.map { infos[$0.name] ?? $0 }, start: nextStart) {
            case .success(let node):
                nextStart += 1
                assumed[key] = (pod, node)
                infos[node]?.add(pod)
                do {
                    try await cluster.bind(namespace: pod.metadata.namespace ?? "default", name: pod.metadata.name ?? "",
                                           uid: pod.metadata.uid ?? "", node: node)
                    await cluster.report(pod: pod, scheduled: node,
                                         message: "Successfully assigned \(key) to \(node)")
                    bound += 1
                } catch {
                    assumed[key] = nil
                    queue.requeue(entry, unschedulable: false, now: now())
                }
            case .failure(let error):
                await cluster.report(pod: pod, scheduled: nil, message: error.description)
                queue.requeue(entry, unschedulable: true, now: now())
            }
        }
        return bound
    }

    /// When the queue next has work without a cluster change (a back-off expiring).
    public func nextWake() -> Date? { queue.nextBackoffExpiry() }
}
