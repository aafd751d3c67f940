import Foundation
import KubeAPI

/// Which pods a scale-down removes first (upstream `controller.ActivePodsWithRanks`, with the v1.32 defaults:
/// PodDeletionCost and LogarithmicScaleDown on). Pods that matter least come first:
///
/// 1. unscheduled before scheduled;
/// 2. Pending before Unknown before Running (any other phase counts as Pending, as Go's map lookup gives 0);
/// 3. not ready before ready;
/// 4. lower `controller.kubernetes.io/pod-deletion-cost` first;
/// 5. higher rank (more related pods on the same node) first;
/// 6. both ready: the more recently ready first, compared on a log2 scale of the age (same bucket: lower uid);
/// 7. more container restarts first (regular containers, then sidecars);
/// 8. newer first, again on the log2 scale; a missing time counts as newest.
public enum PodDeletionOrder {
    /// Whether `a` should be deleted before `b`.
    /// - Parameters:
    ///   - a: a pod and its rank.
    ///   - b: another pod and its rank.
    ///   - now: the reference time for the logarithmic comparison; nil compares times directly.
    public static func precedes(_ a: (pod: PodView, rank: Int), _ b: (pod: PodView, rank: Int), now: KubeTime?) -> Bool {
        let (p, q) = (a.pod, b.pod)
        if p.nodeName != q.nodeName && (p.nodeName.isEmpty || q.nodeName.isEmpty) { return p.nodeName.isEmpty }
        let (phaseP, phaseQ) = (phaseOrdinal[p.phase] ?? 0, phaseOrdinal[q.phase] ?? 0)
        if phaseP != phaseQ { return phaseP < phaseQ }
        if p.isReady != q.isReady { return !p.isReady }
        if p.deletionCost != q.deletionCost { return p.deletionCost < q.deletionCost }
        if a.rank != b.rank { return a.rank > b.rank }
        if p.isReady && q.isReady {
            let (readyP, readyQ) = (readyTime(p), readyTime(q))
            if readyP != readyQ { return newer(readyP, readyQ, uids: (p.uid, q.uid), now: now) }
        }
        let (restartsP, restartsQ) = (p.maxRestarts, q.maxRestarts)
        if restartsP.regular != restartsQ.regular { return restartsP.regular > restartsQ.regular }
        if restartsP.sidecar != restartsQ.sidecar { return restartsP.sidecar > restartsQ.sidecar }
        let (createdP, createdQ) = (p.object.metadata.creationTimestamp, q.object.metadata.creationTimestamp)
        if createdP != createdQ { return newer(createdP, createdQ, uids: (p.uid, q.uid), now: now) }
        return false
    }

    /// Pods sorted for deletion, ties keeping their input order (Go's sort is not stable; we prefer determinism).
    /// - Parameters:
    ///   - pods: the pods.
    ///   - ranks: one rank per pod.
    ///   - now: the reference time.
    public static func sorted(_ pods: [JSONValue], ranks: [Int], now: KubeTime?) -> [JSONValue] {
        let entries = pods.enumerated().map { (index: $0.offset, pod: PodView($0.element), rank: ranks.indices.contains($0.offset) ? ranks[$0.offset] : 0) }
        return entries.sorted { lhs, rhs in
            if precedes((lhs.pod, lhs.rank), (rhs.pod, rhs.rank), now: now) { return true }
            if precedes((rhs.pod, rhs.rank), (lhs.pod, lhs.rank), now: now) { return false }
            return lhs.index < rhs.index
        }.map(\.pod.object)
    }

    /// The `count` pods a scale-down deletes (upstream `getPodsToDelete`): each pod is ranked by how many active
    /// related pods (the pods of every ReplicaSet with the same controller) share its node, so doubled-up nodes
    /// shed pods first. Deleting every pod needs no sort.
    /// - Parameters:
    ///   - pods: the controller's active pods.
    ///   - related: pods of sibling ReplicaSets (the pods themselves included).
    ///   - count: how many to delete.
    ///   - now: the current time.
    public static func podsToDelete(_ pods: [JSONValue], related: [JSONValue], count: Int, now: KubeTime) -> [JSONValue] {
        guard count < pods.count else { return Array(pods.prefix(count)) }
        var perNode: [String: Int] = [:]
        for pod in related.map(PodView.init) where pod.isActive { perNode[pod.nodeName, default: 0] += 1 }
        let ranks = pods.map { perNode[PodView($0).nodeName] ?? 0 }
        return Array(sorted(pods, ranks: ranks, now: now).prefix(count))
    }

    static let phaseOrdinal = ["Pending": 0, "Unknown": 1, "Running": 2]

    private static func readyTime(_ pod: PodView) -> KubeTime? {
        pod.readyCondition?["lastTransitionTime"]?.string.flatMap { try? KubeTime(rfc3339: $0) }
    }

    /// Upstream `afterOrZero` and `logarithmicRankDiff`: a missing time sorts first; otherwise the time in the
    /// smaller power-of-two age bucket (in nanoseconds) is the newer, and the same bucket falls back to the uid.
    private static func newer(_ t1: KubeTime?, _ t2: KubeTime?, uids: (String, String), now: KubeTime?) -> Bool {
        guard let t1, let t2 else { return t1 == nil }
        guard let now else { return t2 < t1 }
        let diff = bucket(age: now, t1) - bucket(age: now, t2)
        return diff == 0 ? uids.0 < uids.1 : diff < 0
    }

    private static func bucket(age now: KubeTime, _ time: KubeTime) -> Int64 {
        let nanos = (now.seconds - time.seconds) * 1_000_000_000 + Int64(now.nanoseconds - time.nanoseconds)
        return nanos > 0 ? Int64(log2(Double(nanos))) : -1
    }
}
