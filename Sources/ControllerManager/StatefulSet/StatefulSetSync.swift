import KubeAPI

/// What one sync of a StatefulSet decided. `claim` and `history` run first; `steps` run one after another (a
/// claim before the pod that mounts it); then `cleanup` and the status write.
public struct StatefulSetPlan: Sendable, Hashable {
    public var claim: [ControllerAction] = []
    public var history: [ControllerAction] = []
    /// Claim and pod creates, pod deletes and claim owner patches, in order.
    public var steps: [ControllerAction] = []
    public var cleanup: [ControllerAction] = []
    public var statusUpdate: ControllerAction?
    public var status: JSONValue = .emptyObject
    public var events: [ControllerEvent] = []
    /// Sync again after this many seconds (pods ready but not yet available for minReadySeconds).
    public var requeueAfterSeconds: Int?
    /// Why the sync stopped early, for logs and tests ("waiting for web-0 to be Running and Ready").
    public var waiting: String?
}

/// The StatefulSet controller's decisions (upstream `defaultStatefulSetControl.updateStatefulSet`): pods
/// `<set>-<ordinal>` are created in ascending order and removed in descending order, with OrderedReady waiting for
/// each to be Running and Ready (and not terminating) before touching the next, and Parallel not waiting; failed
/// pods are replaced under the same name; claims from the templates are created before their pod and never
/// deleted here (the retention policy only adds owner references, so the garbage collector deletes them); a
/// RollingUpdate replaces pods from the highest ordinal down to the partition, one at a time, each only after the
/// previous one is healthy again, and OnDelete waits for the user to delete pods.
public struct StatefulSetSync: Sendable {
    public init() {}

    public func plan(set: JSONValue, pods: [JSONValue], claims: [JSONValue], revisions: [JSONValue], now: KubeTime) -> StatefulSetPlan {
        var plan = StatefulSetPlan()
        guard let selector = try? LabelSelector(apiSelector: set[path: ["spec", "selector"]]), !selector.isEmpty else {
            plan.events.append(ControllerEvent("Warning", reason: "InvalidSelector", message: "invalid or empty selector"))
            return plan
        }
        let namespace = set.metadata.namespace
        let setUID = set.metadata.uid ?? ""
        let candidates = pods.filter { $0.metadata.namespace == namespace && StatefulSetIdentity.ordinal(of: $0, in: set) != nil }
        let claimed = ControllerRef.claim(candidates, objectKind: .pod, owner: set, ownerKind: .statefulSet,
                                          matches: selector.matches(object:))
        plan.claim = claimed.actions
        let owned = revisions.filter { ControllerRef.of($0)?.uid == setUID }
        let history = DaemonSetHistory.construct(set, owned: owned, namespaceRevisions: revisions, pods: [], kind: .statefulSet)
        plan.history = history.actions
        if let collisionCount = history.collisionCount {
            var status = set["status"] ?? .emptyObject
            status["collisionCount"] = .integer(collisionCount)
            plan.status = status
            plan.statusUpdate = Self.statusWrite(set, status)
            return plan
        }
        guard let updateRevision = history.current else { return plan }
        let updateName = updateRevision.metadata.name ?? ""
        let currentName = set[path: ["status", "currentRevision"]]?.string
        let currentRevision = (owned + [updateRevision]).first { $0.metadata.name == currentName } ?? updateRevision
        let currentTemplate = Self.template(of: currentRevision) ?? (set[path: ["spec", "template"]] ?? .emptyObject)
        let names = (current: currentRevision.metadata.name ?? updateName, update: updateName)

        plan.status = Self.status(set, pods: claimed.claimed, revisions: names, now: now)
        if !set.metadata.isBeingDeleted {
            manage(&plan, set: set, pods: claimed.claimed, claims: claims, templates: (currentTemplate, set[path: ["spec", "template"]] ?? .emptyObject),
                   revisions: names, now: now)
        }
        plan.cleanup = Self.cleanupHistory(set, old: history.old, pods: claimed.claimed, keep: [names.current, names.update])
        plan.statusUpdate = Self.statusWrite(set, plan.status)
        let minReady = set[path: ["spec", "minReadySeconds"]]?.int ?? 0
        if minReady > 0, plan.status["availableReplicas"]?.int ?? 0 < plan.status["readyReplicas"]?.int ?? 0 {
            plan.requeueAfterSeconds = minReady
        }
        return plan
    }

    /// Creates, replaces and deletes pods (the replica, condemned and rolling-update passes).
    private func manage(_ plan: inout StatefulSetPlan, set: JSONValue, pods: [JSONValue], claims: [JSONValue],
                        templates: (current: JSONValue, update: JSONValue), revisions: (current: String, update: String), now: KubeTime) {
        let setName = set.metadata.name ?? ""
        let monotonic = set[path: ["spec", "podManagementPolicy"]]?.string != "Parallel"
        let start = StatefulSetIdentity.startOrdinal(set)
        let count = StatefulSetIdentity.replicas(set)
        let range = start..<(start + count)
        let strategy = set[path: ["spec", "updateStrategy", "type"]]?.string ?? "RollingUpdate"
        let partition = set[path: ["spec", "updateStrategy", "rollingUpdate", "partition"]]?.int ?? 0
        let currentReplicas = set[path: ["status", "currentReplicas"]]?.int ?? 0
        let hasPartition = set[path: ["spec", "updateStrategy", "rollingUpdate"]] != nil
        let existingClaims = Set(claims.filter { $0.metadata.namespace == set.metadata.namespace }.compactMap { $0.metadata.name })
        let retention = set[path: ["spec", "persistentVolumeClaimRetentionPolicy"]]
        let deleteWithSet = retention?["whenDeleted"]?.string == "Delete"
        let deleteWhenScaled = retention?["whenScaled"]?.string == "Delete"
        let claimsByName = Dictionary(claims.compactMap { claim in claim.metadata.name.map { ($0, claim) } }, uniquingKeysWith: { first, _ in first })

        var replicas: [Int: JSONValue] = [:]
        var condemned: [JSONValue] = []
        for pod in pods {
            guard let ordinal = StatefulSetIdentity.ordinal(of: pod, in: set) else { continue }
            if range.contains(ordinal) { replicas[ordinal] = pod } else { condemned.append(pod) }
        }
        condemned.sort { (StatefulSetIdentity.ordinal(of: $0, in: set) ?? 0) > (StatefulSetIdentity.ordinal(of: $1, in: set) ?? 0) }

        /// Creates the missing claims of an ordinal, owned by the set when whenDeleted is Delete.
        func ensureClaims(_ ordinal: Int, podName: String) {
            for var claim in StatefulSetIdentity.claims(set, ordinal: ordinal) {
                let name = claim.metadata.name ?? ""
                if existingClaims.contains(name) {
                    if deleteWithSet, let existing = claimsByName[name], !existing.metadata.ownerReferences.contains(where: { $0.uid == set.metadata.uid }) {
                        plan.steps.append(.patch(ObjectRef(existing, kind: .persistentVolumeClaim), .strategicMerge,
                                                 ["metadata": ["ownerReferences": [Self.ownerRef(set, kind: .statefulSet).json]]]))
                    }
                    continue
                }
                if deleteWithSet { claim.metadata.ownerReferences = [Self.ownerRef(set, kind: .statefulSet)] }
                plan.steps.append(.create(claim))
                plan.events.append(ControllerEvent(reason: "SuccessfulCreate", message: "create Claim \(name) Pod \(podName) in StatefulSet \(setName) success"))
            }
        }

        // Replicas, ascending.
        for ordinal in range {
            let name = StatefulSetIdentity.podName(set, ordinal: ordinal)
            guard let pod = replicas[ordinal] else {
                let useCurrent = strategy == "RollingUpdate"
                    && ((!hasPartition && ordinal < start + currentReplicas) || (hasPartition && ordinal < start + partition))
                let revision = useCurrent ? revisions.current : revisions.update
                ensureClaims(ordinal, podName: name)
                plan.steps.append(.create(StatefulSetIdentity.pod(set, template: useCurrent ? templates.current : templates.update,
                                                                  revision: revision, ordinal: ordinal)))
                plan.events.append(ControllerEvent(reason: "SuccessfulCreate", message: "create Pod \(name) in StatefulSet \(setName) successful"))
                if monotonic {
                    plan.waiting = "waiting for \(name) to be created"
                    return
                }
                continue
            }
            let view = PodView(pod)
            if view.isTerminal && !pod.metadata.isBeingDeleted {
                plan.steps.append(.delete(ObjectRef(pod, kind: .pod)))
                plan.events.append(ControllerEvent("Warning", reason: "RecreatingFailedPod",
                                                   message: "StatefulSet \(namespaceName(set)) is recreating \(view.phase.lowercased()) Pod \(name)"))
                if monotonic {
                    plan.waiting = "waiting for \(name) to be replaced"
                    return
                }
                continue
            }
            if pod.metadata.isBeingDeleted {
                if monotonic {
                    plan.waiting = "waiting for \(name) to terminate"
                    return
                }
                continue
            }
            ensureClaims(ordinal, podName: name)
            let minReady = set[path: ["spec", "minReadySeconds"]]?.int ?? 0
            if monotonic && !(StatefulSetIdentity.isRunningAndReady(pod) && view.isAvailable(minReadySeconds: minReady, now: now)) {
                plan.waiting = "waiting for \(name) to be Running and Ready"
                return
            }
        }

        // Condemned pods, descending; OrderedReady removes one at a time and only when no other pod is unhealthy.
        let firstUnhealthy = (range.compactMap { replicas[$0] } + condemned).first { !StatefulSetIdentity.isHealthy($0) }?.metadata.name
        for pod in condemned {
            let name = pod.metadata.name ?? ""
            if pod.metadata.isBeingDeleted {
                if monotonic {
                    plan.waiting = "waiting for \(name) to terminate"
                    return
                }
                continue
            }
            if monotonic, !StatefulSetIdentity.isRunningAndReady(pod), name != firstUnhealthy {
                plan.waiting = "waiting for \(firstUnhealthy ?? "a pod") to be healthy before scaling down"
                return
            }
            if deleteWhenScaled, let ordinal = StatefulSetIdentity.ordinal(of: pod, in: set) {
                // The claims follow the pod: owned by it, the garbage collector deletes them once it is gone.
                for claim in StatefulSetIdentity.claims(set, ordinal: ordinal) {
                    guard let existing = claimsByName[claim.metadata.name ?? ""],
                          !existing.metadata.ownerReferences.contains(where: { $0.uid == pod.metadata.uid }) else { continue }
                    plan.steps.append(.patch(ObjectRef(existing, kind: .persistentVolumeClaim), .strategicMerge,
                                             ["metadata": ["ownerReferences": [Self.ownerRef(pod, kind: .pod).json]]]))
                }
            }
            plan.steps.append(.delete(ObjectRef(pod, kind: .pod)))
            plan.events.append(ControllerEvent(reason: "SuccessfulDelete", message: "delete Pod \(name) in StatefulSet \(setName) successful"))
            if monotonic {
                plan.waiting = "waiting for \(name) to terminate"
                return
            }
        }

        // Rolling update from the highest ordinal down to the partition.
        guard strategy == "RollingUpdate" else { return }
        for ordinal in range.reversed() where ordinal >= start + partition {
            guard let pod = replicas[ordinal] else { continue }
            let name = pod.metadata.name ?? ""
            if StatefulSetIdentity.revision(of: pod) != revisions.update && !pod.metadata.isBeingDeleted {
                plan.steps.append(.delete(ObjectRef(pod, kind: .pod)))
                plan.events.append(ControllerEvent(reason: "SuccessfulDelete", message: "delete Pod \(name) in StatefulSet \(setName) successful"))
                plan.waiting = "waiting for \(name) to be updated"
                return
            }
            if !StatefulSetIdentity.isHealthy(pod) {
                plan.waiting = "waiting for \(name) to be healthy during the update"
                return
            }
        }
    }

    private func namespaceName(_ set: JSONValue) -> String { "\(set.metadata.namespace ?? "")/\(set.metadata.name ?? "")" }

    /// A non-controller owner reference (retention policy): the garbage collector deletes the claim with its owner,
    /// but no controller claims it.
    static func ownerRef(_ owner: JSONValue, kind: ResourceKind) -> OwnerReference {
        OwnerReference(apiVersion: kind.apiVersion, kind: kind.kind, name: owner.metadata.name ?? "", uid: owner.metadata.uid ?? "")
    }

    /// The pod template a revision stores (its data is `{"spec": {"template": {..., "$patch": "replace"}}}`).
    static func template(of revision: JSONValue) -> JSONValue? {
        guard var template = revision[path: ["data", "spec", "template"]] else { return nil }
        template["$patch"] = nil
        return template
    }

    /// Upstream `computeReplicaStatus` and `completeRollingUpdate`.
    static func status(_ set: JSONValue, pods: [JSONValue], revisions: (current: String, update: String), now: KubeTime) -> JSONValue {
        let minReady = set[path: ["spec", "minReadySeconds"]]?.int ?? 0
        var replicas = 0, ready = 0, available = 0, current = 0, updated = 0
        for pod in pods {
            let created = !PodView(pod).phase.isEmpty
            if created { replicas += 1 }
            if StatefulSetIdentity.isRunningAndReady(pod) {
                ready += 1
                if PodView(pod).isAvailable(minReadySeconds: minReady, now: now) { available += 1 }
            }
            if created && !pod.metadata.isBeingDeleted {
                let revision = StatefulSetIdentity.revision(of: pod)
                if revision == revisions.current { current += 1 }
                if revision == revisions.update { updated += 1 }
            }
        }
        var currentRevision = revisions.current
        let strategy = set[path: ["spec", "updateStrategy", "type"]]?.string ?? "RollingUpdate"
        if strategy == "RollingUpdate" && updated == replicas && ready == replicas {
            current = updated
            currentRevision = revisions.update
        }
        var status = set["status"] ?? .emptyObject
        status["observedGeneration"] = set.metadata.generation.map { .integer($0) } ?? nil
        status["replicas"] = .integer(Int64(replicas))
        status["readyReplicas"] = .integer(Int64(ready))
        status["availableReplicas"] = .integer(Int64(available))
        status["currentReplicas"] = .integer(Int64(current))
        status["updatedReplicas"] = .integer(Int64(updated))
        status["currentRevision"] = .string(currentRevision)
        status["updateRevision"] = .string(revisions.update)
        return status
    }

    static func statusWrite(_ set: JSONValue, _ status: JSONValue) -> ControllerAction? {
        guard set["status"] != status else { return nil }
        var updated = set
        updated["status"] = status
        return .updateStatus(updated)
    }

    /// Upstream `truncateHistory`: old revisions beyond `revisionHistoryLimit` that no pod and neither the current
    /// nor the update revision uses, oldest first.
    static func cleanupHistory(_ set: JSONValue, old: [JSONValue], pods: [JSONValue], keep: [String]) -> [ControllerAction] {
        let live = Set(pods.map(StatefulSetIdentity.revision) + keep)
        let unused = old.filter { !live.contains($0.metadata.name ?? "") }.sorted { DaemonSetHistory.number($0) < DaemonSetHistory.number($1) }
        let limit = set[path: ["spec", "revisionHistoryLimit"]]?.int ?? 10
        return unused.dropLast(min(limit, unused.count)).map { .delete(ObjectRef($0, kind: .controllerRevision)) }
    }
}
