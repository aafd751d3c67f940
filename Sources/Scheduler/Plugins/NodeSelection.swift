import KubeAPI

/// NodeName, NodeUnschedulable and NodeAffinity (with nodeSelector): where a pod may go at all.
public enum NodeSelection {
    public static let nodeName = FilterPlugin(name: "NodeName") { pod, node in
        guard !pod.nodeName.isEmpty, pod.nodeName != node.name else { return [] }
        return [FilterFailure("node(s) didn't match the requested node name")]
    }

    public static let nodeUnschedulable = FilterPlugin(name: "NodeUnschedulable") { pod, node in
        guard node.unschedulable else { return [] }
        // A pod that tolerates the unschedulable taint may still go there (DaemonSet pods do).
        let tolerated = pod.tolerates(NodeInfo.Taint(key: "node.kubernetes.io/unschedulable", value: "", effect: "NoSchedule"))
        return tolerated ? [] : [FilterFailure("node(s) were unschedulable")]
    }

    public static let nodeAffinity = FilterPlugin(name: "NodeAffinity") { pod, node in
        matchesRequired(pod, node) ? [] : [FilterFailure("node(s) didn't match Pod's node affinity/selector")]
    }

    /// nodeSelector and required node affinity (terms ORed; expressions and fields within a term ANDed).
    public static func matchesRequired(_ pod: PodInfo, _ node: NodeInfo) -> Bool {
        for (key, value) in pod.nodeSelector where node.labels[key] != value {
            return false
        }
        guard let terms = pod.requiredTerms else { return true }
        return terms.contains { matches(term: $0, node: node) }
    }

    /// One node selector term.
    static func matches(term: JSONValue, node: NodeInfo) -> Bool {
        NodeSelectorTerms.matches(term: term, labels: node.labels, name: node.name)
    }

    /// Preferred node affinity: the sum of the weights of matching terms, normalised to 0...100.
    public static let preferredAffinity = ScorePlugin(name: "NodeAffinity", weight: 2, score: { pod, node in
        pod.preferredTerms.reduce(Int64(0)) { sum, term in
            guard let preference = term["preference"], matches(term: preference, node: node) else { return sum }
            return sum + (term["weight"]?.int64 ?? 0)
        }
    }, normalize: { ScorePlugin.normalizeToMax($0) }, applies: { pod, _ in !pod.preferredTerms.isEmpty })
}
