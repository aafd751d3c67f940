import KubeAPI

/// Numbers derived from a Deployment and its ReplicaSets (upstream `deploymentutil` helpers).
public enum DeploymentMath {
    /// `spec.replicas` (the API defaults it to 1).
    /// - Parameters:
    ///   - object: a Deployment or ReplicaSet.
    public static func replicas(_ object: JSONValue) -> Int { object[path: ["spec", "replicas"]]?.int ?? 1 }

    /// A `status` count, 0 when absent.
    /// - Parameters:
    ///   - object: a Deployment or ReplicaSet.
    ///   - field: the status member.
    public static func status(_ object: JSONValue, _ field: String) -> Int { object[path: ["status", field]]?.int ?? 0 }

    /// Whether the strategy is RollingUpdate (the default when unset).
    /// - Parameters:
    ///   - deployment: the Deployment.
    public static func isRollingUpdate(_ deployment: JSONValue) -> Bool {
        (deployment[path: ["spec", "strategy", "type"]]?.string ?? "RollingUpdate") == "RollingUpdate"
    }

    /// Upstream `ResolveFenceposts`: maxSurge rounds percentages up, maxUnavailable rounds down, and when both come
    /// out 0 maxUnavailable becomes 1 so the rollout can make progress. An unparsable value gives (0, 0) as
    /// upstream does (validation rejects such objects anyway).
    /// - Parameters:
    ///   - maxSurge: `rollingUpdate.maxSurge` (nil means 0).
    ///   - maxUnavailable: `rollingUpdate.maxUnavailable` (nil means 0).
    ///   - desired: `spec.replicas`.
    public static func resolveFenceposts(maxSurge: JSONValue?, maxUnavailable: JSONValue?, desired: Int) -> (surge: Int, unavailable: Int) {
        do {
            let surge = try (maxSurge.flatMap(IntOrString.init(json:)) ?? .int(0)).scaledValue(total: desired, roundUp: true)
            var unavailable = try (maxUnavailable.flatMap(IntOrString.init(json:)) ?? .int(0)).scaledValue(total: desired, roundUp: false)
            if surge == 0 && unavailable == 0 { unavailable = 1 }
            return (surge, unavailable)
        } catch {
            return (0, 0)
        }
    }

    private static func fenceposts(_ deployment: JSONValue) -> (surge: Int, unavailable: Int) {
        let rolling = deployment[path: ["spec", "strategy", "rollingUpdate"]]
        let surge = rolling?["maxSurge"] ?? (rolling == nil ? "25%" : nil)
        let unavailable = rolling?["maxUnavailable"] ?? (rolling == nil ? "25%" : nil)
        return resolveFenceposts(maxSurge: surge, maxUnavailable: unavailable, desired: replicas(deployment))
    }

    /// Upstream `MaxSurge`: 0 unless RollingUpdate.
    /// - Parameters:
    ///   - deployment: the Deployment.
    public static func maxSurge(_ deployment: JSONValue) -> Int {
        isRollingUpdate(deployment) ? fenceposts(deployment).surge : 0
    }

    /// Upstream `MaxUnavailable`: 0 unless RollingUpdate with replicas, and never more than `spec.replicas`.
    /// - Parameters:
    ///   - deployment: the Deployment.
    public static func maxUnavailable(_ deployment: JSONValue) -> Int {
        let desired = replicas(deployment)
        guard isRollingUpdate(deployment), desired != 0 else { return 0 }
        return min(fenceposts(deployment).unavailable, desired)
    }

    /// Sum of `spec.replicas`.
    /// - Parameters:
    ///   - sets: ReplicaSets.
    public static func specReplicas(_ sets: [JSONValue]) -> Int { sets.reduce(0) { $0 + replicas($1) } }

    /// Sum of a status count.
    /// - Parameters:
    ///   - sets: ReplicaSets.
    ///   - field: "replicas", "readyReplicas", "availableReplicas".
    public static func statusSum(_ sets: [JSONValue], _ field: String) -> Int { sets.reduce(0) { $0 + status($1, field) } }

    /// Upstream `NewRSNewReplicas`: how large the new ReplicaSet may be now. RollingUpdate grows it as far as
    /// `replicas + maxSurge` total pods allow, never past `replicas`; Recreate jumps to `replicas`.
    /// - Parameters:
    ///   - deployment: the Deployment.
    ///   - all: every ReplicaSet, the new one included.
    ///   - newRS: the new ReplicaSet.
    public static func newReplicaSetReplicas(_ deployment: JSONValue, all: [JSONValue], newRS: JSONValue) -> Int {
        let desired = replicas(deployment)
        guard isRollingUpdate(deployment) else { return desired }
        let maxTotal = desired + maxSurge(deployment)
        let current = specReplicas(all)
        guard current < maxTotal else { return replicas(newRS) }
        return replicas(newRS) + min(maxTotal - current, desired - replicas(newRS))
    }

    /// Upstream `IsSaturated`: the new ReplicaSet has all replicas, was sized for this `spec.replicas`, and every
    /// pod is available.
    /// - Parameters:
    ///   - deployment: the Deployment.
    ///   - rs: the new ReplicaSet.
    public static func isSaturated(_ deployment: JSONValue, _ rs: JSONValue?) -> Bool {
        guard let rs, let desired = rs.metadata.annotations[DeploymentNames.desiredReplicas].flatMap({ Int($0) }) else { return false }
        let want = replicas(deployment)
        return replicas(rs) == want && desired == want && status(rs, "availableReplicas") == want
    }

    /// Upstream `GetProportion`: the share of `toAdd` one ReplicaSet gets when a rolling Deployment is resized
    /// mid-rollout, from its size relative to the `max-replicas` it was last scaled for; never more than what is
    /// left to distribute.
    /// - Parameters:
    ///   - rs: the ReplicaSet.
    ///   - deployment: the Deployment.
    ///   - toAdd: replicas to add (negative: remove) across all ReplicaSets.
    ///   - added: already distributed.
    public static func proportion(_ rs: JSONValue, _ deployment: JSONValue, toAdd: Int, added: Int) -> Int {
        guard replicas(rs) != 0, toAdd != 0, toAdd != added else { return 0 }
        let fraction = replicaSetFraction(rs, deployment)
        let allowed = toAdd - added
        return toAdd > 0 ? min(fraction, allowed) : max(fraction, allowed)
    }

    static func replicaSetFraction(_ rs: JSONValue, _ deployment: JSONValue) -> Int {
        let size = replicas(rs)
        if replicas(deployment) == 0 { return -size }
        let deploymentReplicas = replicas(deployment) + maxSurge(deployment)
        let annotated = rs.metadata.annotations[DeploymentNames.maxReplicas].flatMap { Int($0) }
            ?? status(deployment, "replicas")
        guard annotated != 0 else { return 0 }
        // Go's integer.RoundToInt32 rounds half away from zero, as Double.rounded() does.
        let scaled = (Double(size * deploymentReplicas) / Double(annotated)).rounded()
        return Int(scaled) - size
    }
}
