import Foundation
import KubeAPI

/// What one sync of a CronJob decided (upstream `sync` = `cleanupFinishedJobs` + `syncCronJob`). The caller runs the
/// `deletions`, creates `create` (if any), records the created Job with `CronJobSync.recordCreated`, writes the
/// status when it changed, records the events and syncs again after `requeueAfter`.
public struct CronJobPlan: Sendable, Hashable {
    /// Finished Jobs past the history limits, and (policy Replace) the running ones, deleted in the background.
    public var deletions: [ControllerAction] = []
    /// The Job for the scheduled time that is due.
    public var create: JSONValue?
    /// The time `create` is for.
    public var scheduledTime: KubeTime?
    /// The status after this sync, without the Job still to be created.
    public var status: BatchV1.CronJobStatus
    /// Events about the CronJob, in order.
    public var events: [ControllerEvent] = []
    /// When to sync again (the next scheduled time, assuming `create` goes through); nil for a suspended,
    /// deleted or unparseable CronJob.
    public var requeueAfter: Duration?
    /// Unfinished Jobs it owns that are not in `status.active`: the controller's cache of the CronJob may be behind
    /// its own status write, so the caller re-reads the CronJob and plans again before trusting this.
    public var unexpectedJobs: [String] = []
}

/// The cronjob controller's decisions: keep `status.active` in step with the Jobs the CronJob owns, delete finished
/// Jobs beyond `successfulJobsHistoryLimit` / `failedJobsHistoryLimit`, and create the Job of the latest due
/// scheduled time unless it is suspended, too late (`startingDeadlineSeconds`), already started, or blocked by
/// `concurrencyPolicy` Forbid (Replace deletes the running Jobs first). Job names are `<cronjob>-<minutes since the
/// epoch>`, so a time is never started twice.
public struct CronJobSync: Sendable {
    /// The annotation carrying a Job's scheduled time (upstream `batch.kubernetes.io/cronjob-scheduled-timestamp`).
    public static let scheduledTimestampAnnotation = "batch.kubernetes.io/cronjob-scheduled-timestamp"

    /// The zone for CronJobs without `spec.timeZone` (upstream: the controller manager's local zone).
    public var localZone: TimeZone

    /// Creates the decision function.
    /// - Parameters:
    ///   - localZone: the zone of schedules without `spec.timeZone`.
    public init(localZone: TimeZone = .current) { self.localZone = localZone }

    /// Decides one sync.
    /// - Parameters:
    ///   - cronJob: the CronJob.
    ///   - jobs: every Job in its namespace.
    ///   - missingJobs: names in `status.active` the API confirmed gone (the caller asks the server about active Jobs
    ///     missing from its cache, as upstream does).
    ///   - now: the current time.
    public func plan(cronJob: JSONValue, jobs: [JSONValue], missingJobs: Set<String> = [], now: KubeTime) -> CronJobPlan {
        let original = Self.status(cronJob)
        var plan = CronJobPlan(status: original)
        let name = cronJob.metadata.name ?? ""
        let owned = jobs.filter { job in
            guard let ref = ControllerRef.of(job) else { return false }
            return ref.kind == ResourceKind.cronJob.kind && ref.name == name && job.metadata.namespace == cronJob.metadata.namespace
        }
        cleanupFinishedJobs(cronJob, owned, &plan)
        reconcileActive(owned, missingJobs: missingJobs, &plan)
        guard !cronJob.metadata.isBeingDeleted else { return plan }
        scheduleNext(cronJob, &plan, now: now)
        return plan
    }

    /// Upstream `cleanupFinishedJobs` / `removeOldestJobs`: the oldest finished Jobs (by start time, unstarted last,
    /// then name) beyond each history limit are deleted.
    private func cleanupFinishedJobs(_ cronJob: JSONValue, _ owned: [JSONValue], _ plan: inout CronJobPlan) {
        for (type, field) in [("Complete", "successfulJobsHistoryLimit"), ("Failed", "failedJobsHistoryLimit")] {
            guard let limit = cronJob[path: ["spec", field]]?.int else { continue }
            let finished = owned.filter { JobView($0).finishedType == type }.sorted(by: Self.startedEarlier)
            for job in finished.prefix(max(0, finished.count - limit)) {
                delete(job, &plan)
            }
        }
    }

    private func delete(_ job: JSONValue, _ plan: inout CronJobPlan) {
        plan.deletions.append(.delete(ObjectRef(job, kind: .job), propagationPolicy: "Background"))
        plan.status.active = plan.status.active?.filter { $0.uid != job.metadata.uid }
        plan.events.append(ControllerEvent(reason: "SuccessfulDelete", message: "Deleted job \(job.metadata.name ?? "")"))
    }

    static func startedEarlier(_ lhs: JSONValue, _ rhs: JSONValue) -> Bool {
        switch (JobView(lhs).startTime, JobView(rhs).startTime) {
        case (nil, nil): return (lhs.metadata.name ?? "") < (rhs.metadata.name ?? "")
        case (nil, _): return false
        case (_, nil): return true
        case let (left?, right?):
            return left == right ? (lhs.metadata.name ?? "") < (rhs.metadata.name ?? "") : left < right
        }
    }

    /// The first half of upstream `syncCronJob`: finished Jobs leave `status.active` (SawCompletedJob), succeeded
    /// ones advance `lastSuccessfulTime`, unfinished ones not listed are reported, and listed Jobs the API no
    /// longer has are dropped (MissingJob).
    private func reconcileActive(_ owned: [JSONValue], missingJobs: Set<String>, _ plan: inout CronJobPlan) {
        var active = plan.status.active ?? []
        for job in owned {
            let view = JobView(job)
            let uid = job.metadata.uid
            let listed = active.contains { $0.uid == uid }
            if !listed && !view.isFinished {
                plan.unexpectedJobs.append(job.metadata.name ?? "")
                plan.events.append(ControllerEvent("Warning", reason: "UnexpectedJob",
                                                   message: "Saw a job that the controller did not create or forgot: \(job.metadata.name ?? "")"))
            } else if listed && view.isFinished {
                active.removeAll { $0.uid == uid }
                plan.events.append(ControllerEvent(reason: "SawCompletedJob",
                                                   message: "Saw completed job: \(job.metadata.name ?? ""), status: \(view.finishedType ?? "")"))
            } else if view.isSucceeded, let completed = view.completionTime {
                let last = plan.status.lastSuccessfulTime.flatMap { try? KubeTime(rfc3339: $0) }
                if last.map({ completed > $0 }) ?? true { plan.status.lastSuccessfulTime = completed.rfc3339 }
            }
        }
        let uids = Set(owned.compactMap(\.metadata.uid))
        for ref in active where !uids.contains(ref.uid ?? "") && missingJobs.contains(ref.name ?? "") {
            active.removeAll { $0.uid == ref.uid }
            plan.events.append(ControllerEvent(reason: "MissingJob", message: "Active job went missing: \(ref.name ?? "")"))
        }
        plan.status.active = active
    }

    /// The second half of upstream `syncCronJob`: decide whether a Job starts now and when to look again.
    private func scheduleNext(_ cronJob: JSONValue, _ plan: inout CronJobPlan, now: KubeTime) {
        var zone = localZone
        if let zoneName = cronJob[path: ["spec", "timeZone"]]?.string {
            guard let named = TimeZone(identifier: zoneName) else {
                plan.events.append(ControllerEvent("Warning", reason: "UnknownTimeZone",
                                                   message: "invalid timeZone: \"\(zoneName)\": unknown time zone \(zoneName)"))
                return
            }
            zone = named
        }
        if cronJob[path: ["spec", "suspend"]]?.bool == true { return }
        let text = cronJob[path: ["spec", "schedule"]]?.string ?? ""
        if text.contains("TZ") {
            plan.events.append(ControllerEvent("Warning", reason: "UnsupportedSchedule", message: "CRON_TZ or TZ used in schedule "
                + "\"\(text)\" is not officially supported, see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details"))
        }
        let schedule: CronSchedule
        do {
            schedule = try CronSchedule(parsing: text, timeZone: zone)
        } catch {
            plan.events.append(ControllerEvent("Warning", reason: "UnparseableSchedule", message: "unparseable schedule: \"\(text)\" : \(error)"))
            return
        }
        let due = CronJobSchedule.due(cronJob, schedule: schedule, now: now)
        if let error = due.error {
            plan.events.append(ControllerEvent("Warning", reason: "InvalidSchedule", message: "invalid schedule: \(text) : \(error)"))
            return
        }
        if due.missed == .many {
            plan.events.append(ControllerEvent("Warning", reason: "TooManyMissedTimes", message: "too many missed start times. "
                + "Set or decrease .spec.startingDeadlineSeconds or check clock skew"))
        }
        plan.requeueAfter = CronJobSchedule.requeueAfter(cronJob, schedule: schedule, now: now)
        guard let scheduled = due.time else { return }
        if let deadline = cronJob[path: ["spec", "startingDeadlineSeconds"]]?.int64, scheduled.adding(seconds: deadline) < now {
            plan.events.append(ControllerEvent("Warning", reason: "MissSchedule",
                                               message: "Missed scheduled time to start a job: \(Self.rfc1123(scheduled))"))
            return
        }
        let jobName = Self.jobName(cronJob.metadata.name ?? "", scheduled: scheduled)
        if (plan.status.active ?? []).contains(where: { $0.name == jobName && $0.namespace == cronJob.metadata.namespace })
            || plan.status.lastScheduleTime.flatMap({ try? KubeTime(rfc3339: $0) }) == scheduled {
            return
        }
        let policy = cronJob[path: ["spec", "concurrencyPolicy"]]?.string ?? "Allow"
        if policy == "Forbid", !(plan.status.active ?? []).isEmpty {
            plan.events.append(ControllerEvent(reason: "JobAlreadyActive",
                                               message: "Not starting job because prior execution is running and concurrency policy is Forbid"))
            return
        }
        if policy == "Replace" {
            for ref in plan.status.active ?? [] {
                let job: JSONValue = ["metadata": ["name": .string(ref.name ?? ""), "namespace": .string(ref.namespace ?? ""),
                                                   "uid": .string(ref.uid ?? "")]]
                delete(job, &plan)
            }
        }
        plan.create = Self.job(for: cronJob, scheduled: scheduled, zone: zone)
        plan.scheduledTime = scheduled
        var recorded = cronJob
        recorded[path: ["status", "lastScheduleTime"]] = .string(scheduled.rfc3339)
        plan.requeueAfter = CronJobSchedule.requeueAfter(recorded, schedule: schedule, now: now)
    }

    /// The status after the Job for `plan.scheduledTime` was created (or found already created by this CronJob):
    /// a reference in `active` and `lastScheduleTime`.
    /// - Parameters:
    ///   - plan: the plan.
    ///   - job: the Job as the server returned it.
    public static func recordCreated(_ plan: CronJobPlan, job: JSONValue) -> BatchV1.CronJobStatus {
        var status = plan.status
        if !(status.active ?? []).contains(where: { $0.uid == job.metadata.uid }) {
            status.active = (status.active ?? []) + [CoreV1.ObjectReference(
                apiVersion: ResourceKind.job.apiVersion, kind: ResourceKind.job.kind, name: job.metadata.name,
                namespace: job.metadata.namespace, resourceVersion: job.metadata.resourceVersion, uid: job.metadata.uid)]
        }
        status.lastScheduleTime = plan.scheduledTime?.rfc3339
        return status
    }

    /// Upstream `getJobName`: the CronJob's name and the scheduled time in minutes since the epoch.
    /// - Parameters:
    ///   - cronJob: the CronJob's name.
    ///   - scheduled: the scheduled time.
    public static func jobName(_ cronJob: String, scheduled: KubeTime) -> String {
        "\(cronJob)-\(scheduled.seconds / 60)"
    }

    /// Upstream `getJobFromTemplate2`: the template's labels, annotations and spec, the scheduled time as an
    /// annotation (RFC 3339 in the CronJob's zone), and the controller reference.
    /// - Parameters:
    ///   - cronJob: the CronJob.
    ///   - scheduled: the scheduled time.
    ///   - zone: the CronJob's zone.
    public static func job(for cronJob: JSONValue, scheduled: KubeTime, zone: TimeZone) -> JSONValue {
        let template = cronJob[path: ["spec", "jobTemplate"]] ?? .emptyObject
        var meta = ObjectMetaView()
        meta.name = jobName(cronJob.metadata.name ?? "", scheduled: scheduled)
        meta.namespace = cronJob.metadata.namespace
        meta.labels = template.metadata.labels
        meta.annotations = template.metadata.annotations
        meta.annotations[scheduledTimestampAnnotation] = rfc3339(scheduled, in: zone)
        meta.ownerReferences = [ControllerRef.new(owner: cronJob, kind: .cronJob)]
        var job: JSONValue = ["apiVersion": .string(ResourceKind.job.apiVersion), "kind": .string(ResourceKind.job.kind)]
        job.metadata = meta
        job["spec"] = template["spec"] ?? .emptyObject
        return job
    }

    /// The CronJob's status as a typed value (empty when absent).
    static func status(_ cronJob: JSONValue) -> BatchV1.CronJobStatus {
        (try? (cronJob["status"] ?? .emptyObject).decode(as: BatchV1.CronJobStatus.self)) ?? BatchV1.CronJobStatus()
    }

    /// The status as Go writes it: an empty `active` list left out.
    static func json(_ status: BatchV1.CronJobStatus) -> JSONValue {
        var status = status
        if status.active?.isEmpty == true { status.active = nil }
        return StatusJSON.encode(status)
    }

    /// Go's `time.RFC3339` in a zone: "2026-01-02T09:00:00+01:00", "Z" for UTC.
    static func rfc3339(_ time: KubeTime, in zone: TimeZone) -> String {
        let offset = zone.secondsFromGMT(for: time.date)
        let local = KubeTime(seconds: time.seconds + Int64(offset)).rfc3339.dropLast()
        guard offset != 0 else { return local + "Z" }
        let magnitude = abs(offset) / 60
        let sign = offset < 0 ? "-" : "+"
        return local + sign + String(format: "%02d:%02d", magnitude / 60, magnitude % 60)
    }

    /// Go's `time.RFC1123Z` in UTC: "Mon, 02 Jan 2006 15:04:05 +0000".
    static func rfc1123(_ time: KubeTime) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        return formatter.string(from: time.date)
    }
}
