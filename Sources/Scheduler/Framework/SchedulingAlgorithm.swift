import KubeAPI

/// One scheduling decision (upstream `schedulePod`): filter nodes, score the feasible ones, pick the best.
public struct SchedulingAlgorithm: Sendable {
    /// Upstream's default plugin set, in its order.
    public var filters: @Sendable (PodInfo, [NodeInfo]) -> [FilterPlugin]
    public var scores: @Sendable (PodInfo, [NodeInfo]) -> [ScorePlugin]
    /// 0 = adaptive (upstream: 50% minus 1% per 125 nodes, at least 5%, and never fewer than 100 nodes).
    public var percentageOfNodesToScore: Int

    public init(percentageOfNodesToScore: Int = 0) {
        self.percentageOfNodesToScore = percentageOfNodesToScore
        filters = { pod, nodes in
            [NodeSelection.nodeName, NodeSelection.nodeUnschedulable, TaintToleration.filter, NodeSelection.nodeAffinity,
             NodeResources.ports, NodeResources.fit] + (pod.volumes.map { [VolumeBinding.filter($0)] } ?? [])
                + (pod.topologyConstraints.isEmpty ? [] : [TopologySpread.filter(pod: pod, allNodes: nodes)])
        }
        scores = { pod, nodes in
            [TaintToleration.score, NodeSelection.preferredAffinity]
                + (pod.topologyConstraints.isEmpty ? [] : [TopologySpread.score(pod: pod, allNodes: nodes)])
                + [NodeResources.leastAllocated, NodeResources.balancedAllocation]
        }
    }

    /// Why a pod fits nowhere, with upstream's message.
    public struct FitError: Error, Sendable, CustomStringConvertible {
        public var nodeCount: Int
        /// Reason -> number of nodes it ruled out.
        public var reasons: [String: Int]
        public var allUnresolvable: Bool

        public var description: String {
            let parts = reasons.map { "\($0.value) \($0.key)" }.sorted()
            let preemption = allUnresolvable ? "Preemption is not helpful for scheduling" : "No preemption victims found for incoming pod"
            return "0/\(nodeCount) nodes are available: \(parts.joined(separator: ", ")). preemption: 0/\(nodeCount) nodes are available: \(nodeCount) \(preemption)."
        }
    }

    /// How many feasible nodes to find before scoring.
    func feasibleTarget(_ total: Int) -> Int {
        let minimum = 100
        guard total > minimum else { return total }
        var percentage = percentageOfNodesToScore
        if percentage <= 0 { percentage = max(5, 50 - total / 125) }
        return max(minimum, total * percentage / 100)
    }

    /// The chosen node's name; `start` rotates where the search begins so work spreads over nodes, as upstream's
    /// `nextStartNodeIndex`.
    public func schedule(_ pod: JSONValue, nodes: [NodeInfo], start: Int = 0) -> Result<String, FitError> {
        schedule(PodInfo(pod), nodes: nodes, start: start)
    }

    /// The chosen node's name for a pod read once (see `PodInfo`).
    public func schedule(_ pod: PodInfo, nodes: [NodeInfo], start: Int = 0) -> Result<String, FitError> {
        guard !nodes.isEmpty else { return .failure(FitError(nodeCount: 0, reasons: [:], allUnresolvable: true)) }
        let filters = filters(pod, nodes)
        let target = feasibleTarget(nodes.count)
        var feasible: [Int] = []
        feasible.reserveCapacity(min(target, nodes.count))
        var reasons: [String: Int] = [:]
        var allUnresolvable = true
        for offset in 0..<nodes.count {
            let index = (start + offset) % nodes.count
            let node = nodes[index]
            var failures: [FilterFailure] = []
            for plugin in filters {
                failures = plugin.filter(pod, node)
                if !failures.isEmpty { break }
            }
            if failures.isEmpty {
                feasible.append(index)
                if feasible.count >= target { break }
            } else {
                for failure in failures {
                    reasons[failure.reason, default: 0] += 1
                    if !failure.unresolvable { allUnresolvable = false }
                }
            }
        }
        guard !feasible.isEmpty else {
            return .failure(FitError(nodeCount: nodes.count, reasons: reasons, allUnresolvable: allUnresolvable))
        }
        if feasible.count == 1 { return .success(nodes[feasible[0]].name) }
        let candidates = feasible.map { nodes[$0] }
        var totals = [Int64](repeating: 0, count: candidates.count)
        // A plugin that scores every candidate the same cannot change the ranking; skip it.
        for plugin in scores(pod, nodes) where plugin.applies(pod, candidates) {
            var raw = candidates.map { plugin.score(pod, $0) }
            if let normalize = plugin.normalize { raw = normalize(raw) }
            for index in raw.indices { totals[index] += raw[index] * Int64(plugin.weight) }
        }
        let best = totals.max() ?? 0
        // Ties go to the first best node after the rotating start, so equal nodes take turns.
        let index = totals.firstIndex(of: best) ?? 0
        return .success(candidates[index].name)
    }
}
