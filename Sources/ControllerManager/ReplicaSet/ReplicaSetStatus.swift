import KubeAPI

/// The status a ReplicaSet reports (upstream `calculateStatus` and `updateReplicaSetStatus`).
public enum ReplicaSetStatus {
    /// The new status from the pods the ReplicaSet owns.
    ///
    /// `replicas` counts the owned active pods, `fullyLabeledReplicas` those whose labels include all template
    /// labels, `readyReplicas` the ready ones, `availableReplicas` those ready for longer than `minReadySeconds`.
    /// A failed create or delete adds a `ReplicaFailure` condition (reason FailedCreate or FailedDelete, the error
    /// as message) unless one is already there; a clean sync removes it. `observedGeneration` is the ReplicaSet's
    /// generation, written together with the counts. Zero counts are omitted as Go's `omitempty` does, except
    /// `replicas`, which is always present.
    /// - Parameters:
    ///   - replicaSet: the ReplicaSet.
    ///   - pods: its active owned pods.
    ///   - manageError: the error of this sync's creates or deletes, if any.
    ///   - now: the current time.
    public static func calculate(replicaSet: JSONValue, pods: [JSONValue], manageError: String?, now: KubeTime) -> JSONValue {
        let templateLabels = replicaSet[path: ["spec", "template", "metadata", "labels"]]?.object ?? [:]
        let minReadySeconds = replicaSet[path: ["spec", "minReadySeconds"]]?.int ?? 0
        var fullyLabeled = 0, ready = 0, available = 0
        for pod in pods {
            let labels = pod.metadata.labels
            if templateLabels.allSatisfy({ labels[$0.key] == $0.value.string }) { fullyLabeled += 1 }
            let view = PodView(pod)
            if view.isReady {
                ready += 1
                if view.isAvailable(minReadySeconds: minReadySeconds, now: now) { available += 1 }
            }
        }
        var conditions = replicaSet[path: ["status", "conditions"]]?.array ?? []
        let failure = StatusConditions.get(conditions, "ReplicaFailure")
        if let manageError, failure == nil {
            let diff = pods.count - desiredReplicas(replicaSet)
            let reason = diff < 0 ? "FailedCreate" : diff > 0 ? "FailedDelete" : ""
            StatusConditions.set(&conditions, ["type": "ReplicaFailure", "status": "True",
                                               "lastTransitionTime": .string(now.rfc3339), "reason": .string(reason),
                                               "message": .string(manageError)], keepTransitionTime: false)
        } else if manageError == nil, failure != nil {
            StatusConditions.remove(&conditions, "ReplicaFailure")
        }
        var status: JSONValue = ["replicas": .integer(Int64(pods.count))]
        for (key, value) in [("fullyLabeledReplicas", fullyLabeled), ("readyReplicas", ready), ("availableReplicas", available)]
        where value != 0 {
            status[key] = .integer(Int64(value))
        }
        if let generation = replicaSet.metadata.generation, generation != 0 { status["observedGeneration"] = .integer(generation) }
        if !conditions.isEmpty { status["conditions"] = .array(conditions) }
        return status
    }

    /// The status write, or nil in the steady state: counts and conditions unchanged and the generation already
    /// observed (upstream skips the write then).
    /// - Parameters:
    ///   - replicaSet: the ReplicaSet as read.
    ///   - status: the new status from `calculate`.
    public static func update(replicaSet: JSONValue, status: JSONValue) -> ControllerAction? {
        let old = replicaSet["status"] ?? .emptyObject
        let counts = ["replicas", "fullyLabeledReplicas", "readyReplicas", "availableReplicas"]
        let same = counts.allSatisfy { (old[$0]?.int64 ?? 0) == (status[$0]?.int64 ?? 0) }
            && (replicaSet.metadata.generation ?? 0) == (old["observedGeneration"]?.int64 ?? 0)
            && (old["conditions"]?.array ?? []) == (status["conditions"]?.array ?? [])
        if same { return nil }
        var updated = replicaSet
        updated["status"] = status
        return .updateStatus(updated)
    }

    /// `spec.replicas`, defaulting to 1 as the API does.
    /// - Parameters:
    ///   - replicaSet: the ReplicaSet.
    public static func desiredReplicas(_ replicaSet: JSONValue) -> Int {
        replicaSet[path: ["spec", "replicas"]]?.int ?? 1
    }
}
