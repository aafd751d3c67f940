import Foundation
import KubeAPI
import KubeClient

extension InformerEvent {
    var isDeletion: Bool { if case .deleted = self { true } else { false } }
}

/// The cluster as the scheduler sees it: informer caches of nodes and pods, and the writes it makes.
public protocol SchedulerCluster: Sendable {
    func nodes() async -> [JSONValue]
    func pods() async -> [JSONValue]
    /// POST pods/<name>/binding.
    func bind(namespace: String, name: String, uid: String, node: String) async throws
    /// A `Scheduled` or `FailedScheduling` event, and the pod's PodScheduled=False condition on failure.
    func report(pod: JSONValue, scheduled node: String?, message: String) async
    /// The state of a pod's claims (nil when the cluster does not track volumes).
    func volumes(for pod: PodInfo) async -> PodVolumes?
    /// Upstream's PreBind for volumes: records the chosen node on each WaitForFirstConsumer claim and waits until
    /// every claim is bound, so the kubelet finds the volumes when the pod arrives.
    func prepareVolumes(_ volumes: PodVolumes, pod: JSONValue, node: String) async throws
}

extension SchedulerCluster {
    public func volumes(for pod: PodInfo) async -> PodVolumes? { nil }
    public func prepareVolumes(_ volumes: PodVolumes, pod: JSONValue, node: String) async throws {}
}

/// The scheduling cycle (upstream `scheduleOne`) over an incrementally kept cache (upstream's scheduler cache):
/// node and pod changes are applied as they arrive (`apply`), each node's `NodeInfo` keeps the pods bound or
/// assumed on it, and pending pods wait in the `SchedulingQueue`. A batch pops every due pod, runs the algorithm
/// against the cached nodes, assumes the pod onto the chosen node at once (so the next pod sees it), and binds in
/// the background, up to `maxBindsInFlight` at a time, as upstream's asynchronous binding cycle does; a failed
/// binding forgets the assumption and requeues the pod.
public actor SchedulerLoop {
    public static let schedulerName = "default-scheduler"
    /// Bindings (and their events) in flight at once.
    public static let maxBindsInFlight = 32

    let cluster: any SchedulerCluster
    let algorithm: SchedulingAlgorithm
    let now: @Sendable () -> Date
    var queue = SchedulingQueue()
    /// The nodes in scheduling order, and where each is in that array.
    var nodeInfos: [NodeInfo] = []
    var nodeIndex: [String: Int] = [:]
    /// Every pod counted on a node (bound, or assumed by this scheduler): pod key -> node name.
    var placed: [String: String] = [:]
    /// The pods counted on each node name, with what they request, also for nodes not (yet) in the cache: a pod
    /// event can arrive before its node's, and the node must count the pod once it comes.
    var podsOnNode: [String: [String: PodInfo]] = [:]
    /// Pods bound by this scheduler whose binding the cache does not show yet.
    var assumed: Set<String> = []
    var nextStart = 0
    var changed = false
    /// Nodes with a deletionTimestamp: they take no new pods.
    var nodesBeingDeleted: Set<String> = []

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

    static func key(_ pod: JSONValue) -> String { (pod.metadata.namespace ?? "") + "/" + (pod.metadata.name ?? "") }

    // MARK: - The cache

    /// A node was added, changed or deleted.
    public func apply(node event: InformerEvent) {
        let node = event.object
        let name = node.metadata.name ?? ""
        if node.metadata.isBeingDeleted, !event.isDeletion { nodesBeingDeleted.insert(name) } else { nodesBeingDeleted.remove(name) }
        if case .deleted = event {
            removeNode(name)
        } else if let index = nodeIndex[name] {
            nodeInfos[index].update(node: node)
            // Only a change that may make room releases parked pods, so their back-off stays short for it.
            if case .updated(let previous, _) = event, !Self.schedulingRelevant(previous, node) { return }
        } else {
            nodeIndex[name] = nodeInfos.count
            var info = NodeInfo(node: node)
            for pod in podsOnNode[name]?.values ?? [:].values { info.add(pod) }
            nodeInfos.append(info)
        }
        changed = true
    }

    /// Whether a node update may let a parked pod fit (upstream's queueing hints for Node updates): labels changed,
    /// the node was uncordoned, a taint went away, or allocatable grew. Heartbeats, new taints and cordoning cannot
    /// help, and retrying on them would only lengthen the pods' back-off.
    static func schedulingRelevant(_ old: JSONValue, _ new: JSONValue) -> Bool {
        let (before, after) = (NodeInfo(node: old), NodeInfo(node: new))
        return before.labels != after.labels
            || (before.unschedulable && !after.unschedulable)
            || !Set(before.taints).isSubset(of: Set(after.taints))
            || after.allocatableMilliCPU > before.allocatableMilliCPU || after.allocatableMemory > before.allocatableMemory
            || after.allocatablePods > before.allocatablePods
    }

    /// A pod was added, changed or deleted.
    public func apply(pod event: InformerEvent) {
        let pod = event.object
        let key = Self.key(pod)
        let namespace = pod.metadata.namespace ?? "", name = pod.metadata.name ?? ""
        let phase = pod[path: ["status", "phase"]]?.string
        let nodeName = pod[path: ["spec", "nodeName"]]?.string ?? ""
        if case .deleted = event {
            queue.remove(namespace: namespace, name: name)
            assumed.remove(key)
            if unplace(key) { changed = true }
            return
        }
        if phase == "Succeeded" || phase == "Failed" {
            // A finished pod frees its node.
            queue.remove(namespace: namespace, name: name)
            assumed.remove(key)
            if unplace(key) { changed = true }
            return
        }
        if !nodeName.isEmpty {
            queue.remove(namespace: namespace, name: name)
            assumed.remove(key)
            place(PodInfo(pod), on: nodeName)
        } else if assumed.contains(key) {
            // Bound by this scheduler; the cache has not caught up.
        } else if Self.needsScheduling(pod) {
            queue.update(pod, now: now())
        } else {
            queue.remove(namespace: namespace, name: name)
        }
    }

    /// Replaces the whole cache from full lists (the first sync of a caller without events, and tests); pods this
    /// scheduler assumed stay on their node until the lists show them bound.
    public func refresh(clusterChanged: Bool) async {
        let nodes = await cluster.nodes()
        let pods = await cluster.pods()
        nodeInfos = []
        nodeIndex = [:]
        nodesBeingDeleted = []
        for node in nodes { apply(node: .added(node)) }
        let previous = placed
        placed = [:]
        podsOnNode = [:]
        var live: Set<String> = []
        for pod in pods {
            let key = Self.key(pod)
            live.insert(key)
            if assumed.contains(key), (pod[path: ["spec", "nodeName"]]?.string ?? "").isEmpty, let node = previous[key] {
                place(PodInfo(pod), on: node)
            } else {
                apply(pod: .added(pod))
            }
        }
        assumed = assumed.filter { live.contains($0) }
        queue.removeAll(notIn: live)
        changed = clusterChanged
    }

    private func place(_ pod: PodInfo, on node: String) {
        if let previous = placed[pod.key], previous != node { unplace(pod.key) }
        placed[pod.key] = node
        podsOnNode[node, default: [:]][pod.key] = pod
        if let index = nodeIndex[node] { nodeInfos[index].add(pod) }
    }

    @discardableResult
    private func unplace(_ key: String) -> Bool {
        guard let node = placed.removeValue(forKey: key) else { return false }
        podsOnNode[node]?[key] = nil
        if podsOnNode[node]?.isEmpty == true { podsOnNode[node] = nil }
        if let index = nodeIndex[node] { nodeInfos[index].remove(key: key) }
        return true
    }

    private func removeNode(_ name: String) {
        guard let index = nodeIndex.removeValue(forKey: name) else { return }
        let last = nodeInfos.count - 1
        if index != last {
            nodeInfos.swapAt(index, last)
            nodeIndex[nodeInfos[index].name] = index
        }
        nodeInfos.removeLast()
    }

    // MARK: - Scheduling

    private enum Outcome: Sendable {
        case bound
        case bindFailed(SchedulingQueue.Entry, node: String)
        case reported
    }

    /// Schedules every pod that is due now; returns how many were bound. Returns once their bindings are done.
    @discardableResult
    public func scheduleAvailable() async -> Int {
        if changed {
            changed = false
            queue.clusterChanged(now: now())
        }
        queue.flush(now: now())
        guard queue.activeCount > 0 else { return 0 }
        let cluster = self.cluster
        return await withTaskGroup(of: Outcome.self) { group in
            var bound = 0
            var inFlight = 0
            func settle(_ outcome: Outcome) {
                inFlight -= 1
                switch outcome {
                case .bound: bound += 1
                case .bindFailed(let entry, let node):
                    let key = entry.key
                    if assumed.remove(key) != nil, placed[key] == node { unplace(key) }
                    queue.requeue(entry, unschedulable: false, now: now())
                case .reported: break
                }
            }
            while let entry = queue.popActive() {
                var pod = PodInfo(entry.pod)
                if !pod.claimNames.isEmpty { pod.volumes = await cluster.volumes(for: pod) }
                let result = nodesBeingDeleted.isEmpty
                    ? algorithm.schedule(pod, nodes: nodeInfos, start: nextStart)
                    : algorithm.schedule(pod, nodes: nodeInfos.filter { !nodesBeingDeleted.contains($0.name) }, start: nextStart)
                switch result {
                case .success(let node):
                    nextStart += 1
                    assumed.insert(pod.key)
                    place(pod, on: node)
                    let podJSON = entry.pod
                    let volumes = pod.volumes
                    group.addTask {
                        do {
                            if let volumes, volumes.needsBinding { try await cluster.prepareVolumes(volumes, pod: podJSON, node: node) }
                            try await cluster.bind(namespace: podJSON.metadata.namespace ?? "default", name: podJSON.metadata.name ?? "",
                                                   uid: podJSON.metadata.uid ?? "", node: node)
                        } catch {
                            return .bindFailed(entry, node: node)
                        }
                        await cluster.report(pod: podJSON, scheduled: node, message: "Successfully assigned \(pod.key) to \(node)")
                        return .bound
                    }
                case .failure(let error):
                    queue.requeue(entry, unschedulable: true, now: now())
                    let podJSON = entry.pod
                    group.addTask {
                        await cluster.report(pod: podJSON, scheduled: nil, message: error.description)
                        return .reported
                    }
                }
                inFlight += 1
                while inFlight >= Self.maxBindsInFlight, let outcome = await group.next() { settle(outcome) }
            }
            while let outcome = await group.next() { settle(outcome) }
            return bound
        }
    }

    /// When the queue next has work without a cluster change (a back-off expiring).
    public func nextWake() -> Date? { queue.nextBackoffExpiry() }

    /// Whether pods wait to be popped now.
    public var hasActiveWork: Bool { queue.activeCount > 0 || changed }
}
