import KubeAPI

/// Why a node does not fit a pod: the text goes into the FailedScheduling message, counted across nodes
/// ("0/3 nodes are available: 2 Insufficient cpu, 1 node(s) were unschedulable.").
public struct FilterFailure: Sendable, Hashable {
    public var reason: String
    /// Unresolvable failures (taints, affinity, node name) cannot be fixed by preempting pods.
    public var unresolvable: Bool

    public init(_ reason: String, unresolvable: Bool = true) {
        self.reason = reason
        self.unresolvable = unresolvable
    }
}

/// A filter plugin: nil when the node fits, else every reason it does not.
public struct FilterPlugin: Sendable {
    public var name: String
    public var filter: @Sendable (PodInfo, NodeInfo) -> [FilterFailure]

    public init(name: String, filter: @escaping @Sendable (PodInfo, NodeInfo) -> [FilterFailure]) {
        self.name = name
        self.filter = filter
    }
}

/// A score plugin: 0...100 per node (upstream's MaxNodeScore), with a weight.
public struct ScorePlugin: Sendable {
    public var name: String
    public var weight: Int
    public var score: @Sendable (PodInfo, NodeInfo) -> Int64
    /// Whether the plugin can tell these candidate nodes apart for this pod at all; a plugin that cannot is skipped
    /// (its score is the same for every candidate, so it does not change the ranking).
    public var applies: @Sendable (PodInfo, [NodeInfo]) -> Bool
    /// Optional normalisation over all feasible nodes' raw scores (e.g. preferred affinity sums).
    public var normalize: (@Sendable ([Int64]) -> [Int64])?

    public init(name: String, weight: Int, score: @escaping @Sendable (PodInfo, NodeInfo) -> Int64,
                normalize: (@Sendable ([Int64]) -> [Int64])? = nil,
                applies: @escaping @Sendable (PodInfo, [NodeInfo]) -> Bool = { _, _ in true }) {
        self.name = name
        self.weight = weight
        self.score = score
        self.applies = applies
        self.normalize = normalize
    }

    public static let maxNodeScore: Int64 = 100

    /// Scales raw scores so the best becomes 100 (upstream `DefaultNormalizeScore`), optionally reversed.
    public static func normalizeToMax(_ scores: [Int64], reverse: Bool = false) -> [Int64] {
        let highest = scores.max() ?? 0
        guard highest > 0 else { return scores.map { reverse ? maxNodeScore : $0 } }
        return scores.map { score in
            let scaled = maxNodeScore * score / highest
            return reverse ? maxNodeScore - scaled : scaled
        }
    }
}
