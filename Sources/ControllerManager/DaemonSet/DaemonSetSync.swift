import KubeAPI

/// What one sync of a DaemonSet decided: run `claim` and `history` first, then the pod creates batch by batch
/// (stop after a batch with a failure) and the deletes, then `cleanup` and the status write.
public struct DaemonSetPlan: Sendable, Hashable {
    /// Adoption and release patches for pods and ControllerRevisions.
    public var claim: [ControllerAction] = []
    /// ControllerRevision writes (new revision, renumbering, deduplication).
    public var history: [ControllerAction] = []
    /// Pod creates in slow-start batches, one pod per node.
    public var createBatches: [[ControllerAction]] = []
    /// Pod deletes.
    public var deletions: [ControllerAction] = []
    /// Old ControllerRevisions beyond the history limit.
    public var cleanup: [ControllerAction] = []
    /// The status write, nil when unchanged.
    public var statusUpdate: ControllerAction?
    /// The current revision hash pods are labelled with.
    public var hash = ""
    /// Sync again after this many seconds (pods ready but not yet available).
    public var requeueAfterSeconds: Int?
    /// Events to record on the DaemonSet.
    public var events: [ControllerEvent] = []
    /// Nodes whose failed daemon pod this plan deletes: the loop advances its per-node backoff for them.
    public var failedPodNodes: [String] = []
    /// Nodes whose failed daemon pod was left alone because of that backoff: sync again when it ends.
    public var backedOffNodes: [String] = []

    /// Every action in execution order.
    public var actions: [ControllerAction] {
        claim + history + createBatches.flatMap { $0 } + deletions + cleanup + (statusUpdate.map { [$0] } ?? [])
    }
}

/// The DaemonSet controller's decisions (upstream `pkg/controller/daemon`): one pod on every eligible node,
/// none elsewhere, rolling updates within maxUnavailable/maxSurge, and the status `kubectl rollout status ds`
/// reads. Failed daemon pods are deleted unless their node is in the loop's backoff (upstream's
/// `failedPodsBackoff`, which stops a fight with a kubelet that keeps rejecting the pod).
public struct DaemonSetSync: Sendable {
    /// At most this many creates or deletes per sync (upstream 250).
    public var burstReplicas: Int

    /// Creates the decision function.
    /// - Parameters:
    ///   - burstReplicas: the per-sync cap.
    public init(burstReplicas: Int = 250) { self.burstReplicas = burstReplicas }

    /// Decides one sync.
    /// - Parameters:
    ///   - daemonSet: the DaemonSet.
    ///   - nodes: every Node.
    ///   - pods: every pod in its namespace.
    ///   - revisions: every ControllerRevision in its namespace.
    ///   - expectationsSatisfied: false while earlier creates/deletes are not yet visible; then only the status
    ///     is written, without raising `observedGeneration`.
    ///   - failedPodBackoff: nodes whose failed daemon pods must not be deleted yet.
    ///   - now: the current time.
    public func plan(daemonSet: JSONValue, nodes: [JSONValue], pods: [JSONValue], revisions: [JSONValue],
                     expectationsSatisfied: Bool = true, failedPodBackoff: Set<String> = [], now: KubeTime) -> DaemonSetPlan {
        var plan = DaemonSetPlan()
        guard let selector = try? LabelSelector(apiSelector: daemonSet[path: ["spec", "selector"]]) else { return plan }
        if selector.isEmpty {
            plan.events.append(ControllerEvent("Warning", reason: "SelectingAll",
                                               message: "This daemon set is selecting all pods. A non-empty selector is required."))
            return plan
        }
        if daemonSet.metadata.isBeingDeleted { return plan }
        let namespace = daemonSet.metadata.namespace
        let podClaim = ControllerRef.claim(pods.filter { $0.metadata.namespace == namespace }, objectKind: .pod,
                                           owner: daemonSet, ownerKind: .daemonSet, matches: selector.matches(object:))
        let namespaceRevisions = revisions.filter { $0.metadata.namespace == namespace }
        let revisionClaim = ControllerRef.claim(namespaceRevisions, objectKind: .controllerRevision, owner: daemonSet,
                                                ownerKind: .daemonSet, matches: selector.matches(object:))
        plan.claim = podClaim.actions + revisionClaim.actions
        let ownedPods = podClaim.claimed

        let history = DaemonSetHistory.construct(daemonSet, owned: revisionClaim.claimed, namespaceRevisions: namespaceRevisions, pods: ownedPods)
        plan.history = history.actions
        if let collisionCount = history.collisionCount {
            var bumped = daemonSet
            bumped[path: ["status", "collisionCount"]] = .integer(collisionCount)
            plan.statusUpdate = .updateStatus(bumped)
            return plan
        }
        plan.hash = history.hash
        let byNode = Self.podsByNode(ownedPods)

        if expectationsSatisfied {
            manage(&plan, daemonSet: daemonSet, nodes: nodes, byNode: byNode, backoff: failedPodBackoff, now: now)
            if plan.createBatches.isEmpty && plan.deletions.isEmpty, isRollingUpdate(daemonSet) {
                rollingUpdate(&plan, daemonSet: daemonSet, nodes: nodes, byNode: byNode, now: now)
            }
            plan.cleanup = DaemonSetHistory.cleanup(daemonSet, old: history.old, pods: ownedPods)
        }
        status(&plan, daemonSet: daemonSet, nodes: nodes, byNode: byNode, updateObservedGeneration: expectationsSatisfied, now: now)
        return plan
    }

    /// Pods grouped by the node they are (or are meant to be) on; terminal pods already being deleted are left
    /// out, as upstream does for manage and status.
    static func podsByNode(_ pods: [JSONValue]) -> [String: [JSONValue]] {
        var result: [String: [JSONValue]] = [:]
        for pod in pods {
            if PodView(pod).isTerminal && pod.metadata.isBeingDeleted { continue }
            guard let node = DaemonPods.targetNodeName(pod) else { continue }
            result[node, default: []].append(pod)
        }
        return result
    }

    func isRollingUpdate(_ daemonSet: JSONValue) -> Bool {
        (daemonSet[path: ["spec", "updateStrategy", "type"]]?.string ?? "RollingUpdate") == "RollingUpdate"
    }

    func minReadySeconds(_ daemonSet: JSONValue) -> Int { daemonSet[path: ["spec", "minReadySeconds"]]?.int ?? 0 }

    /// Upstream `SurgeCount`/`UnavailableCount` (both round percentages up) with the rule that a DaemonSet
    /// allowing neither may still replace one pod at a time.
    func fenceposts(_ daemonSet: JSONValue, desired: Int) -> (surge: Int, unavailable: Int) {
        guard isRollingUpdate(daemonSet), let rolling = daemonSet[path: ["spec", "updateStrategy", "rollingUpdate"]] else { return (0, 0) }
        let scaled = { (value: JSONValue?) -> Int in
            guard let value, let parsed = IntOrString(json: value) else { return 0 }
            return (try? parsed.scaledValue(total: desired, roundUp: true)) ?? 0
        }
        var (surge, unavailable) = (scaled(rolling["maxSurge"]), scaled(rolling["maxUnavailable"]))
        if desired > 0 && surge == 0 && unavailable == 0 { unavailable = 1 }
        return (surge, unavailable)
    }

    /// Upstream `AllowsSurge`.
    func allowsSurge(_ daemonSet: JSONValue) -> Bool { fenceposts(daemonSet, desired: 1).surge > 0 }

    // MARK: Manage

    /// Upstream `manage` and `podsShouldBeOnNode`.
    func manage(_ plan: inout DaemonSetPlan, daemonSet: JSONValue, nodes: [JSONValue], byNode: [String: [JSONValue]],
                backoff: Set<String>, now: KubeTime) {
        var needing: [String] = []
        var deleting: [JSONValue] = []
        let surge = allowsSurge(daemonSet)
        for node in nodes {
            let nodeName = node.metadata.name ?? ""
            let verdict = NodeEligibility.evaluate(node: node, daemonSet: daemonSet)
            let daemonPods = byNode[nodeName]
            if verdict.shouldRun && daemonPods == nil {
                needing.append(nodeName)
            } else if verdict.shouldContinueRunning {
                var running: [JSONValue] = []
                for pod in daemonPods ?? [] where !pod.metadata.isBeingDeleted {
                    switch PodView(pod).phase {
                    case "Failed" where backoff.contains(nodeName):
                        plan.backedOffNodes.append(nodeName)
                    case "Failed":
                        plan.failedPodNodes.append(nodeName)
                        plan.events.append(ControllerEvent("Warning", reason: "FailedDaemonPod",
                                                           message: "Found failed daemon pod \(pod.metadata.namespace ?? "")/\(pod.metadata.name ?? "") on node \(nodeName), will try to kill it"))
                        deleting.append(pod)
                    case "Succeeded": deleting.append(pod)
                    default: running.append(pod)
                    }
                }
                running.sort(by: DaemonPods.scheduledThenOlder)
                if !surge {
                    // One daemon per node: keep the oldest scheduled one.
                    deleting += running.dropFirst()
                } else if running.count <= 1 {
                    if running.isEmpty && verdict.shouldRun { needing.append(nodeName) }
                } else {
                    deleting += surgeExcess(running, daemonSet: daemonSet, hash: plan.hash, now: now)
                }
            } else if let daemonPods {
                deleting += daemonPods.filter { !$0.metadata.isBeingDeleted }
            }
        }
        // Pods meant for nodes that no longer exist never get scheduled, and pod GC only collects bound ones.
        let known = Set(nodes.compactMap(\.metadata.name))
        for (nodeName, pods) in byNode.sorted(by: { $0.key < $1.key }) where !known.contains(nodeName) {
            deleting += pods.filter { PodView($0).nodeName.isEmpty }
        }
        syncNodes(&plan, daemonSet: daemonSet, deleting: deleting, needing: needing)
    }

    /// With surge, a node may hold the oldest pod of the current hash and the oldest of an old one: the old one
    /// goes once it is not ready or the new one is available; every other pod goes now.
    func surgeExcess(_ running: [JSONValue], daemonSet: JSONValue, hash: String, now: KubeTime) -> [JSONValue] {
        var excess: [JSONValue] = []
        var oldestNew: JSONValue?, oldestOld: JSONValue?
        for pod in running {
            if pod.metadata.labels[DaemonPods.revisionHashLabel] == hash {
                if oldestNew == nil { oldestNew = pod; continue }
            } else if oldestOld == nil {
                oldestOld = pod
                continue
            }
            excess.append(pod)
        }
        if let oldestNew, let oldestOld,
           !PodView(oldestOld).isReady || PodView(oldestNew).isAvailable(minReadySeconds: minReadySeconds(daemonSet), now: now) {
            excess.append(oldestOld)
        }
        return excess
    }

    /// Upstream `syncNodes`: creates (capped, in slow-start batches) for nodes needing a pod and deletes.
    func syncNodes(_ plan: inout DaemonSetPlan, daemonSet: JSONValue, deleting: [JSONValue], needing: [String]) {
        let creates = needing.prefix(burstReplicas).map { ControllerAction.create(DaemonPods.pod(for: daemonSet, nodeName: $0, hash: plan.hash)) }
        plan.createBatches += SlowStart.batched(Array(creates))
        var seen = Set(plan.deletions.map(\.target))
        for pod in deleting.prefix(burstReplicas) {
            let action = ControllerAction.delete(ObjectRef(pod, kind: .pod))
            if seen.insert(action.target).inserted { plan.deletions.append(action) }
        }
    }

    // MARK: Rolling update

    /// Upstream `findUpdatedPodsOnNode`: at most one new and one old live pod, else nil (the manage loop cleans up).
    func updatedPods(_ pods: [JSONValue], hash: String, generation: Int64?) -> (new: JSONValue?, old: JSONValue?)? {
        var new: JSONValue?, old: JSONValue?
        for pod in pods where !pod.metadata.isBeingDeleted {
            if DaemonPods.isUpdated(pod, hash: hash, generation: generation) {
                if new != nil { return nil }
                new = pod
            } else {
                if old != nil { return nil }
                old = pod
            }
        }
        return (new, old)
    }

    /// Upstream `rollingUpdate`: without surge, delete old pods while at most maxUnavailable daemons are down (the
    /// manage loop then creates their replacements); with surge, create new pods next to available old ones, up to
    /// maxSurge at a time, and delete each old pod once its replacement is available.
    func rollingUpdate(_ plan: inout DaemonSetPlan, daemonSet: JSONValue, nodes: [JSONValue], byNode: [String: [JSONValue]], now: KubeTime) {
        var nodePods = byNode
        var desired = 0
        var nodeByName: [String: JSONValue] = [:]
        for node in nodes {
            let nodeName = node.metadata.name ?? ""
            nodeByName[nodeName] = node
            guard NodeEligibility.evaluate(node: node, daemonSet: daemonSet).shouldRun else { continue }
            desired += 1
            if nodePods[nodeName] == nil { nodePods[nodeName] = [] }
        }
        let (maxSurge, maxUnavailable) = fenceposts(daemonSet, desired: desired)
        let generation = DaemonPods.templateGeneration(daemonSet)
        let minReady = minReadySeconds(daemonSet)
        let available = { (pod: JSONValue) in PodView(pod).isAvailable(minReadySeconds: minReady, now: now) }
        let ordered = nodePods.sorted { $0.key < $1.key }

        if maxSurge == 0 {
            var unavailable = 0
            var replacements: [JSONValue] = []
            var candidates: [JSONValue] = []
            for (_, pods) in ordered {
                guard let (newPod, oldPod) = updatedPods(pods, hash: plan.hash, generation: generation) else {
                    unavailable += 1
                    continue
                }
                switch (newPod, oldPod) {
                case (nil, nil), (.some, .some):
                    unavailable += 1
                case (.some(let pod), nil):
                    if !available(pod) { unavailable += 1 }
                case (nil, .some(let pod)):
                    if !available(pod) {
                        replacements.append(pod)
                        unavailable += 1
                    } else if unavailable < maxUnavailable {
                        candidates.append(pod)
                    }
                }
            }
            let remaining = min(max(0, maxUnavailable - unavailable), candidates.count)
            syncNodes(&plan, daemonSet: daemonSet, deleting: replacements + candidates.prefix(remaining), needing: [])
            return
        }

        var oldToDelete: [JSONValue] = []
        var shouldNotRun: [JSONValue] = []
        var candidateNodes: [String] = []
        var allowedNodes: [String] = []
        var surging = 0
        var availableCount = 0
        for (nodeName, pods) in ordered {
            guard let (newPod, oldPod) = updatedPods(pods, hash: plan.hash, generation: generation) else {
                surging += 1
                continue
            }
            if let oldPod { if available(oldPod) { availableCount += 1 } } else if let newPod, available(newPod) { availableCount += 1 }
            let eligible = nodeByName[nodeName].map { NodeEligibility.evaluate(node: $0, daemonSet: daemonSet).shouldRun } ?? false
            switch (newPod, oldPod) {
            case (_, nil):
                break
            case (nil, .some(let old)):
                if !available(old) {
                    if !eligible { oldToDelete.append(old); continue }
                    allowedNodes.append(nodeName)
                } else {
                    if !eligible { shouldNotRun.append(old); continue }
                    if surging >= maxSurge { continue }
                    candidateNodes.append(nodeName)
                }
            case (.some(let new), .some(let old)):
                if !available(new) { surging += 1; continue }
                oldToDelete.append(old)
            }
        }
        // With surge the owner expects full availability: pods on nodes that no longer qualify go only as far as
        // pods elsewhere have become available.
        let deletable = min(max(0, availableCount - desired), shouldNotRun.count)
        oldToDelete += shouldNotRun.prefix(deletable)
        let remaining = min(max(0, maxSurge - surging), candidateNodes.count)
        syncNodes(&plan, daemonSet: daemonSet, deleting: oldToDelete, needing: allowedNodes + candidateNodes.prefix(remaining))
    }

    // MARK: Status

    /// Upstream `updateDaemonSetStatus`: per eligible node whether a daemon is scheduled, ready, available and
    /// up to date (judging the oldest pod there), plus pods on ineligible nodes.
    func status(_ plan: inout DaemonSetPlan, daemonSet: JSONValue, nodes: [JSONValue], byNode: [String: [JSONValue]],
                updateObservedGeneration: Bool, now: KubeTime) {
        var desired = 0, current = 0, misscheduled = 0, ready = 0, updated = 0, available = 0
        let generation = DaemonPods.templateGeneration(daemonSet)
        for node in nodes {
            let pods = (byNode[node.metadata.name ?? ""] ?? []).sorted(by: DaemonPods.scheduledThenOlder)
            guard NodeEligibility.evaluate(node: node, daemonSet: daemonSet).shouldRun else {
                if !pods.isEmpty { misscheduled += 1 }
                continue
            }
            desired += 1
            guard let pod = pods.first else { continue }
            current += 1
            let view = PodView(pod)
            if view.isReady {
                ready += 1
                if view.isAvailable(minReadySeconds: minReadySeconds(daemonSet), now: now) { available += 1 }
            }
            if DaemonPods.isUpdated(pod, hash: plan.hash, generation: generation) { updated += 1 }
        }
        let unavailable = desired - available
        let old = daemonSet["status"] ?? .emptyObject
        let generationNow = daemonSet.metadata.generation ?? 0
        let counts: [(String, Int)] = [
            ("currentNumberScheduled", current), ("numberMisscheduled", misscheduled), ("desiredNumberScheduled", desired),
            ("numberReady", ready), ("updatedNumberScheduled", updated), ("numberAvailable", available),
            ("numberUnavailable", unavailable),
        ]
        let unchanged = counts.allSatisfy { (old[$0.0]?.int ?? 0) == $0.1 } && (old["observedGeneration"]?.int64 ?? 0) >= generationNow
        if !unchanged {
            var status = old
            for (key, value) in counts { status[key] = .integer(Int64(value)) }
            if updateObservedGeneration { status["observedGeneration"] = .integer(generationNow) }
            for key in ["updatedNumberScheduled", "numberAvailable", "numberUnavailable", "observedGeneration"] where status[key] == 0 {
                status[key] = nil
            }
            var updatedDaemonSet = daemonSet
            updatedDaemonSet["status"] = status
            plan.statusUpdate = .updateStatus(updatedDaemonSet)
        }
        let minReady = minReadySeconds(daemonSet)
        if minReady > 0 && ready != available { plan.requeueAfterSeconds = minReady }
    }
}
