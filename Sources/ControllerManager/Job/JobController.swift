import KubeAPI
import KubeClient
import Synchronization

/// The `job` loops, written as `job-controller`: Jobs and pods in, `JobSync` plans out. Expectations keep a stale
/// pod cache from creating or deleting twice; a second set remembers which tracking finalizers are on their way
/// off, so a pod is never counted again while the cache still shows its finalizer. A second loop takes the tracking
/// finalizer off pods whose Job is gone or finished (upstream `orphanQueue`), so they can be deleted.
enum JobController {
    static func loops(_ context: ControllerContext) async throws -> [ControllerLoop] {
        let jobs = context.informers.informer("batch", "jobs")
        let pods = context.informers.informer("", "pods")
        let client = try await context.clientFor("job-controller")
        let executor = ActionExecutor(client: client)
        let recorder = EventRecorder(client: client, component: "job-controller")
        let expectations = ExpectationsBox()
        let finalizers = FinalizerExpectations()
        let backoffs = Mutex<[String: JobBackoff]>([:])
        let sync = JobSync()
        let resource = SharedInformers.info("batch", "jobs")

        /// A pod event wakes its Job (or the Jobs that could adopt it) and settles that Job's expectations.
        let podKeys: ControllerLoop.Keys = { event in
            var previous: JSONValue?
            if case .updated(let old, _) = event { previous = old }
            let keys = EventRouting.keys(for: event.object, previous: previous, ownerKind: "Job", owners: jobs.cache.list)
            expectations.observe(event, for: keys)
            var gone = false
            if case .deleted = event { gone = true }
            if gone || !JobPods.hasTrackingFinalizer(event.object) {
                for key in keys { finalizers.observed(key, uid: event.object.metadata.uid ?? "") }
            }
            return keys
        }

        let jobLoop = ControllerLoop(name: "job", sources: [(jobs, ControllerLoop.ownKey), (pods, podKeys)]) { key in
            guard let job = jobs.cache.get(key) else {
                expectations.withLock { $0.remove(key) }
                finalizers.remove(key)
                backoffs.withLock { $0[key] = nil }
                return nil
            }
            let now = KubeTime.now()
            let plan = sync.plan(job: job, pods: pods.cache.list(namespace: job.metadata.namespace ?? "default"),
                                 expectationsSatisfied: expectations.withLock { $0.satisfied(key, now: now) },
                                 pendingFinalizerRemovals: finalizers.pending(key),
                                 backoff: backoffs.withLock { $0[key] } ?? JobBackoff(), now: now)
            if let invalid = plan.invalidSelector { throw ControllerManagerError("job \(key): invalid selector: \(invalid)") }
            try await executor.execute(plan.claim)
            let (events, manageError) = await manage(plan, key: key, executor: executor, expectations: expectations, now: now)
            await recorder.record(events, about: job, kind: .job)
            if plan.tracking == nil {
                if plan.backoff == JobBackoff() { backoffs.withLock { $0[key] = nil } }
                return nil
            }
            var stored = job
            if let flush = plan.flush {
                stored["status"] = flush
                stored = try await client.updateStatus(resource, stored)
            }
            backoffs.withLock { $0[key] = plan.backoff }
            finalizers.expect(key, uids: plan.finalizerRemovals.map(\.uid))
            var removed = Set<String>()
            var removalError: (any Error)?
            for removal in plan.finalizerRemovals {
                do {
                    try await executor.execute(removal.action)
                    removed.insert(removal.uid)
                } catch {
                    finalizers.observed(key, uid: removal.uid)
                    removalError = error
                }
            }
            let done = sync.finish(plan, removed: removed, now: KubeTime.now())
            if let status = done.status {
                stored["status"] = status
                stored = try await client.updateStatus(resource, stored)
            }
            await recorder.record(done.events, about: stored, kind: .job)
            if let error = manageError ?? removalError { throw error }
            return plan.requeueAfterSeconds.map { Duration.seconds($0) }
        }

        /// Pods that still carry the tracking finalizer; a finished or deleted Job wakes its own.
        let orphanKeys: ControllerLoop.Keys = { event in
            if case .deleted = event { return [] }
            return JobPods.hasTrackingFinalizer(event.object) ? [event.key] : []
        }
        let finishedJobPods: ControllerLoop.Keys = { event in
            var ended = JobView(event.object).isFinished
            if case .deleted = event { ended = true }
            guard ended else { return [] }
            let uid = event.object.metadata.uid
            return pods.cache.list(namespace: event.object.metadata.namespace ?? "default")
                .filter { ControllerRef.of($0)?.uid == uid && JobPods.hasTrackingFinalizer($0) }
                .map { ObjectCache.key(for: $0) }
        }
        let orphanLoop = ControllerLoop(name: "job-orphan-pods", sources: [(pods, orphanKeys), (jobs, finishedJobPods)], workers: 1) { key in
            guard let pod = pods.cache.get(key) else { return }
            let owner = ControllerRef.of(pod).flatMap { jobs.cache.get(namespace: pod.metadata.namespace, name: $0.name) }
            if let patch = JobPods.orphanFinalizerRemoval(pod, owner: owner) { try await executor.execute(patch) }
        }
        return [jobLoop, orphanLoop]
    }

    /// Runs the plan's deletes and slow-start creates; answers the events (one per pod created, the plan's own) and
    /// the first failure instead of throwing, so the status is still tracked (upstream returns `manageJobErr` after
    /// the status update).
    static func manage(_ plan: JobPlan, key: String, executor: ActionExecutor, expectations: ExpectationsBox,
                       now: KubeTime) async -> (events: [ControllerEvent], error: (any Error)?) {
        let creations = plan.creations.count
        if creations > 0 || !plan.deletedPods.isEmpty {
            expectations.withLock { $0.expect(key, creations: creations, deletions: plan.deletedPods, now: now) }
        }
        var events: [ControllerEvent] = []
        do {
            try await executor.execute(plan.deletions)
            events = plan.events
            for batch in plan.createBatches {
                let names = try await withThrowingTaskGroup(of: String?.self) { group in
                    for case .create(let pod) in batch { group.addTask { try await executor.create(pod)?.metadata.name } }
                    var names: [String] = []
                    for try await name in group { names += name.map { [$0] } ?? [] }
                    return names
                }
                events += names.map { ControllerEvent(reason: "SuccessfulCreate", message: "Created pod: \($0)") }
            }
            return (events, nil)
        } catch {
            // What failed will never be observed; plan again from the cache rather than wait out the timeout.
            expectations.withLock { $0.remove(key) }
            let reason = plan.createBatches.isEmpty ? "FailedDelete" : "FailedCreate"
            return (events + [ControllerEvent("Warning", reason: reason, message: "Error syncing pods: \(error)")], error)
        }
    }
}

/// Which tracking finalizers a Job's sync asked to remove and the cache does not show removed yet (upstream
/// `uidTrackingExpectations`): those pods are already recorded in the Job's status and must not be counted again.
final class FinalizerExpectations: Sendable {
    private let pendingByJob = Mutex<[String: Set<String>]>([:])

    func expect(_ key: String, uids: [String]) {
        guard !uids.isEmpty else { return }
        pendingByJob.withLock { $0[key, default: []].formUnion(uids) }
    }

    func observed(_ key: String, uid: String) {
        pendingByJob.withLock { pending in
            guard pending[key]?.remove(uid) != nil, pending[key]?.isEmpty == true else { return }
            pending[key] = nil
        }
    }

    func pending(_ key: String) -> Set<String> { pendingByJob.withLock { $0[key] ?? [] } }

    func remove(_ key: String) { pendingByJob.withLock { $0[key] = nil } }
}
