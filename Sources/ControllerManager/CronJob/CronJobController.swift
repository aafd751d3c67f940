import KubeAPI
import KubeClient

/// The `cronjob` loop, written as `cronjob-controller`: CronJobs and Jobs in, `CronJobSync` plans out. Each sync
/// asks to run again at the next scheduled time, so the schedule is kept by the work queue, not by a timer.
enum CronJobController {
    static func loops(_ context: ControllerContext) async throws -> [ControllerLoop] {
        let cronJobs = context.informers.informer("batch", "cronjobs")
        let jobs = context.informers.informer("batch", "jobs")
        let client = try await context.clientFor("cronjob-controller")
        let executor = ActionExecutor(client: client)
        let recorder = EventRecorder(client: client, component: "cronjob-controller")
        let cronJobResource = SharedInformers.info("batch", "cronjobs")
        let jobResource = SharedInformers.info("batch", "jobs")
        let sync = CronJobSync()

        /// Asks the server whether a Job the cache lacks is really gone (upstream's uncached `GetJob`).
        @Sendable func missing(_ cronJob: JSONValue, cached: [JSONValue]) async throws -> Set<String> {
            let uids = Set(cached.compactMap(\.metadata.uid))
            var gone = Set<String>()
            for ref in CronJobSync.status(cronJob).active ?? [] where !uids.contains(ref.uid ?? "") {
                do {
                    _ = try await client.get(jobResource, namespace: ref.namespace, name: ref.name ?? "")
                } catch let error as KubeClientError where error.isNotFound {
                    gone.insert(ref.name ?? "")
                }
            }
            return gone
        }

        let loop = ControllerLoop(name: "cronjob", sources: [(cronJobs, ControllerLoop.ownKey),
                                                             (jobs, ControllerLoop.ownerKey(kind: "CronJob"))]) { key in
            guard var cronJob = cronJobs.cache.get(key) else { return nil }
            let cached = jobs.cache.list(namespace: cronJob.metadata.namespace ?? "default")
            let now = KubeTime.now()
            var plan = sync.plan(cronJob: cronJob, jobs: cached, missingJobs: try await missing(cronJob, cached: cached), now: now)
            if !plan.unexpectedJobs.isEmpty {
                // Our own last status write may not be in the cache yet: decide again from the server's copy.
                let fresh = try await client.get(cronJobResource, namespace: cronJob.metadata.namespace, name: cronJob.metadata.name ?? "")
                guard fresh.metadata.uid == cronJob.metadata.uid else { return nil }
                cronJob = fresh
                plan = sync.plan(cronJob: cronJob, jobs: cached, missingJobs: try await missing(cronJob, cached: cached), now: now)
            }
            try await executor.execute(plan.deletions)
            var status = plan.status
            var events = plan.events
            if let job = plan.create {
                let result: JSONValue?
                do {
                    result = try await executor.create(job)
                } catch {
                    await recorder.record(events + [ControllerEvent("Warning", reason: "FailedCreate", message: "Error creating job: \(error)")],
                                          about: cronJob, kind: .cronJob)
                    throw error
                }
                if let created = result {
                    status = CronJobSync.recordCreated(plan, job: created)
                    events.append(ControllerEvent(reason: "SuccessfulCreate", message: "Created job \(created.metadata.name ?? "")"))
                } else {
                    // Already there: ours from an earlier sync whose status write was lost, or someone else's.
                    let existing = try await client.get(jobResource, namespace: job.metadata.namespace, name: job.metadata.name ?? "")
                    if ControllerRef.of(existing)?.uid == cronJob.metadata.uid {
                        status = CronJobSync.recordCreated(plan, job: existing)
                    }
                }
            }
            let json = CronJobSync.json(status)
            if json != CronJobSync.json(CronJobSync.status(cronJob)) {
                var updated = cronJob
                updated["status"] = json
                _ = try await client.updateStatus(cronJobResource, updated)
            }
            await recorder.record(events, about: cronJob, kind: .cronJob)
            return plan.requeueAfter
        }
        return [loop]
    }
}
