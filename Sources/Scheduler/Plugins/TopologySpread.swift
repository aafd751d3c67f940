import KubeAPI

/// PodTopologySpread: `DoNotSchedule` constraints as a filter (a node fits when placing the pod keeps the skew of
/// its domain within maxSkew), `ScheduleAnyway` ones and the rest as a score (fewer matching pods score higher).
public enum TopologySpread {
    /// The filter needs every node to count domains, so it is built per scheduling cycle.
    public static func filter(allNodes: [NodeInfo]) -> FilterPlugin {
        FilterPlugin(name: "PodTopologySpread") { pod, node in
            for constraint in constraints(pod) where (constraint["whenUnsatisfiable"]?.string ?? "DoNotSchedule") == "DoNotSchedule" {
                guard let key = constraint["topologyKey"]?.string else { continue }
                guard let domain = node.node.metadata.labels[key] else {
                    return [FilterFailure("node(s) didn't match pod topology spread constraints (missing required label)")]
                }
                let counts = domainCounts(constraint, pod: pod, key: key, nodes: allNodes)
                let minimum = counts.values.min() ?? 0
                let skew = (counts[domain] ?? 0) + 1 - minimum
                if skew > (constraint["maxSkew"]?.int64 ?? 1) {
                    return [FilterFailure("node(s) didn't match pod topology spread constraints")]
                }
            }
            return []
        }
    }

    public static func score(allNodes: [NodeInfo]) -> ScorePlugin {
        ScorePlugin(name: "PodTopologySpread", weight: 2, score: { pod, node in
            var total: Int64 = 0
            for constraint in constraints(pod) {
                guard let key = constraint["topologyKey"]?.string, let domain = node.node.metadata.labels[key] else { continue }
                total += domainCounts(constraint, pod: pod, key: key, nodes: allNodes)[domain] ?? 0
            }
            return total
        }, normalize: { ScorePlugin.normalizeToMax($0, reverse: true) })
    }

    static func constraints(_ pod: JSONValue) -> [JSONValue] { pod[path: ["spec", "topologySpreadConstraints"]]?.array ?? [] }

    /// Matching pods per domain value, over nodes that carry the topology key (and match the pod's node affinity,
    /// as upstream's default nodeAffinityPolicy Honor does).
    static func domainCounts(_ constraint: JSONValue, pod: JSONValue, key: String, nodes: [NodeInfo]) -> [String: Int64] {
        let selector = (try? LabelSelector(apiSelector: constraint["labelSelector"])) ?? .nothing
        let namespace = pod.metadata.namespace ?? "default"
        var counts: [String: Int64] = [:]
        for node in nodes where NodeSelection.matchesRequired(pod, node) {
            guard let domain = node.node.metadata.labels[key] else { continue }
            let matching = node.pods.filter { ($0.metadata.namespace ?? "default") == namespace && selector.matches(object: $0) }.count
            counts[domain, default: 0] += Int64(matching)
        }
        return counts
    }
}
