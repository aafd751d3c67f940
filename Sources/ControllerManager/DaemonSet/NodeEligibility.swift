import KubeAPI

/// Which nodes a DaemonSet runs on (upstream `NodeShouldRunDaemonPod` and its scheduler predicates): the
/// template's `nodeName`, `nodeSelector` and required node affinity must match, and the node's NoSchedule and
/// NoExecute taints must be tolerated once the daemon tolerations are added.
public enum NodeEligibility {
    /// The verdict for one node.
    public struct Verdict: Sendable, Hashable {
        /// A daemon pod should be created there.
        public var shouldRun: Bool
        /// An existing daemon pod may stay (true also when only NoSchedule taints are untolerated).
        public var shouldContinueRunning: Bool
    }

    /// Decides for one node.
    /// - Parameters:
    ///   - node: the Node.
    ///   - daemonSet: the DaemonSet.
    public static func evaluate(node: JSONValue, daemonSet: JSONValue) -> Verdict {
        let nodeName = node.metadata.name ?? ""
        var spec = daemonSet[path: ["spec", "template", "spec"]] ?? .emptyObject
        if let wanted = spec["nodeName"]?.string, !wanted.isEmpty, wanted != nodeName { return Verdict(shouldRun: false, shouldContinueRunning: false) }
        DaemonTolerations.add(to: &spec)
        guard matchesNodeSelectorAndAffinity(spec, node: node) else { return Verdict(shouldRun: false, shouldContinueRunning: false) }
        let taints = node[path: ["spec", "taints"]]?.array ?? []
        let tolerations = spec["tolerations"]?.array ?? []
        if untoleratedTaint(taints, tolerations: tolerations, effects: ["NoSchedule", "NoExecute"]) == nil {
            return Verdict(shouldRun: true, shouldContinueRunning: true)
        }
        // A pod already there survives NoSchedule taints; only an untolerated NoExecute taint evicts it.
        return Verdict(shouldRun: false,
                       shouldContinueRunning: untoleratedTaint(taints, tolerations: tolerations, effects: ["NoExecute"]) == nil)
    }

    /// Upstream `Toleration.ToleratesTaint`.
    /// - Parameters:
    ///   - toleration: a toleration.
    ///   - taint: a taint.
    public static func tolerates(_ toleration: JSONValue, _ taint: JSONValue) -> Bool {
        let effect = toleration["effect"]?.string ?? ""
        if !effect.isEmpty && effect != (taint["effect"]?.string ?? "") { return false }
        let key = toleration["key"]?.string ?? ""
        if !key.isEmpty && key != (taint["key"]?.string ?? "") { return false }
        switch toleration["operator"]?.string ?? "" {
        case "", "Equal": return (toleration["value"]?.string ?? "") == (taint["value"]?.string ?? "")
        case "Exists": return true
        default: return false
        }
    }

    /// The first taint with one of `effects` that no toleration tolerates.
    /// - Parameters:
    ///   - taints: the node's taints.
    ///   - tolerations: the pod's tolerations.
    ///   - effects: the effects that matter.
    public static func untoleratedTaint(_ taints: [JSONValue], tolerations: [JSONValue], effects: Set<String>) -> JSONValue? {
        taints.first { taint in
            effects.contains(taint["effect"]?.string ?? "") && !tolerations.contains { tolerates($0, taint) }
        }
    }

    /// `nodeSelector` (every label equal) and required node affinity (any term; within a term every expression
    /// and field) of a pod spec against a node (upstream `nodeaffinity.GetRequiredNodeAffinity(pod).Match`).
    /// - Parameters:
    ///   - spec: a pod spec.
    ///   - node: the Node.
    public static func matchesNodeSelectorAndAffinity(_ spec: JSONValue, node: JSONValue) -> Bool {
        let labels = node.metadata.labels
        for (key, value) in spec["nodeSelector"]?.object ?? [:] where labels[key] != value.string { return false }
        guard let terms = spec[path: ["affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms"]]?.array
        else { return true }
        return terms.contains { matches(term: $0, node: node) }
    }

    static func matches(term: JSONValue, node: JSONValue) -> Bool {
        NodeSelectorTerms.matches(term: term, labels: node.metadata.labels, name: node.metadata.name)
    }
}

/// The tolerations every daemon pod gets (upstream `util.AddOrUpdateDaemonPodTolerations`), so node problems
/// that evict or repel ordinary pods do not take daemons (networking, logging) away.
public enum DaemonTolerations {
    /// The tolerations, all with operator Exists.
    /// - Parameters:
    ///   - hostNetwork: whether the pod uses the host network (then it also tolerates an unconfigured pod network).
    public static func list(hostNetwork: Bool) -> [JSONValue] {
        var entries: [(String, String)] = [
            ("node.kubernetes.io/not-ready", "NoExecute"), ("node.kubernetes.io/unreachable", "NoExecute"),
            ("node.kubernetes.io/disk-pressure", "NoSchedule"), ("node.kubernetes.io/memory-pressure", "NoSchedule"),
            ("node.kubernetes.io/pid-pressure", "NoSchedule"), ("node.kubernetes.io/unschedulable", "NoSchedule"),
        ]
        if hostNetwork { entries.append(("node.kubernetes.io/network-unavailable", "NoSchedule")) }
        return entries.map { ["key": .string($0.0), "operator": "Exists", "effect": .string($0.1)] }
    }

    /// Adds or updates each daemon toleration in a pod spec (upstream `AddOrUpdateTolerationInPodSpec`: one with
    /// the same key, operator, value and effect is replaced, otherwise appended).
    /// - Parameters:
    ///   - spec: the pod spec to edit.
    public static func add(to spec: inout JSONValue) {
        var tolerations = spec["tolerations"]?.array ?? []
        for toleration in list(hostNetwork: spec["hostNetwork"]?.bool ?? false) {
            let identity = { (t: JSONValue) in ["key", "operator", "value", "effect"].map { t[$0]?.string ?? "" } }
            if let index = tolerations.firstIndex(where: { identity($0) == identity(toleration) }) {
                tolerations[index] = toleration
            } else {
                tolerations.append(toleration)
            }
        }
        spec["tolerations"] = .array(tolerations)
    }
}
