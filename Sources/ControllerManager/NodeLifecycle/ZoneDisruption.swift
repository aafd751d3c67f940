import KubeAPI

/// Upstream's guard against evicting everything when the problem is the control plane's view rather than the
/// nodes (`handleDisruption` and `ComputeZoneState`): per zone (`topology.kubernetes.io/zone`), a zone with no Ready
/// node is fully disrupted, one with more than two not-ready nodes making up at least 55% is partially disrupted.
/// When every zone is fully disrupted (a single-node cluster whose kubelet restarts, a partitioned control
/// plane), NoExecute readiness taints are lifted everywhere; in a partially disrupted zone of a small cluster
/// (≤ 50 nodes, where upstream's reduced eviction rate is 0) no new ones are added.
public enum ZoneDisruption {
    public static let zoneLabel = "topology.kubernetes.io/zone"
    static let unhealthyThreshold = 0.55
    static let largeClusterThreshold = 50

    /// What node lifecycle may do with NoExecute readiness taints in a zone.
    public enum NoExecutePolicy: Sendable, Hashable {
        /// Add and keep them (normal).
        case apply
        /// Keep the ones already there, add none.
        case holdNew
        /// Remove them (every zone fully disrupted).
        case lift
    }

    /// The policy for each zone that has Nodes.
    /// - Parameters:
    ///   - nodes: every Node, with Ready conditions as they will be after this pass.
    public static func policies(_ nodes: [JSONValue]) -> [String: NoExecutePolicy] {
        var counts: [String: (ready: Int, notReady: Int)] = [:]
        for node in nodes {
            let ready = StatusConditions.get(node[path: ["status", "conditions"]]?.array ?? [], "Ready")?["status"]?.string == "True"
            let zone = zone(of: node)
            counts[zone, default: (0, 0)].ready += ready ? 1 : 0
            counts[zone, default: (0, 0)].notReady += ready ? 0 : 1
        }
        let full = counts.mapValues { $0.ready == 0 && $0.notReady > 0 }
        if !full.isEmpty && full.values.allSatisfy({ $0 }) { return counts.mapValues { _ in .lift } }
        return counts.mapValues { count in
            let total = count.ready + count.notReady
            let partial = count.ready > 0 && count.notReady > 2 && Double(count.notReady) / Double(total) >= unhealthyThreshold
            return partial && total <= largeClusterThreshold ? .holdNew : .apply
        }
    }

    /// The Node's zone ("" when unlabelled).
    public static func zone(of node: JSONValue) -> String { node.metadata.labels[zoneLabel] ?? "" }
}
