import KubeAPI

/// What one sync of a ReplicaSet decided (upstream `syncReplicaSet`): run `claim` first, then `createBatches`
/// one batch at a time (calls within a batch may run concurrently; stop after a batch with a failure), the
/// `deletions` (concurrently), then write the status. If a create or delete failed, recompute the status with
/// `ReplicaSetStatus.calculate(…, manageError:)` so the `ReplicaFailure` condition records it.
public struct ReplicaSetPlan: Sendable, Hashable {
    /// Adoption and release patches for pods.
    public var claim: [ControllerAction] = []
    /// Pod creates in slow-start batches (1, 2, 4, ...).
    public var createBatches: [[ControllerAction]] = []
    /// Pod deletes, most expendable first.
    public var deletions: [ControllerAction] = []
    /// The active pods the ReplicaSet owns after the claim.
    public var ownedPods: [JSONValue] = []
    /// The status assuming every create and delete succeeds.
    public var status: JSONValue = .emptyObject
    /// The status write, nil when nothing changed.
    public var statusUpdate: ControllerAction?
    /// Sync again after this many seconds: the pods are ready but not yet available (minReadySeconds).
    public var requeueAfterSeconds: Int?
    /// Set when the selector cannot be parsed; nothing else is done then, as upstream.
    public var invalidSelector: String?

    /// Every action in execution order (batches flattened).
    public var actions: [ControllerAction] {
        claim + createBatches.flatMap { $0 } + deletions + (statusUpdate.map { [$0] } ?? [])
    }
}

/// The ReplicaSet controller's decisions: claim pods by selector and controller reference, create or delete pods
/// to reach `spec.replicas`, and report status.
public struct ReplicaSetSync: Sendable {
    /// At most this many creates or deletes per sync (upstream `BurstReplicas`, 500).
    public var burstReplicas: Int

    /// Creates the decision function.
    /// - Parameters:
    ///   - burstReplicas: the per-sync cap on creates or deletes.
    public init(burstReplicas: Int = 500) { self.burstReplicas = burstReplicas }

    /// Decides one sync.
    /// - Parameters:
    ///   - replicaSet: the ReplicaSet.
    ///   - pods: every pod in its namespace (inactive ones and other controllers' ones are filtered here).
    ///   - relatedPods: pods of all ReplicaSets with the same controller, to spread deletions across nodes;
    ///     defaults to the ReplicaSet's own pods.
    ///   - expectationsSatisfied: false while earlier creates/deletes are not yet visible in the pod cache; the
    ///     sync then only reports status, as upstream.
    ///   - now: the current time.
    public func plan(replicaSet: JSONValue, pods: [JSONValue], relatedPods: [JSONValue]? = nil,
                     expectationsSatisfied: Bool = true, now: KubeTime) -> ReplicaSetPlan {
        var plan = ReplicaSetPlan()
        let selector: LabelSelector
        do {
            selector = try LabelSelector(apiSelector: replicaSet[path: ["spec", "selector"]])
        } catch {
            plan.invalidSelector = error.description
            return plan
        }
        let namespace = replicaSet.metadata.namespace
        let active = pods.filter { $0.metadata.namespace == namespace && PodView($0).isActive }
        let claim = ControllerRef.claim(active, objectKind: .pod, owner: replicaSet, ownerKind: .replicaSet,
                                        matches: selector.matches(object:))
        plan.claim = claim.actions
        plan.ownedPods = claim.claimed

        if expectationsSatisfied && !replicaSet.metadata.isBeingDeleted {
            manageReplicas(&plan, replicaSet: replicaSet, relatedPods: relatedPods ?? claim.claimed, now: now)
        }
        plan.status = ReplicaSetStatus.calculate(replicaSet: replicaSet, pods: claim.claimed, manageError: nil, now: now)
        plan.statusUpdate = ReplicaSetStatus.update(replicaSet: replicaSet, status: plan.status)

        let desired = ReplicaSetStatus.desiredReplicas(replicaSet)
        let minReadySeconds = replicaSet[path: ["spec", "minReadySeconds"]]?.int ?? 0
        if minReadySeconds > 0, plan.status["readyReplicas"]?.int ?? 0 == desired,
           plan.status["availableReplicas"]?.int ?? 0 != desired {
            plan.requeueAfterSeconds = minReadySeconds
        }
        return plan
    }

    /// Upstream `manageReplicas`: create the missing pods from the template or delete the surplus, at most
    /// `burstReplicas` either way.
    private func manageReplicas(_ plan: inout ReplicaSetPlan, replicaSet: JSONValue, relatedPods: [JSONValue], now: KubeTime) {
        let diff = plan.ownedPods.count - ReplicaSetStatus.desiredReplicas(replicaSet)
        if diff < 0 {
            let template = replicaSet[path: ["spec", "template"]] ?? .emptyObject
            // Upstream refuses to create pods without labels: they could never be matched back.
            guard !template.metadata.labels.isEmpty else { return }
            let pod = PodTemplate.pod(from: template, owner: replicaSet, ownerKind: .replicaSet)
            plan.createBatches = SlowStart.batches(min(-diff, burstReplicas)).map {
                Array(repeating: ControllerAction.create(pod), count: $0)
            }
        } else if diff > 0 {
            plan.deletions = PodDeletionOrder.podsToDelete(plan.ownedPods, related: relatedPods,
                                                           count: min(diff, burstReplicas), now: now)
                .map { .delete(ObjectRef($0, kind: .pod)) }
        }
    }
}
