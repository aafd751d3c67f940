import KubeAPI

/// PodTopologySpread: `DoNotSchedule` constraints as a filter (a node fits when placing the pod keeps the skew of
/// its domain within maxSkew), `ScheduleAnyway` ones and the rest as a score (fewer matching pods score higher).
public enum TopologySpread {
    /// The filter needs every node to count domains, so it is built per pod and cycle, with the counts computed once.
    public static func filter(pod: PodInfo, allNodes: [NodeInfo]) -> FilterPlugin {
        let constraints = pod.topologyConstraints.compactMap { constraint -> (key: String, maxSkew: Int64, counts: [String: Int64], minimum: Int64)? in
            guard (constraint["whenUnsatisfiable"]?.string ?? "DoNotSchedule") == "DoNotSchedule",
                  let key = constraint["topologyKey"]?.string else { return nil }
            let counts = domainCounts(constraint, pod: pod, key: key, nodes: allNodes)
            return (key, constraint["maxSkew"]?.int64 ?? 1, counts, counts.values.min() ?? 0)
        }
        return FilterPlugin(name: "PodTopologySpread") { _, node in
            for constraint in constraints {
                guard let domain = node.labels[constraint.key] else {
                    return [FilterFailure("node(s) didn't match pod topology spread constraints (missing required label)")]
                }
                if (constraint.counts[domain] ?? 0) + 1 - constraint.minimum > constraint.maxSkew {
                    return [FilterFailure("node(s) didn't match pod topology spread constraints")]
                }
            }
            return []
        }
    }

    public static func score(pod: PodInfo, allNodes: [NodeInfo]) -> ScorePlugin {
        let constraints = pod.topologyConstraints.compactMap { constraint -> (key: String, counts: [String: Int64])? in
            guard let key = constraint["topologyKey"]?.string else { return nil }
            return (key, domainCounts(constraint, pod: pod, key: key, nodes: allNodes))
        }
        return ScorePlugin(name: "PodTopologySpread", weight: 2, score: { _, node in
            var total: Int64 = 0
            for constraint in constraints {
                guard let domain = node.labels[constraint.key] else { continue }
                total += constraint.counts[domain] ?? 0
            }
            return total
        }, normalize: { ScorePlugin.normalizeToMax($0, reverse: true) }, applies: { pod, _ in !pod.topologyConstraints.isEmpty })
    }

    /// Matching pods per domain value, over nodes that carry the topology key (and match the pod's node affinity,
    /// as upstream's default nodeAffinityPolicy Honor does).
    static func domainCounts(_ constraint: JSONValue, pod: PodInfo, key: String, nodes: [NodeInfo]) -> [String: Int64] {
        let selector = (try? LabelSelector(apiSelector: constraint["labelSelector"])) ?? .nothing
        let namespace = pod.namespace
        var counts: [String: Int64] = [:]
        for node in nodes where NodeSelection.matchesRequired(pod, node) {
            guard let domain = node.labels[key] else { continue }
            let matching = node.pods.filter { ($0.metadata.namespace ?? "default") == namespace && selector.matches(object: $0) }.count
            counts[domain, default: 0] += Int64(matching)
        }
        return counts
    }
}
