import KubeAPI

/// The working state of one Job sync (upstream `syncJobCtx`): the claimed pods sorted into active, terminating and
/// newly finished, the counters as they will be once every finished pod is counted, and the condition the Job is
/// heading for.
struct JobSyncState {
    let job: JobView
    /// Every pod the Job owns after the claim, terminal ones included.
    let pods: [JSONValue]
    /// Uids whose finalizer removal is in flight: already recorded, never counted again.
    let pending: Set<String>
    let now: KubeTime
    /// The status as stored.
    let original: BatchV1.JobStatus
    /// The status being built.
    var status: BatchV1.JobStatus
    var activePods: [JSONValue]
    var activeCount: Int
    var ready: Int
    var terminating: Int
    /// `uncountedTerminatedPods` as stored.
    let uncountedSucceeded: Set<String>
    let uncountedFailed: Set<String>
    /// Finished pods not yet recorded anywhere.
    let newSucceeded: [JSONValue]
    let newFailed: [JSONValue]
    var succeeded: Int
    var failed: Int
    /// Indexed Jobs: `completedIndexes` as stored, and with this sync's successes.
    var previousIndexes = IndexIntervals()
    var succeededIndexes = IndexIntervals()
    /// SuccessCriteriaMet, FailureTarget, or (once the interim condition is stored) Complete or Failed.
    var finished: BatchV1.JobCondition?

    init(job: JobView, pods: [JSONValue], pending: Set<String>, now: KubeTime) {
        self.job = job
        self.pods = pods
        self.pending = pending
        self.now = now
        var status = (try? (job.object["status"] ?? .emptyObject).decode(as: BatchV1.JobStatus.self)) ?? BatchV1.JobStatus()
        original = status
        if status.uncountedTerminatedPods == nil { status.uncountedTerminatedPods = BatchV1.UncountedTerminatedPods() }
        activePods = pods.filter { PodView($0).isActive }
        activeCount = activePods.count
        ready = activePods.filter { PodView($0).isReady }.count
        terminating = pods.filter(JobPods.isTerminating).count
        uncountedSucceeded = Set(status.uncountedTerminatedPods?.succeeded ?? [])
        uncountedFailed = Set(status.uncountedTerminatedPods?.failed ?? [])
        let counting = pods.filter { pod in
            JobPods.hasTrackingFinalizer(pod) && !pending.contains(pod.metadata.uid ?? "")
                && (!job.isIndexed || JobPods.validIndex(pod, completions: job.completions) != nil)
        }
        let (uncountedSucceeded, uncountedFailed) = (self.uncountedSucceeded, self.uncountedFailed)
        newSucceeded = counting.filter { PodView($0).phase == "Succeeded" && !uncountedSucceeded.contains($0.metadata.uid ?? "") }
        newFailed = counting.filter { JobPods.isFailed($0, job: job) && !uncountedFailed.contains($0.metadata.uid ?? "") }
        succeeded = Int(status.succeeded ?? 0) + newSucceeded.count + uncountedSucceeded.count
        failed = Int(status.failed ?? 0) + newFailed.count + uncountedFailed.count
        if status.startTime == nil && !job.isSuspended { status.startTime = now.rfc3339 }
        self.status = status
    }

    /// The goal is met: enough successes (or, without completions, one) and nothing left running.
    var isComplete: Bool {
        guard activeCount == 0 else { return false }
        guard let completions = job.completions else { return succeeded > 0 }
        return succeeded >= completions
    }

    /// Upstream's checks in order: a stored SuccessCriteriaMet stands; a stored FailureTarget becomes Failed;
    /// otherwise too many failures (or, with restartPolicy OnFailure, restarts) or a passed active deadline start
    /// the failure, and a deadline still ahead asks for a sync when it passes.
    mutating func decideFailure(_ plan: inout JobPlan) {
        if let met = job.trueCondition("SuccessCriteriaMet") {
            finished = Self.condition("SuccessCriteriaMet", reason: met["reason"]?.string ?? "", message: met["message"]?.string ?? "", now: now)
            return
        }
        if let target = job.trueCondition("FailureTarget") {
            finished = Self.condition("Failed", reason: target["reason"]?.string ?? "", message: target["message"]?.string ?? "", now: now)
            return
        }
        if failed > job.backoffLimit || pastBackoffLimitOnFailure {
            finished = Self.condition("FailureTarget", reason: "BackoffLimitExceeded", message: "Job has reached the specified backoff limit", now: now)
        } else if let deadline = job.activeDeadlineSeconds, !job.isSuspended, let start = status.startTime.flatMap({ try? KubeTime(rfc3339: $0) }) {
            let remaining = deadline - (now.seconds - start.seconds)
            if remaining <= 0 {
                finished = Self.condition("FailureTarget", reason: "DeadlineExceeded", message: "Job was active longer than specified deadline", now: now)
            } else {
                plan.requeueAfterSeconds = remaining
            }
        }
    }

    /// Upstream `pastBackoffLimitOnFailure`: container restarts of running and pending pods count as failures when
    /// the kubelet restarts failed containers in place.
    var pastBackoffLimitOnFailure: Bool {
        guard job.restartPolicy == "OnFailure" else { return false }
        let restarts = pods.filter { ["Running", "Pending"].contains(PodView($0).phase) }.reduce(0) { sum, pod in
            sum + ["initContainerStatuses", "containerStatuses"].reduce(0) { inner, field in
                inner + (pod[path: ["status", field]]?.array ?? []).reduce(0) { $0 + ($1["restartCount"]?.int ?? 0) }
            }
        }
        return job.backoffLimit == 0 ? restarts > 0 : restarts >= job.backoffLimit
    }

    /// Indexed Jobs count distinct succeeded indexes, not pods.
    mutating func countIndexes() {
        guard job.isIndexed, let completions = job.completions else { return }
        previousIndexes = IndexIntervals(parsing: status.completedIndexes ?? "", completions: completions)
        let newly = pods.filter { PodView($0).phase == "Succeeded" && JobPods.hasTrackingFinalizer($0) }
            .compactMap { JobPods.validIndex($0, completions: completions) }
        succeededIndexes = previousIndexes.union(IndexIntervals(newly))
        succeeded = succeededIndexes.count
    }

    /// A failing or succeeding Job deletes what still runs (upstream `deleteActivePods`); the finalizers come off in
    /// `track`, and those pods count as failed. Until expectations are met the Job cannot finish.
    mutating func deleteActivePods(_ plan: inout JobPlan, expectationsSatisfied: Bool) {
        for pod in activePods { delete(pod, &plan) }
        if !expectationsSatisfied { finished = nil }
    }

    /// Deletes active pods the Job no longer wants, taking each one's finalizer off first so it is not counted as a
    /// failure (upstream `deleteJobPods`).
    mutating func deleteExcess(_ victims: [JSONValue], _ plan: inout JobPlan, limit: Int) {
        for pod in victims.prefix(limit) {
            if let patch = JobPods.removeFinalizer(pod) { plan.deletions.append(patch) }
            delete(pod, &plan)
            plan.deletedPods.append((pod.metadata.namespace ?? "") + "/" + (pod.metadata.name ?? ""))
        }
    }

    private mutating func delete(_ pod: JSONValue, _ plan: inout JobPlan) {
        plan.deletions.append(.delete(ObjectRef(pod, kind: .pod)))
        plan.events.append(ControllerEvent(reason: "SuccessfulDelete", message: "Deleted pod: \(pod.metadata.name ?? "")"))
        activeCount -= 1
        terminating += 1
        if PodView(pod).isReady { ready -= 1 }
    }

    /// Upstream `activePodsForRemoval`: for Indexed Jobs every pod without a valid index and all but the best pod of a
    /// repeated index; then the least valuable active pods (unscheduled, pending, not ready, newest first) until
    /// `atLeast` are chosen.
    func podsForRemoval(atLeast count: Int) -> [JSONValue] {
        var remove: [JSONValue] = []
        var keep = activePods
        if job.isIndexed {
            keep = []
            var byIndex: [Int: [JSONValue]] = [:]
            for pod in activePods {
                if let index = JobPods.validIndex(pod, completions: job.completions) {
                    byIndex[index, default: []].append(pod)
                } else {
                    remove.append(pod)
                }
            }
            for index in byIndex.keys.sorted() {
                let sorted = Self.deletionOrder(byIndex[index] ?? [])
                remove += sorted.dropLast()
                keep += sorted.suffix(1)
            }
        }
        if remove.count < count { remove += Self.deletionOrder(keep).prefix(count - remove.count) }
        return remove
    }

    static func deletionOrder(_ pods: [JSONValue]) -> [JSONValue] {
        PodDeletionOrder.sorted(pods, ranks: Array(repeating: 0, count: pods.count), now: nil)
    }

    /// The Suspended condition follows `spec.suspend`; resuming restarts the active deadline clock.
    mutating func updateSuspension(_ plan: inout JobPlan) {
        var conditions = status.conditions ?? []
        if job.isSuspended {
            if Self.ensure(&conditions, Self.condition("Suspended", reason: "JobSuspended", message: "Job suspended", now: now)) {
                plan.events.append(ControllerEvent(reason: "Suspended", message: "Job suspended"))
            }
        } else if Self.ensure(&conditions, Self.condition("Suspended", status: "False", reason: "JobResumed", message: "Job resumed", now: now)) {
            plan.events.append(ControllerEvent(reason: "Resumed", message: "Job resumed"))
            status.startTime = now.rfc3339
        }
        status.conditions = conditions
    }

    /// Upstream `trackJobStatusAndRemoveFinalizers` up to the first status write: records newly finished pods in
    /// `uncountedTerminatedPods` (Indexed successes in `completedIndexes`), picks the finalizers to remove, stores
    /// an interim FailureTarget or SuccessCriteriaMet, and leaves `finish` the rest.
    mutating func track(_ plan: inout JobPlan, maxUncounted: Int) {
        status.active = Int32(activeCount)
        status.ready = Int32(ready)
        status.terminating = Int32(terminating)
        let withFinalizer = Set(pods.filter { JobPods.hasTrackingFinalizer($0) }.compactMap(\.metadata.uid)).subtracting(pending)
        Self.countUncounted(&status, withFinalizer: withFinalizer)
        var newSucceeded = status.uncountedTerminatedPods?.succeeded ?? []
        var newFailed = status.uncountedTerminatedPods?.failed ?? []
        var newIndexes: [Int] = []
        var reachedMax = false
        let failing = finished.map { $0.type != "SuccessCriteriaMet" } ?? false
        let ordered = job.isIndexed ? pods.sorted { (JobPods.completionIndex($0) ?? -1) < (JobPods.completionIndex($1) ?? -1) } : pods
        for pod in ordered {
            let uid = pod.metadata.uid ?? ""
            guard JobPods.hasTrackingFinalizer(pod), !pending.contains(uid) else { continue }
            let podFailed = JobPods.isFailed(pod, job: job)
            let phase = PodView(pod).phase
            guard job.object.metadata.isBeingDeleted || finished != nil || phase == "Succeeded" || podFailed else { continue }
            if let patch = JobPods.removeFinalizer(pod) { plan.finalizerRemovals.append(FinalizerRemoval(uid: uid, action: patch)) }
            let index = JobPods.validIndex(pod, completions: job.completions)
            if phase == "Succeeded" && !uncountedFailed.contains(uid) {
                if job.isIndexed {
                    if let index, !previousIndexes.contains(index) { newIndexes.append(index) }
                } else if !uncountedSucceeded.contains(uid) {
                    newSucceeded.append(uid)
                }
            } else if podFailed || failing, !uncountedFailed.contains(uid), !job.isIndexed || index != nil {
                newFailed.append(uid)
            }
            if newIndexes.count + newSucceeded.count + newFailed.count >= maxUncounted {
                reachedMax = true
                break
            }
        }
        status.uncountedTerminatedPods = BatchV1.UncountedTerminatedPods(failed: newFailed, succeeded: newSucceeded)
        if job.isIndexed {
            succeededIndexes = succeededIndexes.union(IndexIntervals(newIndexes))
            status.completedIndexes = succeededIndexes.description
            status.succeeded = Int32(succeededIndexes.count)
        }
        if let target = finished, target.type == "FailureTarget" {
            status.conditions = (status.conditions ?? []) + [target]
            finished = Self.condition("Failed", reason: target.reason ?? "", message: target.message ?? "", now: now)
        } else if let met = finished, met.type == "SuccessCriteriaMet" {
            if job.trueCondition("SuccessCriteriaMet") == nil { status.conditions = (status.conditions ?? []) + [met] }
            finished = Self.condition("Complete", reason: met.reason ?? "", message: met.message ?? "", now: now)
        }
        let json = Self.json(status)
        plan.flush = json == Self.json(original) ? .none : .some(json)
        plan.tracking = JobTracking(status: status, withFinalizer: withFinalizer, finished: finished, terminating: terminating,
                                    reachedMaxUncounted: reachedMax, completions: job.completions)
    }

    /// Upstream `cleanUncountedPodsWithoutFinalizers`: a recorded pod whose finalizer is gone is now counted.
    static func countUncounted(_ status: inout BatchV1.JobStatus, withFinalizer: Set<String>) {
        let succeeded = status.uncountedTerminatedPods?.succeeded ?? []
        let failed = status.uncountedTerminatedPods?.failed ?? []
        let stillSucceeded = succeeded.filter(withFinalizer.contains)
        let stillFailed = failed.filter(withFinalizer.contains)
        status.succeeded = (status.succeeded ?? 0) + Int32(succeeded.count - stillSucceeded.count)
        status.failed = (status.failed ?? 0) + Int32(failed.count - stillFailed.count)
        status.uncountedTerminatedPods = BatchV1.UncountedTerminatedPods(failed: stillFailed, succeeded: stillSucceeded)
    }

    static func condition(_ type: String, status: String = "True", reason: String, message: String, now: KubeTime) -> BatchV1.JobCondition {
        BatchV1.JobCondition(lastProbeTime: now.rfc3339, lastTransitionTime: now.rfc3339, message: message, reason: reason,
                             status: status, type: type)
    }

    /// Upstream `ensureJobConditionStatus`: replaces a condition of the type whose status, reason or message differ,
    /// appends a missing one unless it would be False; answers whether anything changed.
    @discardableResult
    static func ensure(_ conditions: inout [BatchV1.JobCondition], _ condition: BatchV1.JobCondition) -> Bool {
        if let index = conditions.firstIndex(where: { $0.type == condition.type }) {
            let current = conditions[index]
            guard current.status != condition.status || current.reason != condition.reason || current.message != condition.message else {
                return false
            }
            conditions[index] = condition
            return true
        }
        guard condition.status != "False" else { return false }
        conditions.append(condition)
        return true
    }

    /// The status as Go serialises it: zero counters, empty strings and empty lists left out; `ready`,
    /// `terminating` and `uncountedTerminatedPods` always present.
    static func json(_ status: BatchV1.JobStatus) -> JSONValue {
        var status = status
        if status.active == 0 { status.active = nil }
        if status.succeeded == 0 { status.succeeded = nil }
        if status.failed == 0 { status.failed = nil }
        if status.completedIndexes == "" { status.completedIndexes = nil }
        if status.conditions?.isEmpty == true { status.conditions = nil }
        var uncounted = status.uncountedTerminatedPods ?? BatchV1.UncountedTerminatedPods()
        if uncounted.succeeded?.isEmpty == true { uncounted.succeeded = nil }
        if uncounted.failed?.isEmpty == true { uncounted.failed = nil }
        status.uncountedTerminatedPods = uncounted
        return StatusJSON.encode(status)
    }
}
