import KubeAPI

/// A tracking-finalizer removal the plan asks for, named by the pod's uid so the caller can report which went
/// through.
public struct FinalizerRemoval: Sendable, Hashable {
    /// The pod's uid.
    public var uid: String
    /// The patch.
    public var action: ControllerAction
}

/// What one sync of a Job decided (upstream `syncJob`). The caller runs, in order: `claim`; `deletions` (each excess
/// pod loses its tracking finalizer just before its delete); `createBatches` one batch at a time; then writes
/// `flush` as the Job's status (newly finished pods recorded in `uncountedTerminatedPods`, interim conditions);
/// then the `finalizerRemovals`; and finally hands the uids whose removal went through to `JobSync.finish`, which
/// moves those pods into the counters and, once nothing is left to count or terminate, adds Complete or Failed.
/// Recording a pod before its finalizer comes off is what keeps a crash or a conflict from counting it twice or
/// never.
public struct JobPlan: Sendable, Hashable {
    /// Adoption (with the tracking finalizer) and release patches.
    public var claim: [ControllerAction] = []
    /// Pod deletes: excess or suspended pods (finalizer patch first), or every active pod of a failing Job.
    public var deletions: [ControllerAction] = []
    /// The pods (namespace/name) `deletions` delete, for expectations.
    public var deletedPods: [String] = []
    /// Pod creates in slow-start batches.
    public var createBatches: [[ControllerAction]] = []
    /// The status to write before any finalizer comes off; nil when the stored status already says it.
    public var flush: JSONValue?
    /// Tracking finalizers to take off counted (or no longer needed) pods.
    public var finalizerRemovals: [FinalizerRemoval] = []
    /// Events about the Job decided before anything ran (suspend and resume, pod deletions).
    public var events: [ControllerEvent] = []
    /// Sync again after this many seconds (the active deadline, the pod failure back-off).
    public var requeueAfterSeconds: Int64?
    /// The back-off record after this sync, to keep once `flush` is written.
    public var backoff = JobBackoff()
    /// Set when the selector cannot be parsed; nothing else is done then.
    public var invalidSelector: String?
    /// What `finish` continues from; nil when the sync stops early (a finished or foreign Job).
    var tracking: JobTracking?

    /// The creates, flattened.
    public var creations: [ControllerAction] { createBatches.flatMap { $0 } }
}

/// The state `JobSync.finish` needs from the plan.
struct JobTracking: Sendable, Hashable {
    /// The status as written by `flush` (or as stored, without one).
    var status: BatchV1.JobStatus
    /// Uids of pods that still carry the tracking finalizer (and whose removal is not pending).
    var withFinalizer: Set<String>
    /// The terminal condition to add once every pod is counted and none is terminating.
    var finished: BatchV1.JobCondition?
    /// Pods being deleted but not yet terminal, this sync's deletes included.
    var terminating: Int
    /// More pods finished than one sync records; the terminal condition waits for the next sync.
    var reachedMaxUncounted: Bool
    /// `spec.completions`.
    var completions: Int?
}

/// The end of a sync: the status to write after the finalizer removals (nil when unchanged) and the events of a
/// Job that just finished.
public struct JobCompletion: Sendable, Hashable {
    /// The final status, nil when it equals what `flush` wrote.
    public var status: JSONValue?
    /// Completed, or the failure reason.
    public var events: [ControllerEvent] = []
}

/// The job controller's decisions: claim pods, run up to `parallelism` of them until `completions` succeeded (or,
/// without completions, until one succeeded and none is running), fail the Job past `backoffLimit` or
/// `activeDeadlineSeconds`, suspend and resume, and count finished pods exactly once through the tracking finalizer.
///
/// As in v1.32, a Job that meets its goal first gets SuccessCriteriaMet (or FailureTarget), and Complete (or Failed)
/// only once no pod is terminating. Not implemented: `podFailurePolicy`, `successPolicy`, `backoffLimitPerIndex` /
/// `maxFailedIndexes` (and so `status.failedIndexes`), elastic Indexed Jobs beyond the index bookkeeping.
public struct JobSync: Sendable {
    /// At most this many creates or deletes per sync (upstream `MaxPodCreateDeletePerSync`).
    public var maxPodCreateDeletePerSync: Int
    /// At most this many pods recorded in `uncountedTerminatedPods` per sync (upstream `MaxUncountedPods`).
    public var maxUncountedPods: Int

    /// Creates the decision function.
    /// - Parameters:
    ///   - maxPodCreateDeletePerSync: the per-sync cap on creates or deletes.
    ///   - maxUncountedPods: the per-sync cap on newly counted pods.
    public init(maxPodCreateDeletePerSync: Int = 500, maxUncountedPods: Int = 500) {
        self.maxPodCreateDeletePerSync = maxPodCreateDeletePerSync
        self.maxUncountedPods = maxUncountedPods
    }

    /// Decides one sync.
    /// - Parameters:
    ///   - job: the Job.
    ///   - pods: every pod in its namespace.
    ///   - expectationsSatisfied: false while earlier creates/deletes are not yet in the cache; no pods are created or
    ///     deleted then, and the Job cannot finish.
    ///   - pendingFinalizerRemovals: uids whose finalizer removal was sent but is not yet in the cache.
    ///   - backoff: the Job's failure back-off record.
    ///   - now: the current time.
    public func plan(job: JSONValue, pods: [JSONValue], expectationsSatisfied: Bool = true,
                     pendingFinalizerRemovals: Set<String> = [], backoff: JobBackoff = JobBackoff(), now: KubeTime) -> JobPlan {
        var plan = JobPlan(backoff: backoff)
        let view = JobView(job)
        if view.isFinished || view.externalManager != nil {
            plan.backoff = JobBackoff()
            return plan
        }
        guard ["NonIndexed", "Indexed"].contains(view.completionMode) else {
            plan.events = [ControllerEvent("Warning", reason: "UnknownCompletionMode",
                                           message: "Skipped Job sync because completion mode is unknown")]
            return plan
        }
        let selector: LabelSelector
        do {
            selector = try LabelSelector(apiSelector: job[path: ["spec", "selector"]])
        } catch {
            plan.invalidSelector = error.description
            return plan
        }
        let claim = ControllerRef.claim(pods.filter { $0.metadata.namespace == job.metadata.namespace }, objectKind: .pod,
                                        owner: job, ownerKind: .job, adoptFinalizers: [JobPods.trackingFinalizer],
                                        matches: selector.matches(object:))
        plan.claim = claim.actions
        var sync = JobSyncState(job: view, pods: claim.claimed, pending: pendingFinalizerRemovals, now: now)
        plan.backoff = backoff.adding(succeeded: sync.newSucceeded, failed: sync.newFailed)
        sync.decideFailure(&plan)
        sync.countIndexes()
        if sync.finished != nil {
            sync.deleteActivePods(&plan, expectationsSatisfied: expectationsSatisfied)
        } else {
            let managed = expectationsSatisfied && !job.metadata.isBeingDeleted
            if managed { manage(&sync, &plan) }
            if sync.isComplete {
                sync.finished = JobSyncState.condition("SuccessCriteriaMet", reason: "CompletionsReached",
                                                       message: "Reached expected number of succeeded pods", now: now)
            } else if managed {
                sync.updateSuspension(&plan)
            }
        }
        sync.track(&plan, maxUncounted: maxUncountedPods)
        return plan
    }

    /// Ends a sync after the finalizer removals (upstream `flushUncountedAndRemoveFinalizers` + `enactJobFinished`).
    /// - Parameters:
    ///   - plan: the plan whose `flush` was written.
    ///   - removed: uids whose tracking finalizer is now off (or whose pod is gone).
    ///   - now: the current time.
    public func finish(_ plan: JobPlan, removed: Set<String>, now: KubeTime) -> JobCompletion {
        guard let tracking = plan.tracking else { return JobCompletion() }
        var status = tracking.status
        JobSyncState.countUncounted(&status, withFinalizer: tracking.withFinalizer.subtracting(removed))
        var events: [ControllerEvent] = []
        let uncounted = (status.uncountedTerminatedPods?.succeeded?.count ?? 0) + (status.uncountedTerminatedPods?.failed?.count ?? 0)
        if let finished = tracking.finished, !tracking.reachedMaxUncounted, uncounted == 0, tracking.terminating == 0 {
            var conditions = status.conditions ?? []
            JobSyncState.ensure(&conditions, finished)
            status.conditions = conditions
            if finished.type == "Complete" {
                status.completionTime = now.rfc3339
                if let completions = tracking.completions, Int(status.succeeded ?? 0) > completions {
                    events.append(ControllerEvent("Warning", reason: "TooManySucceededPods",
                                                  message: "Too many succeeded pods running after completion count reached"))
                }
                events.append(ControllerEvent(reason: "Completed", message: "Job completed"))
            } else {
                events.append(ControllerEvent("Warning", reason: finished.reason ?? "", message: finished.message ?? ""))
            }
        }
        let written = JobSyncState.json(tracking.status)
        let final = JobSyncState.json(status)
        // Spelled out: a bare `nil` in a ternary with a JSONValue would be JSON null, not "no write".
        let write: JSONValue? = final == written ? .none : .some(final)
        return JobCompletion(status: write, events: events)
    }

    /// Upstream `manageJob`: delete what is too many (or everything, when suspended), else create what is missing,
    /// unless the failure back-off says to wait.
    private func manage(_ sync: inout JobSyncState, _ plan: inout JobPlan) {
        let view = sync.job
        if view.isSuspended {
            sync.deleteExcess(sync.activePods, &plan, limit: maxPodCreateDeletePerSync)
            return
        }
        let active = sync.activePods.count
        let wantActive: Int
        if let completions = view.completions {
            wantActive = max(0, min(completions - sync.succeeded, view.parallelism))
        } else {
            wantActive = sync.succeeded > 0 ? active : view.parallelism
        }
        let excess = sync.podsForRemoval(atLeast: max(0, active - wantActive))
        if !excess.isEmpty {
            sync.deleteExcess(excess, &plan, limit: maxPodCreateDeletePerSync)
            return
        }
        let blocking = view.onlyReplacesFailedPods ? sync.terminating : 0
        var diff = wantActive - blocking - active
        guard diff > 0 else { return }
        let wait = plan.backoff.remainingSeconds(now: sync.now)
        if wait > 0 {
            plan.requeueAfterSeconds = min(plan.requeueAfterSeconds ?? wait, max(wait, 1))
            return
        }
        diff = min(diff, maxPodCreateDeletePerSync)
        var pods: [JSONValue]
        if view.isIndexed {
            var busy = sync.succeededIndexes.union(IndexIntervals(sync.activePods.compactMap(JobPods.completionIndex)))
            if view.onlyReplacesFailedPods {
                busy = busy.union(IndexIntervals(sync.pods.filter(JobPods.isTerminating).compactMap(JobPods.completionIndex)))
            }
            pods = busy.firstMissing(diff, below: view.completions ?? 0).map { JobPods.pod(for: view.object, index: $0) }
        } else {
            pods = Array(repeating: JobPods.pod(for: view.object, index: nil), count: diff)
        }
        plan.createBatches = SlowStart.batched(pods.map { ControllerAction.create($0) })
        sync.activeCount += pods.count
    }
}
