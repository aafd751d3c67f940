import KubeAPI

/// When this controller last saw a Node's kubelet alive (upstream `nodeHealthData`): the Ready condition's
/// heartbeat and the node Lease's renew time as last seen, and the local time either last changed. Staleness is
/// measured on the controller's own clock, so a kubelet with a skewed clock is judged fairly.
public struct NodeProbe: Sendable, Hashable {
    public var heartbeat: String
    public var leaseRenewal: String
    public var observedAt: KubeTime
}

/// The node lifecycle controller's decisions for one Node (upstream `pkg/controller/nodelifecycle`):
///
/// - a kubelet silent for longer than the grace period has every node condition set to Unknown
///   (`NodeStatusUnknown`, "Kubelet stopped posting node status."; a Ready condition never posted becomes
///   `NodeStatusNeverUpdated`);
/// - the conditions decide the taints: Ready False → `node.kubernetes.io/not-ready`, Unknown →
///   `node.kubernetes.io/unreachable`, each with NoSchedule and NoExecute; pressure and network conditions and
///   `spec.unschedulable` add their NoSchedule taints (upstream's TaintNodesByCondition).
public enum NodeHealth {
    public static let notReadyTaint = "node.kubernetes.io/not-ready"
    public static let unreachableTaint = "node.kubernetes.io/unreachable"
    /// The conditions the kubelet posts and the controller marks Unknown.
    static let kubeletConditions = ["Ready", "MemoryPressure", "DiskPressure", "PIDPressure"]

    /// The probe after looking at the Node and its Lease now.
    /// - Parameters:
    ///   - previous: the last probe, nil on first sight (then the clock starts now, or at creation for a Node
    ///     that never posted Ready).
    ///   - node: the Node.
    ///   - lease: its `kube-node-lease` Lease, if any.
    ///   - now: the current time.
    public static func observe(previous: NodeProbe?, node: JSONValue, lease: JSONValue?, now: KubeTime) -> NodeProbe {
        let ready = StatusConditions.get(node[path: ["status", "conditions"]]?.array ?? [], "Ready")
        let heartbeat = ready?["lastHeartbeatTime"]?.string ?? ""
        let renewal = lease?[path: ["spec", "renewTime"]]?.string ?? ""
        guard let previous else {
            let start = ready == nil ? (node.metadata.creationTimestamp ?? now) : now
            return NodeProbe(heartbeat: heartbeat, leaseRenewal: renewal, observedAt: start)
        }
        if previous.heartbeat != heartbeat || previous.leaseRenewal != renewal {
            return NodeProbe(heartbeat: heartbeat, leaseRenewal: renewal, observedAt: now)
        }
        return previous
    }

    /// The Node with its kubelet conditions set to Unknown, or nil when nothing changes.
    /// - Parameters:
    ///   - node: the Node.
    ///   - now: the current time.
    public static func markedUnknown(_ node: JSONValue, now: KubeTime) -> JSONValue? {
        var conditions = node[path: ["status", "conditions"]]?.array ?? []
        let before = conditions
        for type in kubeletConditions {
            if let index = conditions.firstIndex(where: { $0["type"]?.string == type }) {
                guard conditions[index]["status"]?.string != "Unknown" else { continue }
                conditions[index]["status"] = "Unknown"
                conditions[index]["reason"] = "NodeStatusUnknown"
                conditions[index]["message"] = "Kubelet stopped posting node status."
                conditions[index]["lastTransitionTime"] = .string(now.rfc3339)
            } else {
                conditions.append(["type": .string(type), "status": "Unknown", "reason": "NodeStatusNeverUpdated",
                                   "message": "Kubelet never posted node status.", "lastHeartbeatTime": .string(now.rfc3339),
                                   "lastTransitionTime": .string(now.rfc3339)])
            }
        }
        guard conditions != before else { return nil }
        var updated = node
        updated[path: ["status", "conditions"]] = .array(conditions)
        return updated
    }

    /// One row of upstream's condition → taint tables (`nodeConditionToTaintKeyStatusMap` for NoSchedule,
    /// the taint-based eviction taints for NoExecute): the taint key a condition status calls for.
    struct TaintRule: Sendable {
        var condition: String
        var status: String
        var key: String
        var effects: [String]
    }

    static let taintRules: [TaintRule] = [
        TaintRule(condition: "Ready", status: "False", key: notReadyTaint, effects: ["NoSchedule", "NoExecute"]),
        TaintRule(condition: "Ready", status: "Unknown", key: unreachableTaint, effects: ["NoSchedule", "NoExecute"]),
        TaintRule(condition: "MemoryPressure", status: "True", key: "node.kubernetes.io/memory-pressure", effects: ["NoSchedule"]),
        TaintRule(condition: "DiskPressure", status: "True", key: "node.kubernetes.io/disk-pressure", effects: ["NoSchedule"]),
        TaintRule(condition: "PIDPressure", status: "True", key: "node.kubernetes.io/pid-pressure", effects: ["NoSchedule"]),
        TaintRule(condition: "NetworkUnavailable", status: "True", key: "node.kubernetes.io/network-unavailable", effects: ["NoSchedule"]),
    ]
    static let unschedulableTaint = "node.kubernetes.io/unschedulable"

    /// The taints the Node should carry: its own, minus the managed ones its conditions (and `spec.unschedulable`)
    /// no longer call for, plus those they do (keeping an existing taint's `timeAdded`, which eviction deadlines
    /// count from). Nil when the taints are already right.
    /// - Parameters:
    ///   - node: the Node (after any status change).
    ///   - noExecute: what the Node's zone allows for NoExecute taints (`ZoneDisruption`).
    ///   - now: the current time.
    public static func taints(_ node: JSONValue, noExecute: ZoneDisruption.NoExecutePolicy = .apply, now: KubeTime) -> [JSONValue]? {
        let current = node[path: ["spec", "taints"]]?.array ?? []
        let conditions = node[path: ["status", "conditions"]]?.array ?? []
        let has = { (key: String, effect: String) in current.contains { $0["key"]?.string == key && $0["effect"]?.string == effect } }
        var wanted: [(key: String, effect: String)] = taintRules.filter { rule in
            StatusConditions.get(conditions, rule.condition)?["status"]?.string == rule.status
        }.flatMap { rule in rule.effects.map { (rule.key, $0) } }.filter { taint in
            switch (taint.effect, noExecute) {
            case ("NoExecute", .lift): false
            case ("NoExecute", .holdNew): has(taint.key, taint.effect)
            default: true
            }
        }
        if node[path: ["spec", "unschedulable"]]?.bool == true { wanted.append((unschedulableTaint, "NoSchedule")) }
        let managed = Set(taintRules.map(\.key) + [unschedulableTaint])
        let isWanted = { (taint: JSONValue) in wanted.contains { $0.key == taint["key"]?.string && $0.effect == taint["effect"]?.string } }
        var result = current.filter { !managed.contains($0["key"]?.string ?? "") || isWanted($0) }
        for (key, effect) in wanted where !result.contains(where: { $0["key"]?.string == key && $0["effect"]?.string == effect }) {
            var taint: JSONValue = ["key": .string(key), "effect": .string(effect)]
            if effect == "NoExecute" { taint["timeAdded"] = .string(now.rfc3339) }
            result.append(taint)
        }
        return result == current ? nil : result
    }
}

extension NodeHealth {
    /// Upstream `MarkPodsNotReady`: a pod on a Node gone Unknown has its Ready condition set False, so Services
    /// stop sending it traffic before it is evicted. Nil when it is already not ready.
    /// - Parameters:
    ///   - pod: a pod bound to the Node.
    ///   - now: the current time.
    public static func notReady(_ pod: JSONValue, now: KubeTime) -> JSONValue? {
        var conditions = pod[path: ["status", "conditions"]]?.array ?? []
        guard let index = conditions.firstIndex(where: { $0["type"]?.string == "Ready" }), conditions[index]["status"]?.string != "False"
        else { return nil }
        conditions[index]["status"] = "False"
        conditions[index]["lastTransitionTime"] = .string(now.rfc3339)
        var updated = pod
        updated[path: ["status", "conditions"]] = .array(conditions)
        return updated
    }
}

/// Upstream's taint eviction (`pkg/controller/tainteviction`): a pod on a Node with NoExecute taints stays only
/// while it tolerates all of them, and no longer than the shortest `tolerationSeconds` among the tolerations used,
/// counted from the taint's `timeAdded`.
public enum TaintEviction {
    public enum Verdict: Sendable, Hashable {
        case keep
        case evictNow
        /// Evict once this many seconds have passed.
        case evictAfter(Int64)
    }

    /// The verdict for one pod.
    /// - Parameters:
    ///   - pod: a pod bound to the Node.
    ///   - taints: the Node's taints.
    ///   - now: the current time.
    public static func verdict(pod: JSONValue, taints: [JSONValue], now: KubeTime) -> Verdict {
        let noExecute = taints.filter { $0["effect"]?.string == "NoExecute" }
        guard !noExecute.isEmpty else { return .keep }
        let tolerations = pod[path: ["spec", "tolerations"]]?.array ?? []
        var deadline: KubeTime?
        for taint in noExecute {
            let used = tolerations.filter { NodeEligibility.tolerates($0, taint) }
            guard !used.isEmpty else { return .evictNow }
            // Upstream `getMinTolerationTime`: the shortest limit among the tolerations used; none means forever.
            guard let seconds = used.compactMap({ $0["tolerationSeconds"]?.int64 }).min().map({ max(0, $0) }) else { continue }
            let added = taint["timeAdded"]?.string.flatMap { try? KubeTime(rfc3339: $0) } ?? now
            let end = added.adding(seconds: seconds)
            deadline = deadline.map { min($0, end) } ?? end
        }
        guard let deadline else { return .keep }
        return deadline <= now ? .evictNow : .evictAfter(deadline.seconds - now.seconds)
    }
}
