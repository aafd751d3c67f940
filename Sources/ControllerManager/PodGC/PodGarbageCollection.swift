import KubeAPI

/// The pod garbage collector's decisions (upstream `pkg/controller/podgc`). Each pass:
///
/// 1. terminated pods (any phase but Pending, Running, Unknown) beyond `terminatedPodThreshold` are deleted,
///    evicted ones first, then the oldest;
/// 2. terminating pods on nodes that are not Ready and carry the `node.kubernetes.io/out-of-service` taint are
///    deleted;
/// 3. pods bound to nodes confirmed deleted are marked Failed with a `DisruptionTarget` condition and deleted
///    (the loop confirms a node missing for the 40 s quarantine, see `missingNodes`);
/// 4. terminating pods never scheduled are deleted.
///
/// Pods not yet terminal are first moved to phase Failed (a status write) so Jobs see them finished; every
/// delete is immediate (grace period 0).
public struct PodGarbageCollection: Sendable {
    /// Upstream `--terminated-pod-gc-threshold` (default 12500; 0 or less disables step 1).
    public var terminatedPodThreshold: Int

    /// Creates the decision function.
    /// - Parameters:
    ///   - terminatedPodThreshold: how many terminated pods may stay.
    public init(terminatedPodThreshold: Int = 12_500) { self.terminatedPodThreshold = terminatedPodThreshold }

    /// Node names pods are bound to that are not among the Nodes: candidates the loop quarantines before
    /// passing them back as confirmed deleted.
    /// - Parameters:
    ///   - pods: every pod.
    ///   - nodes: every Node.
    public static func missingNodes(pods: [JSONValue], nodes: [JSONValue]) -> Set<String> {
        let known = Set(nodes.compactMap(\.metadata.name))
        return Set(pods.map { PodView($0).nodeName }.filter { !$0.isEmpty && !known.contains($0) })
    }

    /// The actions of one pass.
    /// - Parameters:
    ///   - pods: every pod.
    ///   - nodes: every Node.
    ///   - deletedNodes: node names confirmed gone after the quarantine.
    ///   - now: the current time.
    public func plan(pods: [JSONValue], nodes: [JSONValue], deletedNodes: Set<String>, now: KubeTime) -> [ControllerAction] {
        var actions: [ControllerAction] = []
        var handled = Set<String>()
        func collect(_ pod: JSONValue, condition: JSONValue? = nil) {
            guard handled.insert(pod.metadata.uid ?? pod.metadata.name ?? "").inserted else { return }
            actions += Self.failAndDelete(pod, condition: condition, now: now)
        }
        if terminatedPodThreshold > 0 {
            let terminated = pods.filter { !["Pending", "Running", "Unknown"].contains(PodView($0).phase) }
            if terminated.count > terminatedPodThreshold {
                for pod in terminated.sorted(by: Self.evictedThenOlder).prefix(terminated.count - terminatedPodThreshold) { collect(pod) }
            }
        }
        let nodesByName = Dictionary(nodes.map { ($0.metadata.name ?? "", $0) }, uniquingKeysWith: { first, _ in first })
        let outOfService = pods.filter { pod in
            guard pod.metadata.isBeingDeleted, let node = nodesByName[PodView(pod).nodeName] else { return false }
            let taints = node[path: ["spec", "taints"]]?.array ?? []
            return !Self.isNodeReady(node) && taints.contains { $0["key"]?.string == "node.kubernetes.io/out-of-service" }
        }
        for pod in outOfService.sorted(by: Self.evictedThenOlder) { collect(pod) }
        let gone: JSONValue = ["type": "DisruptionTarget", "status": "True", "reason": "DeletionByPodGC",
                               "message": "PodGC: node no longer exists"]
        for pod in pods where deletedNodes.contains(PodView(pod).nodeName) && !PodView(pod).nodeName.isEmpty { collect(pod, condition: gone) }
        for pod in pods where pod.metadata.isBeingDeleted && PodView(pod).nodeName.isEmpty { collect(pod) }
        return actions
    }

    /// Upstream `markFailedAndDeletePodWithCondition`.
    static func failAndDelete(_ pod: JSONValue, condition: JSONValue?, now: KubeTime) -> [ControllerAction] {
        var actions: [ControllerAction] = []
        if !PodView(pod).isTerminal {
            var failed = pod
            failed[path: ["status", "phase"]] = "Failed"
            if var condition {
                var conditions = failed[path: ["status", "conditions"]]?.array ?? []
                let previous = StatusConditions.get(conditions, condition["type"]?.string ?? "")
                condition["lastTransitionTime"] = previous?["status"] == condition["status"]
                    ? previous?["lastTransitionTime"] ?? .string(now.rfc3339) : .string(now.rfc3339)
                StatusConditions.remove(&conditions, condition["type"]?.string ?? "")
                conditions.append(condition)
                failed[path: ["status", "conditions"]] = .array(conditions)
            }
            actions.append(.updateStatus(failed))
        }
        actions.append(.delete(ObjectRef(pod, kind: .pod), gracePeriodSeconds: 0))
        return actions
    }

    /// Evicted pods first (Failed with reason Evicted), then older, then by name (upstream
    /// `byEvictionAndCreationTimestamp`).
    static func evictedThenOlder(_ a: JSONValue, _ b: JSONValue) -> Bool {
        let evicted = { (pod: JSONValue) in PodView(pod).phase == "Failed" && pod[path: ["status", "reason"]]?.string == "Evicted" }
        if evicted(a) != evicted(b) { return evicted(a) }
        let (ta, tb) = (a.metadata.creationTimestamp, b.metadata.creationTimestamp)
        if ta == tb { return (a.metadata.name ?? "") < (b.metadata.name ?? "") }
        return (ta ?? KubeTime(seconds: Int64.min / 2)) < (tb ?? KubeTime(seconds: Int64.min / 2))
    }

    /// The node's Ready condition is True.
    static func isNodeReady(_ node: JSONValue) -> Bool {
        StatusConditions.get(node[path: ["status", "conditions"]]?.array ?? [], "Ready")?["status"]?.string == "True"
    }
}
