import KubeAPI

/// What one sync of a Deployment decided. Run `actions` in order and stop at the first failure (the next sync
/// starts over from the informer caches); ReplicaSet updates carry the `resourceVersion` they were read with.
public struct DeploymentPlan: Sendable, Hashable {
    /// Adoptions/releases, the new ReplicaSet's create, ReplicaSet updates (scaling and annotations, one per
    /// ReplicaSet), deletions of old ReplicaSets beyond `revisionHistoryLimit`, then the Deployment's status write
    /// (which also carries the revision annotation, as upstream's status writes do).
    public var actions: [ControllerAction] = []
    /// Events to record on the Deployment.
    public var events: [ControllerEvent] = []
    /// Check again after this many seconds (progress deadline bookkeeping); 0 means soon, rate limited.
    public var requeueAfterSeconds: Int?
    /// A hash collision bumped `status.collisionCount`; sync again once the write lands.
    public var requeue = false
}

/// The Deployment controller's decisions (upstream `pkg/controller/deployment`): claim ReplicaSets, find or
/// create the new one (named `<deployment>-<pod-template-hash>`, revision = highest old revision + 1), then
/// scale (paused or resized Deployments), roll (RollingUpdate: surge the new ReplicaSet, shrink old ones within
/// maxUnavailable) or recreate (old to zero, wait for their pods to go, then the new one), clean up history and
/// write the status and conditions `kubectl rollout status` reads.
///
/// Differences from upstream: a sync emits one status write (upstream may write the revision annotation and a
/// condition early and the counts later); the deprecated `rollbackTo` annotation is ignored (kubectl rolls back by
/// patching the template); the template hash is not bit-identical (see `TemplateHash`).
public struct DeploymentSync: Sendable {
    /// Creates the decision function.
    public init() {}

    /// Decides one sync.
    /// - Parameters:
    ///   - deployment: the Deployment.
    ///   - replicaSets: every ReplicaSet in its namespace.
    ///   - pods: every pod in its namespace (Recreate waits for old ones to stop).
    ///   - now: the current time.
    public func plan(deployment: JSONValue, replicaSets: [JSONValue], pods: [JSONValue], now: KubeTime) -> DeploymentPlan {
        guard let selector = try? LabelSelector(apiSelector: deployment[path: ["spec", "selector"]]) else { return DeploymentPlan() }
        var run = DeploymentRun(deployment: deployment, now: now)
        if selector.isEmpty {
            // Upstream refuses to select every pod; it only acknowledges the generation.
            run.events.append(ControllerEvent("Warning", reason: "SelectingAll",
                                              message: "This deployment is selecting all pods. A non-empty selector is required."))
            let generation = deployment.metadata.generation ?? 0
            if Int64(DeploymentMath.status(deployment, "observedGeneration")) < generation {
                run.d[path: ["status", "observedGeneration"]] = .integer(generation)
            }
            return run.finish()
        }
        let namespace = deployment.metadata.namespace
        let inNamespace = replicaSets.filter { $0.metadata.namespace == namespace }
        let claim = ControllerRef.claim(inNamespace, objectKind: .replicaSet, owner: deployment, ownerKind: .deployment,
                                        matches: selector.matches(object:))
        run.claimActions = claim.actions
        run.sets = claim.claimed
        run.namespaceSets = inNamespace
        let ownedUIDs = Set(claim.claimed.compactMap(\.metadata.uid))
        run.podsByOwner = Dictionary(grouping: pods.filter {
            $0.metadata.namespace == namespace && selector.matches(object: $0)
                && ownedUIDs.contains(ControllerRef.of($0)?.uid ?? "")
        }, by: { ControllerRef.of($0)?.uid ?? "" })

        if deployment.metadata.isBeingDeleted {
            let (newRS, old) = run.allReplicaSetsAndSyncRevision(create: false)
            run.syncDeploymentStatus(newRS: newRS, old: old)
            return run.finish()
        }
        run.checkPausedConditions()
        let paused = deployment[path: ["spec", "paused"]]?.bool ?? false
        if paused || run.isScalingEvent() {
            run.sync(cleanUp: paused)
        } else if DeploymentMath.isRollingUpdate(deployment) {
            run.rolloutRolling()
        } else {
            run.rolloutRecreate()
        }
        return run.finish()
    }
}

/// The working state of one sync: a copy of the Deployment whose status and annotations accumulate changes, and
/// the ReplicaSets as they will be once the planned writes land.
struct DeploymentRun {
    let original: JSONValue
    var d: JSONValue
    let now: KubeTime
    var sets: [JSONValue] = []
    var namespaceSets: [JSONValue] = []
    var podsByOwner: [String: [JSONValue]] = [:]
    var claimActions: [ControllerAction] = []
    var toCreate: Set<String> = []
    var touched: [String] = []
    var deletions: [ControllerAction] = []
    var events: [ControllerEvent] = []
    var requeueAfterSeconds: Int?
    var collided = false

    init(deployment: JSONValue, now: KubeTime) {
        original = deployment
        d = deployment
        self.now = now
    }

    var name: String { d.metadata.name ?? "" }
    var desired: Int { DeploymentMath.replicas(d) }
    var hasProgressDeadline: Bool {
        guard let seconds = d[path: ["spec", "progressDeadlineSeconds"]]?.int else { return false }
        return seconds != Int(Int32.max)
    }

    // MARK: ReplicaSet bookkeeping

    func current(_ rs: JSONValue) -> JSONValue {
        sets.first { $0.metadata.name == rs.metadata.name } ?? rs
    }

    mutating func store(_ rs: JSONValue) {
        let rsName = rs.metadata.name ?? ""
        if let index = sets.firstIndex(where: { $0.metadata.name == rsName }) { sets[index] = rs } else { sets.append(rs) }
        if !toCreate.contains(rsName) && !touched.contains(rsName) { touched.append(rsName) }
    }

    /// Upstream `scaleReplicaSet`: writes when the size or the replicas annotations are stale; true when the size
    /// changed.
    @discardableResult
    mutating func scale(_ rs: JSONValue, to newScale: Int, operation: String? = nil) -> Bool {
        var rs = current(rs)
        let oldScale = DeploymentMath.replicas(rs)
        let maxReplicas = desired + DeploymentMath.maxSurge(d)
        let sizeChanged = oldScale != newScale
        guard sizeChanged || ReplicaSetAnnotations.replicasNeedUpdate(rs, desired: desired, max: maxReplicas) else { return false }
        rs[path: ["spec", "replicas"]] = .integer(Int64(newScale))
        ReplicaSetAnnotations.setReplicas(&rs, desired: desired, max: maxReplicas)
        store(rs)
        if sizeChanged {
            let direction = operation ?? (oldScale < newScale ? "up" : "down")
            events.append(ControllerEvent(reason: "ScalingReplicaSet",
                                          message: "Scaled \(direction) replica set \(rs.metadata.name ?? "") to \(newScale) from \(oldScale)"))
        }
        return sizeChanged
    }

    /// Upstream `scaleReplicaSetAndRecordEvent`: nothing when the size is already right.
    @discardableResult
    mutating func scaleIfNeeded(_ rs: JSONValue, to newScale: Int) -> Bool {
        DeploymentMath.replicas(current(rs)) == newScale ? false : scale(rs, to: newScale)
    }

    // MARK: Conditions

    func condition(_ type: String, _ status: String, _ reason: String, _ message: String) -> JSONValue {
        ["type": .string(type), "status": .string(status), "lastUpdateTime": .string(now.rfc3339),
         "lastTransitionTime": .string(now.rfc3339), "reason": .string(reason), "message": .string(message)]
    }

    var conditions: [JSONValue] {
        get { d[path: ["status", "conditions"]]?.array ?? [] }
        set { d[path: ["status", "conditions"]] = newValue.isEmpty ? nil : .array(newValue) }
    }

    mutating func checkPausedConditions() {
        guard hasProgressDeadline else { return }
        let progressing = StatusConditions.get(conditions, "Progressing")
        let reason = progressing?["reason"]?.string
        if reason == DeploymentNames.progressDeadlineExceeded { return }
        let paused = d[path: ["spec", "paused"]]?.bool ?? false
        let pausedRecorded = reason == DeploymentNames.deploymentPaused
        if paused && !pausedRecorded {
            StatusConditions.set(&conditions, condition("Progressing", "Unknown", DeploymentNames.deploymentPaused, "Deployment is paused"))
        } else if !paused && pausedRecorded {
            StatusConditions.set(&conditions, condition("Progressing", "Unknown", DeploymentNames.deploymentResumed, "Deployment is resumed"))
        }
    }

    mutating func setRevision(_ revision: String) {
        var annotations = d.metadata.annotations
        guard annotations[DeploymentNames.revision] != revision else { return }
        annotations[DeploymentNames.revision] = revision
        d.metadata.annotations = annotations
    }

    // MARK: New and old ReplicaSets

    /// Upstream `getAllReplicaSetsAndSyncRevision` and `getNewReplicaSet`.
    mutating func allReplicaSetsAndSyncRevision(create: Bool) -> (newRS: JSONValue?, old: [JSONValue]) {
        let old = ReplicaSetOrdering.oldReplicaSets(d, sets)
        let newRevision = ReplicaSetOrdering.maxRevision(old) + 1
        if let existing = ReplicaSetOrdering.newReplicaSet(d, sets) {
            var rs = existing
            let annotationsChanged = ReplicaSetAnnotations.setNewReplicaSetAnnotations(d, &rs, newRevision: newRevision, exists: true)
            let minReadySeconds = d[path: ["spec", "minReadySeconds"]]?.int ?? 0
            if annotationsChanged || (rs[path: ["spec", "minReadySeconds"]]?.int ?? 0) != minReadySeconds {
                rs[path: ["spec", "minReadySeconds"]] = .integer(Int64(minReadySeconds))
                store(rs)
                // Upstream returns right after this write; the Deployment's revision follows next sync.
                return (rs, old)
            }
            setRevision(rs.metadata.annotations[DeploymentNames.revision] ?? "")
            if hasProgressDeadline && StatusConditions.get(conditions, "Progressing") == nil {
                StatusConditions.set(&conditions, condition("Progressing", "True", DeploymentNames.foundNewReplicaSet,
                                                            "Found new replica set \"\(rs.metadata.name ?? "")\""))
            }
            return (rs, old)
        }
        guard create else { return (nil, old) }

        let template = d[path: ["spec", "template"]] ?? .emptyObject
        let collisionCount = d[path: ["status", "collisionCount"]]?.int64.flatMap { Int32(exactly: $0) }
        let hash = TemplateHash.compute(template, collisionCount: collisionCount)
        let rsName = name + "-" + hash
        var newTemplate = template
        newTemplate[path: ["metadata", "labels", DeploymentNames.podTemplateHash]] = .string(hash)
        var selector = d[path: ["spec", "selector"]] ?? .emptyObject
        selector[path: ["matchLabels", DeploymentNames.podTemplateHash]] = .string(hash)
        var rs: JSONValue = ["apiVersion": "apps/v1", "kind": "ReplicaSet"]
        var meta = ObjectMetaView()
        meta.name = rsName
        meta.namespace = d.metadata.namespace
        meta.ownerReferences = [ControllerRef.new(owner: d, kind: .deployment)]
        meta.labels = newTemplate.metadata.labels
        rs.metadata = meta
        rs["spec"] = ["replicas": 0, "minReadySeconds": .integer(Int64(d[path: ["spec", "minReadySeconds"]]?.int ?? 0)),
                      "selector": selector, "template": newTemplate]
        let replicas = DeploymentMath.newReplicaSetReplicas(d, all: old + [rs], newRS: rs)
        rs[path: ["spec", "replicas"]] = .integer(Int64(replicas))
        _ = ReplicaSetAnnotations.setNewReplicaSetAnnotations(d, &rs, newRevision: newRevision, exists: false)

        if let clash = namespaceSets.first(where: { $0.metadata.name == rsName }) {
            // A ReplicaSet of that name exists but is not this template's: bump collisionCount so the next sync
            // computes another hash (upstream does this when the create answers AlreadyExists).
            let ours = ControllerRef.of(clash)?.uid == d.metadata.uid
                && TemplateEquality.equalIgnoringHash(template, clash[path: ["spec", "template"]] ?? .emptyObject)
            if !ours {
                d[path: ["status", "collisionCount"]] = .integer(Int64((collisionCount ?? 0) &+ 1))
                collided = true
                return (nil, old)
            }
            setRevision(String(newRevision))
            return (clash, old)
        }
        toCreate.insert(rsName)
        sets.append(rs)
        if replicas > 0 {
            events.append(ControllerEvent(reason: "ScalingReplicaSet", message: "Scaled up replica set \(rsName) to \(replicas)"))
        }
        setRevision(String(newRevision))
        if hasProgressDeadline {
            StatusConditions.set(&conditions, condition("Progressing", "True", DeploymentNames.newReplicaSetCreated,
                                                        "Created new replica set \"\(rsName)\""))
        }
        return (rs, old)
    }

    /// Upstream `isScalingEvent`: an active ReplicaSet was sized for another `spec.replicas`.
    func isScalingEvent() -> Bool {
        let newRS = ReplicaSetOrdering.newReplicaSet(d, sets)
        let all = ReplicaSetOrdering.oldReplicaSets(d, sets) + (newRS.map { [$0] } ?? [])
        return all.filter { DeploymentMath.replicas($0) > 0 }.contains { rs in
            guard let annotated = rs.metadata.annotations[DeploymentNames.desiredReplicas].flatMap({ Int($0) }) else { return false }
            return annotated != desired
        }
    }

    // MARK: Strategies

    /// Upstream `sync`: proportional scaling for paused or resized Deployments.
    mutating func sync(cleanUp: Bool) {
        let (newRS, old) = allReplicaSetsAndSyncRevision(create: false)
        scaleProportionally(newRS: newRS, old: old)
        if cleanUp { cleanup(old: old) }
        syncDeploymentStatus(newRS: newRS, old: old)
    }

    /// Upstream `scale`.
    mutating func scaleProportionally(newRS: JSONValue?, old: [JSONValue]) {
        if let only = ReplicaSetOrdering.activeOrLatest(newRS: newRS, old: old) {
            if DeploymentMath.replicas(current(only)) != desired { scaleIfNeeded(only, to: desired) }
            return
        }
        if DeploymentMath.isSaturated(d, newRS.map(current)) {
            for rs in old.map(current) where DeploymentMath.replicas(rs) > 0 { scaleIfNeeded(rs, to: 0) }
            return
        }
        guard DeploymentMath.isRollingUpdate(d) else { return }
        var active = (old + (newRS.map { [$0] } ?? [])).map(current).filter { DeploymentMath.replicas($0) > 0 }
        let allowed = desired > 0 ? desired + DeploymentMath.maxSurge(d) : 0
        let toAdd = allowed - DeploymentMath.specReplicas(active)
        var operation: String?
        if toAdd > 0 {
            active.sort(by: ReplicaSetOrdering.largerThenNewer)
            operation = "up"
        } else if toAdd < 0 {
            active.sort(by: ReplicaSetOrdering.largerThenOlder)
            operation = "down"
        }
        var added = 0
        var sizes = active.map { rs -> Int in
            guard toAdd != 0 else { return DeploymentMath.replicas(rs) }
            let share = DeploymentMath.proportion(rs, d, toAdd: toAdd, added: added)
            added += share
            return DeploymentMath.replicas(rs) + share
        }
        if toAdd != 0, !sizes.isEmpty { sizes[0] = max(0, sizes[0] + toAdd - added) }
        for (rs, size) in zip(active, sizes) { scale(rs, to: size, operation: operation) }
    }

    /// Upstream `rolloutRolling`.
    mutating func rolloutRolling() {
        let (created, old) = allReplicaSetsAndSyncRevision(create: true)
        guard !collided, let newRS = created else { return }
        if reconcileNewReplicaSet(newRS, old: old) || reconcileOldReplicaSets(newRS, old: old) {
            syncRolloutStatus(newRS: newRS, old: old)
            return
        }
        if deploymentComplete(status: original["status"] ?? .emptyObject) { cleanup(old: old) }
        syncRolloutStatus(newRS: newRS, old: old)
    }

    mutating func reconcileNewReplicaSet(_ newRS: JSONValue, old: [JSONValue]) -> Bool {
        let rs = current(newRS)
        let size = DeploymentMath.replicas(rs)
        if size == desired { return false }
        if size > desired { return scaleIfNeeded(rs, to: desired) }
        let target = DeploymentMath.newReplicaSetReplicas(d, all: old.map(current) + [rs], newRS: rs)
        return scaleIfNeeded(rs, to: target)
    }

    /// Upstream `reconcileOldReplicaSets`: shrink old ReplicaSets as far as availability allows, unhealthy
    /// replicas first.
    mutating func reconcileOldReplicaSets(_ newRS: JSONValue, old: [JSONValue]) -> Bool {
        let oldActive = old.map(current).filter { DeploymentMath.replicas($0) > 0 }
        guard DeploymentMath.specReplicas(oldActive) > 0 else { return false }
        let rs = current(newRS)
        let allPods = DeploymentMath.specReplicas(oldActive + [rs])
        let minAvailable = desired - DeploymentMath.maxUnavailable(d)
        let newUnavailable = DeploymentMath.replicas(rs) - DeploymentMath.status(rs, "availableReplicas")
        let maxScaledDown = allPods - minAvailable - newUnavailable
        guard maxScaledDown > 0 else { return false }

        var cleaned = 0
        for target in oldActive.sorted(by: ReplicaSetOrdering.olderFirst) {
            if cleaned >= maxScaledDown { break }
            let size = DeploymentMath.replicas(current(target))
            let available = DeploymentMath.status(target, "availableReplicas")
            // Upstream treats a negative count (more available than wanted) as an error; skipping is as safe.
            if size == 0 || size <= available { continue }
            let count = min(maxScaledDown - cleaned, size - available)
            scaleIfNeeded(target, to: size - count)
            cleaned += count
        }

        var scaledDown = 0
        let availablePods = DeploymentMath.statusSum(oldActive + [rs], "availableReplicas")
        if availablePods > minAvailable {
            let budget = availablePods - minAvailable
            for target in oldActive.sorted(by: ReplicaSetOrdering.olderFirst) {
                if scaledDown >= budget { break }
                let size = DeploymentMath.replicas(current(target))
                if size == 0 { continue }
                let count = min(size, budget - scaledDown)
                scaleIfNeeded(target, to: size - count)
                scaledDown += count
            }
        }
        return cleaned + scaledDown > 0
    }

    /// Upstream `rolloutRecreate`.
    mutating func rolloutRecreate() {
        var (newRS, old) = allReplicaSetsAndSyncRevision(create: false)
        var scaledDown = false
        for rs in old.map(current) where DeploymentMath.replicas(rs) != 0 {
            if scaleIfNeeded(rs, to: 0) { scaledDown = true }
        }
        if scaledDown || oldPodsRunning(newRS: newRS, old: old) {
            syncRolloutStatus(newRS: newRS, old: old)
            return
        }
        if newRS == nil {
            (newRS, old) = allReplicaSetsAndSyncRevision(create: true)
            if collided { return }
        }
        if let newRS { scaleIfNeeded(newRS, to: desired) }
        if deploymentComplete(status: original["status"] ?? .emptyObject) { cleanup(old: old) }
        syncRolloutStatus(newRS: newRS, old: old)
    }

    /// Upstream `oldPodsRunning`: old ReplicaSets still report pods, or pods of theirs are not yet terminal.
    func oldPodsRunning(newRS: JSONValue?, old: [JSONValue]) -> Bool {
        if DeploymentMath.statusSum(old, "replicas") > 0 { return true }
        let newUID = newRS?.metadata.uid
        return podsByOwner.contains { uid, pods in
            uid != newUID && pods.contains { !PodView($0).isTerminal }
        }
    }

    /// Upstream `cleanupDeployment`: delete the oldest fully scaled-down ReplicaSets beyond
    /// `revisionHistoryLimit`, judging them as they were listed.
    mutating func cleanup(old: [JSONValue]) {
        guard let limit = d[path: ["spec", "revisionHistoryLimit"]]?.int, limit != Int(Int32.max) else { return }
        let cleanable = old.filter { !$0.metadata.isBeingDeleted }
        let diff = cleanable.count - limit
        guard diff > 0 else { return }
        for rs in cleanable.sorted(by: ReplicaSetOrdering.lowerRevisionFirst).prefix(diff) {
            let observed = DeploymentMath.status(rs, "observedGeneration")
            if DeploymentMath.status(rs, "replicas") != 0 || DeploymentMath.replicas(rs) != 0
                || (rs.metadata.generation ?? 0) > Int64(observed) { continue }
            deletions.append(.delete(ObjectRef(rs, kind: .replicaSet)))
        }
    }

    // MARK: Status

    /// Upstream `calculateStatus`.
    func calculateStatus(newRS: JSONValue?, old: [JSONValue]) -> JSONValue {
        let all = (old + (newRS.map { [$0] } ?? [])).map(current)
        let available = DeploymentMath.statusSum(all, "availableReplicas")
        let unavailable = max(0, DeploymentMath.specReplicas(all) - available)
        var status = JSONValue.emptyObject
        let counts: [(String, Int)] = [
            ("observedGeneration", Int(d.metadata.generation ?? 0)),
            ("replicas", DeploymentMath.statusSum(all, "replicas")),
            ("updatedReplicas", newRS.map { DeploymentMath.status(current($0), "replicas") } ?? 0),
            ("readyReplicas", DeploymentMath.statusSum(all, "readyReplicas")),
            ("availableReplicas", available),
            ("unavailableReplicas", unavailable),
        ]
        for (key, value) in counts where value != 0 { status[key] = .integer(Int64(value)) }
        var conditions = self.conditions
        if available >= desired - DeploymentMath.maxUnavailable(d) {
            StatusConditions.set(&conditions, condition("Available", "True", DeploymentNames.minimumReplicasAvailable,
                                                        "Deployment has minimum availability."))
        } else {
            StatusConditions.set(&conditions, condition("Available", "False", DeploymentNames.minimumReplicasUnavailable,
                                                        "Deployment does not have minimum availability."))
        }
        status["conditions"] = .array(conditions)
        if let collisions = d[path: ["status", "collisionCount"]] { status["collisionCount"] = collisions }
        return status
    }

    /// Upstream `syncDeploymentStatus`.
    mutating func syncDeploymentStatus(newRS: JSONValue?, old: [JSONValue]) {
        d["status"] = calculateStatus(newRS: newRS, old: old)
    }

    /// Upstream `DeploymentComplete`.
    func deploymentComplete(status: JSONValue) -> Bool {
        let count = { (key: String) in status[key]?.int ?? 0 }
        return count("updatedReplicas") == desired && count("replicas") == desired && count("availableReplicas") == desired
            && Int64(count("observedGeneration")) >= (d.metadata.generation ?? 0)
    }

    /// Upstream `syncRolloutStatus`: the counts plus the Progressing condition (complete, progressing, or timed
    /// out against `progressDeadlineSeconds`) and ReplicaFailure copied from the ReplicaSets.
    mutating func syncRolloutStatus(newRS: JSONValue?, old: [JSONValue]) {
        var status = calculateStatus(newRS: newRS, old: old)
        var newConditions = status["conditions"]?.array ?? []
        if !hasProgressDeadline { StatusConditions.remove(&newConditions, "Progressing") }
        let currentCondition = StatusConditions.get(conditions, "Progressing")
        let statusCount = { (key: String) in status[key]?.int ?? 0 }
        let isComplete = statusCount("replicas") == statusCount("updatedReplicas")
            && currentCondition?["reason"]?.string == DeploymentNames.newReplicaSetAvailable
        let subject = newRS.map { "ReplicaSet \"\($0.metadata.name ?? "")\"" } ?? "Deployment \"\(name)\""
        if hasProgressDeadline && !isComplete {
            if deploymentComplete(status: status) {
                StatusConditions.set(&newConditions, condition("Progressing", "True", DeploymentNames.newReplicaSetAvailable,
                                                               "\(subject) has successfully progressed."))
            } else if progressing(status) {
                var progressingCondition = condition("Progressing", "True", DeploymentNames.replicaSetUpdated, "\(subject) is progressing.")
                if let currentCondition {
                    if currentCondition["status"]?.string == "True" {
                        progressingCondition["lastTransitionTime"] = currentCondition["lastTransitionTime"]
                    }
                    StatusConditions.remove(&newConditions, "Progressing")
                }
                StatusConditions.set(&newConditions, progressingCondition)
            } else if timedOut(newConditions) {
                StatusConditions.set(&newConditions, condition("Progressing", "False", DeploymentNames.progressDeadlineExceeded,
                                                               "\(subject) has timed out progressing."))
            }
        }
        if let failure = replicaFailure(newRS: newRS, old: old) {
            StatusConditions.set(&newConditions, failure)
        } else {
            StatusConditions.remove(&newConditions, "ReplicaFailure")
        }
        status["conditions"] = newConditions.isEmpty ? nil : .array(newConditions)
        if status == (d["status"] ?? .emptyObject) { requeueStuckDeployment(status) }
        d["status"] = status
    }

    /// Upstream `DeploymentProgressing`: more updated, ready or available pods, or fewer old ones, than the
    /// Deployment last reported.
    func progressing(_ status: JSONValue) -> Bool {
        let old = { (key: String) in DeploymentMath.status(self.d, key) }
        let new = { (key: String) in status[key]?.int ?? 0 }
        return new("updatedReplicas") > old("updatedReplicas")
            || new("replicas") - new("updatedReplicas") < old("replicas") - old("updatedReplicas")
            || new("readyReplicas") > old("readyReplicas")
            || new("availableReplicas") > old("availableReplicas")
    }

    /// Upstream `DeploymentTimedOut`: no progress recorded for `progressDeadlineSeconds`.
    func timedOut(_ conditions: [JSONValue]) -> Bool {
        guard hasProgressDeadline, let progressing = StatusConditions.get(conditions, "Progressing") else { return false }
        switch progressing["reason"]?.string {
        case DeploymentNames.newReplicaSetAvailable: return false
        case DeploymentNames.progressDeadlineExceeded: return true
        default: break
        }
        guard let deadline = d[path: ["spec", "progressDeadlineSeconds"]]?.int64,
              let from = progressing["lastUpdateTime"]?.string.flatMap({ try? KubeTime(rfc3339: $0) }) else { return false }
        return from.adding(seconds: deadline) < now
    }

    /// Upstream `requeueStuckDeployment`: when nothing changed, come back when the deadline would pass.
    mutating func requeueStuckDeployment(_ status: JSONValue) {
        guard hasProgressDeadline, let progressing = StatusConditions.get(conditions, "Progressing"),
              !deploymentComplete(status: status), progressing["reason"]?.string != DeploymentNames.progressDeadlineExceeded,
              let deadline = d[path: ["spec", "progressDeadlineSeconds"]]?.int64,
              let from = progressing["lastUpdateTime"]?.string.flatMap({ try? KubeTime(rfc3339: $0) }) else { return }
        let after = from.adding(seconds: deadline).seconds - now.seconds
        requeueAfterSeconds = after < 1 ? 0 : Int(after) + 1
    }

    /// Upstream `getReplicaFailures`: the new ReplicaSet's ReplicaFailure condition, else any old one's, as a
    /// Deployment condition.
    func replicaFailure(newRS: JSONValue?, old: [JSONValue]) -> JSONValue? {
        let candidates = (newRS.map { [$0] } ?? []) + old
        for rs in candidates {
            guard let failure = StatusConditions.get(rs[path: ["status", "conditions"]]?.array ?? [], "ReplicaFailure") else { continue }
            return ["type": "ReplicaFailure", "status": failure["status"] ?? "True",
                    "lastUpdateTime": failure["lastTransitionTime"] ?? .null, "lastTransitionTime": failure["lastTransitionTime"] ?? .null,
                    "reason": failure["reason"] ?? "", "message": failure["message"] ?? ""]
        }
        return nil
    }

    // MARK: Result

    /// The plan: every ReplicaSet write once, in the order first touched, then the Deployment's status write when
    /// its status or annotations changed.
    func finish() -> DeploymentPlan {
        var plan = DeploymentPlan()
        plan.actions = claimActions
        for rs in sets where toCreate.contains(rs.metadata.name ?? "") { plan.actions.append(.create(rs)) }
        for rsName in touched {
            if let rs = sets.first(where: { $0.metadata.name == rsName }) { plan.actions.append(.update(rs)) }
        }
        plan.actions += deletions
        let statusChanged = (d["status"] ?? .emptyObject) != (original["status"] ?? .emptyObject)
        if statusChanged || d.metadata.annotations != original.metadata.annotations {
            plan.actions.append(.updateStatus(d))
        }
        plan.events = events
        plan.requeueAfterSeconds = requeueAfterSeconds
        plan.requeue = collided
        return plan
    }
}
