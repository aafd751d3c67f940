import KubeAPI

/// How the deployment controller orders and picks ReplicaSets (upstream `controller.ReplicaSetsBy*`,
/// `FindNewReplicaSet`, `FindOldReplicaSets`, `FindActiveOrLatest`).
public enum ReplicaSetOrdering {
    /// Older first; equal (or missing) timestamps fall back to the name.
    /// - Parameters:
    ///   - a: a ReplicaSet.
    ///   - b: another.
    public static func olderFirst(_ a: JSONValue, _ b: JSONValue) -> Bool {
        let (ta, tb) = (a.metadata.creationTimestamp, b.metadata.creationTimestamp)
        if ta == tb { return (a.metadata.name ?? "") < (b.metadata.name ?? "") }
        return (ta ?? KubeTime(seconds: Int64.min / 2)) < (tb ?? KubeTime(seconds: Int64.min / 2))
    }

    /// Larger first, then older first (scaling down: shrink the big old ones first).
    public static func largerThenOlder(_ a: JSONValue, _ b: JSONValue) -> Bool {
        let (ra, rb) = (DeploymentMath.replicas(a), DeploymentMath.replicas(b))
        return ra == rb ? olderFirst(a, b) : ra > rb
    }

    /// Larger first, then newer first (scaling up: grow the big new ones first).
    public static func largerThenNewer(_ a: JSONValue, _ b: JSONValue) -> Bool {
        let (ra, rb) = (DeploymentMath.replicas(a), DeploymentMath.replicas(b))
        return ra == rb ? olderFirst(b, a) : ra > rb
    }

    /// The revision annotation: 0 when absent, nil when unparsable (such ReplicaSets are skipped).
    /// - Parameters:
    ///   - object: a ReplicaSet or Deployment.
    public static func revision(_ object: JSONValue) -> Int64? {
        guard let text = object.metadata.annotations[DeploymentNames.revision] else { return 0 }
        return Int64(text)
    }

    /// Lower revision first; equal or unparsable revisions fall back to age (upstream `ReplicaSetsByRevision`).
    public static func lowerRevisionFirst(_ a: JSONValue, _ b: JSONValue) -> Bool {
        guard let ra = revision(a), let rb = revision(b), ra != rb else { return olderFirst(a, b) }
        return ra < rb
    }

    /// The highest revision among ReplicaSets (0 when none).
    /// - Parameters:
    ///   - sets: ReplicaSets.
    public static func maxRevision(_ sets: [JSONValue]) -> Int64 {
        sets.compactMap(revision).max().map { max($0, 0) } ?? 0
    }

    /// The oldest ReplicaSet whose template equals the Deployment's, ignoring the hash label: the "new" one.
    /// - Parameters:
    ///   - deployment: the Deployment.
    ///   - sets: its ReplicaSets.
    public static func newReplicaSet(_ deployment: JSONValue, _ sets: [JSONValue]) -> JSONValue? {
        let template = deployment[path: ["spec", "template"]] ?? .emptyObject
        return sets.sorted(by: olderFirst).first {
            TemplateEquality.equalIgnoringHash($0[path: ["spec", "template"]] ?? .emptyObject, template)
        }
    }

    /// Every ReplicaSet but the new one, in input order.
    /// - Parameters:
    ///   - deployment: the Deployment.
    ///   - sets: its ReplicaSets.
    public static func oldReplicaSets(_ deployment: JSONValue, _ sets: [JSONValue]) -> [JSONValue] {
        guard let new = newReplicaSet(deployment, sets) else { return sets }
        return sets.filter { $0.metadata.name != new.metadata.name }
    }

    /// The one active ReplicaSet, or the newest when none is active; nil when several are active.
    /// - Parameters:
    ///   - newRS: the new ReplicaSet.
    ///   - old: the old ones.
    public static func activeOrLatest(newRS: JSONValue?, old: [JSONValue]) -> JSONValue? {
        if newRS == nil && old.isEmpty { return nil }
        let newestFirst = old.sorted { olderFirst($1, $0) }
        let active = (newestFirst + (newRS.map { [$0] } ?? [])).filter { DeploymentMath.replicas($0) > 0 }
        switch active.count {
        case 0: return newRS ?? newestFirst.first
        case 1: return active[0]
        default: return nil
        }
    }
}
