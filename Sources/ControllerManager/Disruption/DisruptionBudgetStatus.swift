import KubeAPI

/// The disruption controller's decisions (upstream `pkg/controller/disruption`): a PodDisruptionBudget's status,
/// which the eviction API consults before letting a pod go.
///
/// `expectedPods` is the number of selected pods for an integer `minAvailable`, otherwise the summed scale of
/// the pods' controllers (a ReplicaSet owned by a Deployment counts as the Deployment); `desiredHealthy` is
/// `minAvailable` (percentages round up) or `expectedPods - maxUnavailable` (rounding up too); `currentHealthy`
/// counts ready pods that are neither being deleted nor evicted within the last two minutes; and
/// `disruptionsAllowed` is their difference, never negative and 0 while nothing is expected.
public enum DisruptionBudgetStatus {
    /// How long an eviction recorded in `disruptedPods` keeps a pod out of the healthy count (upstream
    /// `DeletionTimeout`).
    public static let deletionTimeoutSeconds: Int64 = 120

    /// The status write, or nil when the status is current.
    /// - Parameters:
    ///   - budget: the PodDisruptionBudget.
    ///   - pods: every pod in its namespace.
    ///   - controllers: the workload objects pods may belong to (ReplicaSets, Deployments, StatefulSets, ...).
    ///   - now: the current time.
    public static func plan(budget: JSONValue, pods: [JSONValue], controllers: [KindedObject], now: KubeTime) -> (update: ControllerAction?, recheckAfterSeconds: Int?) {
        let namespace = budget.metadata.namespace
        let selector = (try? LabelSelector(apiSelector: budget[path: ["spec", "selector"]])) ?? .nothing
        let selected = pods.filter { $0.metadata.namespace == namespace && selector.matches(object: $0) }
        let counts: (expected: Int, desired: Int)
        do {
            counts = try expectedAndDesired(budget, pods: selected, controllers: controllers)
        } catch {
            return (failSafe(budget, message: error.description, now: now), nil)
        }
        var disrupted: JSONObject = [:]
        var recheck: KubeTime?
        let recorded = budget[path: ["status", "disruptedPods"]]?.object ?? [:]
        for pod in selected where !pod.metadata.isBeingDeleted {
            guard let text = recorded[pod.metadata.name ?? ""]?.string, let evicted = try? KubeTime(rfc3339: text) else { continue }
            let expectedDeletion = evicted.adding(seconds: deletionTimeoutSeconds)
            // Past the timeout the pod was evidently not deleted; it counts again.
            if expectedDeletion < now { continue }
            disrupted[pod.metadata.name ?? ""] = .string(text)
            if recheck.map({ expectedDeletion < $0 }) ?? true { recheck = expectedDeletion }
        }
        var healthy = 0
        for pod in selected where !pod.metadata.isBeingDeleted && disrupted[pod.metadata.name ?? ""] == nil && PodView(pod).isReady {
            healthy += 1
        }
        let allowed = counts.expected <= 0 ? 0 : max(0, healthy - counts.desired)
        let recheckAfter = recheck.map { Int(max(0, $0.seconds - now.seconds)) + 1 }

        let old = budget["status"] ?? .emptyObject
        let generation = budget.metadata.generation ?? 0
        let conditionType = "DisruptionAllowed"
        let (conditionStatus, reason) = allowed > 0 ? ("True", "SufficientPods") : ("False", "InsufficientPods")
        let oldConditions = old["conditions"]?.array ?? []
        let current = StatusConditions.get(oldConditions, conditionType)
        let upToDate = (old["currentHealthy"]?.int ?? 0) == healthy && (old["desiredHealthy"]?.int ?? 0) == counts.desired
            && (old["expectedPods"]?.int ?? 0) == counts.expected && (old["disruptionsAllowed"]?.int ?? 0) == allowed
            && (old["disruptedPods"] ?? .emptyObject) == .object(disrupted) && (old["observedGeneration"]?.int64 ?? 0) == generation
            && current?["status"]?.string == conditionStatus && current?["reason"]?.string == reason
        if upToDate { return (nil, recheckAfter) }
        var status: JSONValue = [:]
        if generation != 0 { status["observedGeneration"] = .integer(generation) }
        if !disrupted.isEmpty { status["disruptedPods"] = .object(disrupted) }
        status["disruptionsAllowed"] = .integer(Int64(allowed))
        status["currentHealthy"] = .integer(Int64(healthy))
        status["desiredHealthy"] = .integer(Int64(counts.desired))
        status["expectedPods"] = .integer(Int64(counts.expected))
        status["conditions"] = .array(setCondition(oldConditions, type: conditionType, status: conditionStatus, reason: reason,
                                                   message: "", observedGeneration: generation, now: now))
        var updated = budget
        updated["status"] = status
        return (.updateStatus(updated), recheckAfter)
    }

    /// Why the expected count cannot be computed.
    public struct CountError: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// Upstream `getExpectedPodCount`.
    static func expectedAndDesired(_ budget: JSONValue, pods: [JSONValue], controllers: [KindedObject]) throws(CountError) -> (expected: Int, desired: Int) {
        if let maxUnavailable = budget[path: ["spec", "maxUnavailable"]].flatMap(IntOrString.init(json:)) {
            let expected = try expectedScale(pods, controllers: controllers)
            guard let scaled = try? maxUnavailable.scaledValue(total: expected, roundUp: true) else {
                throw CountError(description: "invalid value for IntOrString: invalid type: string is not a percentage")
            }
            return (expected, max(0, expected - scaled))
        }
        guard let minAvailable = budget[path: ["spec", "minAvailable"]].flatMap(IntOrString.init(json:)) else { return (0, 0) }
        if case .int(let value) = minAvailable { return (pods.count, Int(value)) }
        let expected = try expectedScale(pods, controllers: controllers)
        guard let scaled = try? minAvailable.scaledValue(total: expected, roundUp: true) else {
            throw CountError(description: "invalid value for IntOrString: invalid type: string is not a percentage")
        }
        return (expected, scaled)
    }

    /// Upstream `getExpectedScale`: the sum of the scales of the distinct controllers of the pods; pods without
    /// a controller are skipped (upstream warns about them), a controller that cannot be found is an error.
    static func expectedScale(_ pods: [JSONValue], controllers: [KindedObject]) throws(CountError) -> Int {
        var byUID: [String: KindedObject] = [:]
        for item in controllers { if let uid = item.object.metadata.uid { byUID[uid] = item } }
        var scales: [String: Int] = [:]
        for pod in pods {
            guard let ref = ControllerRef.of(pod) else { continue }
            guard var owner = byUID[ref.uid], owner.kind.kind == ref.kind else {
                throw CountError(description: "found no controllers for pod \"\(pod.metadata.name ?? "")\"")
            }
            // A Deployment's ReplicaSet is counted as the Deployment, whose scale spans all its ReplicaSets.
            if owner.kind.kind == "ReplicaSet", let parentRef = ControllerRef.of(owner.object), parentRef.kind == "Deployment" {
                guard let parent = byUID[parentRef.uid] else {
                    throw CountError(description: "found no controllers for pod \"\(pod.metadata.name ?? "")\"")
                }
                owner = parent
            }
            scales[owner.object.metadata.uid ?? ""] = owner.object[path: ["spec", "replicas"]]?.int ?? 1
        }
        return scales.values.reduce(0, +)
    }

    /// Upstream `failSafe`: no disruptions while the count cannot be computed.
    static func failSafe(_ budget: JSONValue, message: String, now: KubeTime) -> ControllerAction {
        var updated = budget
        var status = budget["status"] ?? .emptyObject
        status["disruptionsAllowed"] = 0
        let observed = status["observedGeneration"]?.int64 ?? 0
        status["conditions"] = .array(setCondition(status["conditions"]?.array ?? [], type: "DisruptionAllowed", status: "False",
                                                   reason: "SyncFailed", message: message, observedGeneration: observed, now: now))
        updated["status"] = status
        return .updateStatus(updated)
    }

    /// `apimeta.SetStatusCondition` for `metav1.Condition`: the transition time changes only with the status.
    static func setCondition(_ conditions: [JSONValue], type: String, status: String, reason: String, message: String,
                             observedGeneration: Int64, now: KubeTime) -> [JSONValue] {
        var conditions = conditions
        let previous = StatusConditions.get(conditions, type)
        var condition: JSONValue = ["type": .string(type), "status": .string(status)]
        if observedGeneration != 0 { condition["observedGeneration"] = .integer(observedGeneration) }
        condition["lastTransitionTime"] = previous?["status"]?.string == status ? previous?["lastTransitionTime"] ?? .string(now.rfc3339) : .string(now.rfc3339)
        condition["reason"] = .string(reason)
        condition["message"] = .string(message)
        if let index = conditions.firstIndex(where: { $0["type"]?.string == type }) {
            conditions[index] = condition
        } else {
            conditions.append(condition)
        }
        return conditions
    }
}
