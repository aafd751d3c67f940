import Foundation
import KubeAPI
import Testing
@testable import ControllerManager

struct CronScheduleTests {
    static let utc = TimeZone(identifier: "UTC")!

    static func at(_ text: String) -> KubeTime { (try? KubeTime(rfc3339: text)) ?? KubeTime(seconds: 0) }

    /// The next fire time after `after`, as RFC 3339 UTC.
    static func next(_ spec: String, after: String, zone: TimeZone = utc) throws -> String? {
        try CronSchedule(parsing: spec, timeZone: zone).next(after: at(after))?.rfc3339
    }

    @Test func everyFieldFormMatches() throws {
        #expect(try Self.next("* * * * *", after: "2025-07-01T10:00:30Z") == "2025-07-01T10:01:00Z")
        #expect(try Self.next("* * * * *", after: "2025-07-01T10:00:00Z") == "2025-07-01T10:01:00Z", "strictly after")
        #expect(try Self.next("*/15 * * * *", after: "2025-07-01T10:01:00Z") == "2025-07-01T10:15:00Z")
        #expect(try Self.next("5/20 * * * *", after: "2025-07-01T10:26:00Z") == "2025-07-01T10:45:00Z", "a/n means a-max/n")
        #expect(try Self.next("0 6-16/4 * * *", after: "2025-07-01T11:00:00Z") == "2025-07-01T14:00:00Z")
        #expect(try Self.next("0 0 1,15 * *", after: "2025-07-02T00:00:00Z") == "2025-07-15T00:00:00Z")
        #expect(try Self.next("30 12 * jan-mar *", after: "2025-07-01T00:00:00Z") == "2026-01-01T12:30:00Z")
        #expect(try Self.next("0 9 * * MON-Fri", after: "2025-07-04T09:00:00Z") == "2025-07-07T09:00:00Z", "names in any case")
        #expect(try Self.next("5 4 * * sun", after: "2025-07-01T00:00:00Z") == "2025-07-06T04:05:00Z")
        #expect(try Self.next("0 0 ? * 0", after: "2025-07-01T00:00:00Z") == "2025-07-06T00:00:00Z", "? is *")
    }

    @Test func descriptors() throws {
        let after = "2025-07-15T10:20:00Z"
        #expect(try Self.next("@hourly", after: after) == "2025-07-15T11:00:00Z")
        #expect(try Self.next("@daily", after: after) == "2025-07-16T00:00:00Z")
        #expect(try Self.next("@midnight", after: after) == "2025-07-16T00:00:00Z")
        #expect(try Self.next("@weekly", after: after) == "2025-07-20T00:00:00Z")
        #expect(try Self.next("@monthly", after: after) == "2025-08-01T00:00:00Z")
        #expect(try Self.next("@yearly", after: after) == "2026-01-01T00:00:00Z")
        #expect(try Self.next("@annually", after: after) == "2026-01-01T00:00:00Z")
    }

    @Test func restrictedDayOfMonthAndWeekdayMatchEither() throws {
        // 13th or Friday: 2025-07-11 is a Friday, the 13th a Sunday.
        #expect(try Self.next("0 0 13 * 5", after: "2025-07-05T00:00:00Z") == "2025-07-11T00:00:00Z")
        #expect(try Self.next("0 0 13 * 5", after: "2025-07-11T00:00:00Z") == "2025-07-13T00:00:00Z")
        // With `*` in one day field, both must match: Mondays only.
        #expect(try Self.next("0 0 * * 1", after: "2025-07-08T00:00:00Z") == "2025-07-14T00:00:00Z")
        // A step makes the field restricted (robfig): odd days or Mondays, and Monday the 14th is even.
        #expect(try Self.next("0 0 */2 * 1", after: "2025-07-13T00:00:00Z") == "2025-07-14T00:00:00Z")
    }

    @Test func monthEndsAndLeapYears() throws {
        #expect(try Self.next("0 0 31 * *", after: "2025-04-01T00:00:00Z") == "2025-05-31T00:00:00Z")
        #expect(try Self.next("0 0 29 2 *", after: "2025-03-01T00:00:00Z") == "2028-02-29T00:00:00Z")
        #expect(try Self.next("59 23 31 12 *", after: "2025-12-31T23:58:00Z") == "2025-12-31T23:59:00Z")
        #expect(try Self.next("0 0 1 * *", after: "2025-12-31T23:59:00Z") == "2026-01-01T00:00:00Z")
        #expect(try Self.next("0 0 30 2 *", after: "2025-01-01T00:00:00Z") == nil, "February 30th never comes")
    }

    @Test func timeZonesFollowTheWallClock() throws {
        let newYork = try #require(TimeZone(identifier: "America/New_York"))
        // 02:00 does not exist on 2025-03-09 (clocks jump to 03:00): that day is skipped.
        #expect(try Self.next("0 2 * * *", after: "2025-03-08T07:00:00Z", zone: newYork) == "2025-03-10T06:00:00Z")
        // 01:30 happens twice on 2025-11-02 (EDT, then EST): both fire.
        #expect(try Self.next("30 1 * * *", after: "2025-11-02T05:00:00Z", zone: newYork) == "2025-11-02T05:30:00Z")
        #expect(try Self.next("30 1 * * *", after: "2025-11-02T05:30:00Z", zone: newYork) == "2025-11-02T06:30:00Z")
        let paris = try #require(TimeZone(identifier: "Europe/Paris"))
        #expect(try Self.next("0 9 * * *", after: "2025-01-15T00:00:00Z", zone: paris) == "2025-01-15T08:00:00Z")
        #expect(try Self.next("0 9 * * *", after: "2025-07-15T00:00:00Z", zone: paris) == "2025-07-15T07:00:00Z")
        #expect(try Self.next("TZ=Asia/Kolkata 0 9 * * *", after: "2025-07-15T00:00:00Z") == "2025-07-15T03:30:00Z")
        #expect(try Self.next("CRON_TZ=UTC 0 9 * * *", after: "2025-07-15T00:00:00Z", zone: paris) == "2025-07-15T09:00:00Z")
    }

    @Test func malformedSchedulesSayWhy() {
        let cases = [
            ("", "empty spec string"),
            ("* * * *", "expected exactly 5 fields, found 4: [* * * *]"),
            ("60 * * * *", "end of range (60) above maximum (59): 60"),
            ("* * 0 * *", "beginning of range (0) below minimum (1): 0"),
            ("5-1 * * * *", "beginning of range (5) beyond end of range (1): 5-1"),
            ("*/0 * * * *", "step of range should be a positive number: */0"),
            ("1-2-3 * * * *", "too many hyphens: 1-2-3"),
            ("1/2/3 * * * *", "too many slashes: 1/2/3"),
            ("foo * * * *", "failed to parse int from foo"),
            ("* * * * 7", "end of range (7) above maximum (6): 7"),
            ("@every 5m", "unrecognized descriptor: @every 5m"),
            ("TZ=Mars/Olympus * * * * *", "provided bad location Mars/Olympus: unknown time zone Mars/Olympus"),
        ]
        for (spec, message) in cases {
            #expect(throws: CronParseError(description: message), "\(spec)") { try CronSchedule(parsing: spec, timeZone: Self.utc) }
        }
    }
}

struct CronJobTests {
    static let utc = TimeZone(identifier: "UTC")!
    let sync = CronJobSync(localZone: CronJobTests.utc)

    static func cronJob(schedule: String = "*/5 * * * *", createdAt: String = "2025-07-01T10:00:30Z", policy: String = "Allow",
                        suspend: Bool = false, startingDeadline: Int64? = nil, timeZone: String? = nil,
                        status: JSONValue? = nil) -> JSONValue {
        var cronJob: JSONValue = [
            "apiVersion": "batch/v1", "kind": "CronJob",
            "metadata": ["name": "backup", "namespace": "default", "uid": "cj-uid", "creationTimestamp": .string(createdAt)],
            "spec": ["schedule": .string(schedule), "concurrencyPolicy": .string(policy), "suspend": .bool(suspend),
                     "successfulJobsHistoryLimit": 3, "failedJobsHistoryLimit": 1,
                     "jobTemplate": ["metadata": ["labels": ["app": "backup"], "annotations": ["team": "ops"]],
                                     "spec": ["backoffLimit": 2, "template": ["spec": ["restartPolicy": "Never",
                                                                                       "containers": [["name": "c", "image": "busybox"]]]]]]],
        ]
        if let startingDeadline { cronJob[path: ["spec", "startingDeadlineSeconds"]] = .integer(startingDeadline) }
        if let timeZone { cronJob[path: ["spec", "timeZone"]] = .string(timeZone) }
        if let status { cronJob["status"] = status }
        return cronJob
    }

    /// A Job the CronJob owns; `finished` is "Complete" or "Failed".
    static func job(_ name: String, finished: String? = nil, started: String? = nil, completed: String? = nil) -> JSONValue {
        var job: JSONValue = ["apiVersion": "batch/v1", "kind": "Job",
                              "metadata": ["name": .string(name), "namespace": "default", "uid": .string("uid-" + name)]]
        job.metadata.ownerReferences = [ControllerRef.new(owner: cronJob(), kind: .cronJob)]
        if let started { job[path: ["status", "startTime"]] = .string(started) }
        if let completed { job[path: ["status", "completionTime"]] = .string(completed) }
        if let finished {
            job[path: ["status", "conditions"]] = [["type": .string(finished), "status": "True", "lastTransitionTime": .string(completed ?? started ?? "")]]
        }
        return job
    }

    static func ref(_ name: String) -> JSONValue {
        ["apiVersion": "batch/v1", "kind": "Job", "name": .string(name), "namespace": "default", "uid": .string("uid-" + name)]
    }

    static let now = CronScheduleTests.at("2025-07-01T10:07:00Z")

    @Test func theDueTimeCreatesANamedJobFromTheTemplate() throws {
        let plan = sync.plan(cronJob: Self.cronJob(), jobs: [], now: Self.now)
        let job = try #require(plan.create)
        let scheduled = CronScheduleTests.at("2025-07-01T10:05:00Z")
        #expect(plan.scheduledTime == scheduled)
        #expect(job.metadata.name == "backup-\(scheduled.seconds / 60)")
        #expect(job.metadata.name == "backup-29189405")
        #expect(job.metadata.labels == ["app": "backup"])
        #expect(job.metadata.annotations == ["team": "ops", "batch.kubernetes.io/cronjob-scheduled-timestamp": "2025-07-01T10:05:00Z"])
        #expect(job.metadata.ownerReferences == [OwnerReference(apiVersion: "batch/v1", kind: "CronJob", name: "backup", uid: "cj-uid",
                                                                controller: true, blockOwnerDeletion: true)])
        #expect(job[path: ["spec", "backoffLimit"]] == 2)
        #expect(plan.requeueAfter == .seconds(180) + .milliseconds(100), "10:10 is next")

        var created = job
        created.metadata.uid = "new-uid"
        created.metadata.resourceVersion = "7"
        let status = CronJobSync.json(CronJobSync.recordCreated(plan, job: created))
        #expect(status["lastScheduleTime"] == "2025-07-01T10:05:00Z")
        #expect(status["active"] == [["apiVersion": "batch/v1", "kind": "Job", "name": "backup-29189405", "namespace": "default",
                                      "resourceVersion": "7", "uid": "new-uid"]])
    }

    @Test func aTimeAlreadyStartedIsNotStartedAgain() {
        let status: JSONValue = ["lastScheduleTime": "2025-07-01T10:05:00Z", "active": [Self.ref("backup-29189405")]]
        let plan = sync.plan(cronJob: Self.cronJob(status: status), jobs: [Self.job("backup-29189405")], now: Self.now)
        #expect(plan.create == nil && plan.events.isEmpty)
        #expect(plan.requeueAfter == .seconds(180) + .milliseconds(100))
    }

    @Test func concurrencyPolicies() throws {
        let status: JSONValue = ["lastScheduleTime": "2025-07-01T10:00:00Z", "active": [Self.ref("backup-29189400")]]
        let running = [Self.job("backup-29189400", started: "2025-07-01T10:00:01Z")]
        let allow = sync.plan(cronJob: Self.cronJob(status: status), jobs: running, now: Self.now)
        #expect(allow.create != nil && allow.deletions.isEmpty)

        let forbid = sync.plan(cronJob: Self.cronJob(policy: "Forbid", status: status), jobs: running, now: Self.now)
        #expect(forbid.create == nil)
        #expect(forbid.events.map(\.reason) == ["JobAlreadyActive"])
        #expect(forbid.requeueAfter != nil)

        let replace = sync.plan(cronJob: Self.cronJob(policy: "Replace", status: status), jobs: running, now: Self.now)
        #expect(replace.create != nil)
        #expect(replace.deletions == [.delete(ObjectRef(kind: .job, namespace: "default", name: "backup-29189400", uid: "uid-backup-29189400"),
                                              propagationPolicy: "Background")])
        #expect(replace.status.active?.isEmpty == true)
        #expect(replace.events.map(\.reason) == ["SuccessfulDelete"])
    }

    @Test func suspendedCronJobsStartNothingAndWaitForAnUpdate() {
        let plan = sync.plan(cronJob: Self.cronJob(suspend: true), jobs: [], now: Self.now)
        #expect(plan.create == nil && plan.requeueAfter == nil)
    }

    @Test func missedSchedulesAndTheStartingDeadline() throws {
        // Created long ago and never run: the most recent time starts, with a warning past 100 misses.
        let old = sync.plan(cronJob: Self.cronJob(schedule: "* * * * *", createdAt: "2025-06-01T00:00:00Z"), jobs: [], now: Self.now)
        #expect(old.scheduledTime == Self.now)
        #expect(old.events.map(\.reason) == ["TooManyMissedTimes"])

        // Last run at 10:00; at 10:07 a 60 s deadline rules out 10:05, a 150 s one does not.
        let status: JSONValue = ["lastScheduleTime": "2025-07-01T10:00:00Z"]
        let strict = sync.plan(cronJob: Self.cronJob(startingDeadline: 60, status: status), jobs: [], now: Self.now)
        #expect(strict.create == nil)
        #expect(strict.requeueAfter == .seconds(180) + .milliseconds(100))
        let loose = sync.plan(cronJob: Self.cronJob(startingDeadline: 150, status: status), jobs: [], now: Self.now)
        #expect(loose.scheduledTime == CronScheduleTests.at("2025-07-01T10:05:00Z"))

        // Before the first time nothing is due.
        let early = sync.plan(cronJob: Self.cronJob(), jobs: [], now: CronScheduleTests.at("2025-07-01T10:04:00Z"))
        #expect(early.create == nil && early.requeueAfter == .seconds(60) + .milliseconds(100))
    }

    @Test func finishedJobsLeaveTheActiveListAndRecordTheLastSuccess() throws {
        let status: JSONValue = ["lastScheduleTime": "2025-07-01T10:05:00Z", "active": [Self.ref("backup-29189405")]]
        let done = Self.job("backup-29189405", finished: "Complete", started: "2025-07-01T10:05:01Z", completed: "2025-07-01T10:06:00Z")
        let first = sync.plan(cronJob: Self.cronJob(status: status), jobs: [done], now: Self.now)
        #expect(first.status.active?.isEmpty == true)
        #expect(first.events == [ControllerEvent(reason: "SawCompletedJob", message: "Saw completed job: backup-29189405, status: Complete")])
        var updated = Self.cronJob(status: status)
        updated["status"] = CronJobSync.json(first.status)
        let second = sync.plan(cronJob: updated, jobs: [done], now: Self.now)
        #expect(second.status.lastSuccessfulTime == "2025-07-01T10:06:00Z")
    }

    @Test func historyLimitsDeleteTheOldestFinishedJobs() {
        let complete = (0..<5).map { Self.job("ok-\($0)", finished: "Complete", started: "2025-07-01T0\($0):00:00Z") }
        let failed = (0..<3).map { Self.job("bad-\($0)", finished: "Failed", started: "2025-07-01T0\($0):30:00Z") }
        let running = Self.job("run", started: "2025-07-01T00:00:00Z")
        let status: JSONValue = ["lastScheduleTime": "2025-07-01T10:05:00Z", "active": [Self.ref("run")]]
        let plan = sync.plan(cronJob: Self.cronJob(status: status), jobs: complete.reversed() + failed + [running], now: Self.now)
        #expect(Fixtures.deletedNames(plan.deletions) == ["ok-0", "ok-1", "bad-0", "bad-1"])
        #expect(plan.deletions.allSatisfy { if case .delete(_, .some("Background"), _) = $0 { true } else { false } })
        #expect(plan.events.filter { $0.reason == "SuccessfulDelete" }.count == 4)
        #expect(plan.status.active?.map(\.name) == ["run"])
    }

    @Test func unexpectedAndMissingJobsAreReported() {
        let status: JSONValue = ["lastScheduleTime": "2025-07-01T10:05:00Z", "active": [Self.ref("backup-29189405"), Self.ref("slow")]]
        let plan = sync.plan(cronJob: Self.cronJob(status: status), jobs: [Self.job("stray")], missingJobs: ["backup-29189405"], now: Self.now)
        #expect(plan.unexpectedJobs == ["stray"])
        #expect(plan.events.map(\.reason) == ["UnexpectedJob", "MissingJob"])
        #expect(plan.status.active?.map(\.name) == ["slow"], "a Job the cache lacks but the server has stays")
    }

    @Test func timeZonesAndBadSchedulesAreReported() throws {
        let paris = sync.plan(cronJob: Self.cronJob(schedule: "5 12 * * *", createdAt: "2025-07-01T00:00:00Z", timeZone: "Europe/Paris"),
                              jobs: [], now: CronScheduleTests.at("2025-07-01T10:06:00Z"))
        #expect(paris.scheduledTime == CronScheduleTests.at("2025-07-01T10:05:00Z"))
        #expect(paris.create?.metadata.annotations["batch.kubernetes.io/cronjob-scheduled-timestamp"] == "2025-07-01T12:05:00+02:00")

        let unknown = sync.plan(cronJob: Self.cronJob(timeZone: "Nowhere/Land"), jobs: [], now: Self.now)
        #expect(unknown.create == nil && unknown.requeueAfter == nil)
        #expect(unknown.events.map(\.reason) == ["UnknownTimeZone"])
        let unparseable = sync.plan(cronJob: Self.cronJob(schedule: "every day"), jobs: [], now: Self.now)
        #expect(unparseable.events.map(\.reason) == ["UnparseableSchedule"])
        let impossible = sync.plan(cronJob: Self.cronJob(schedule: "0 0 30 2 *"), jobs: [], now: Self.now)
        #expect(impossible.events.map(\.reason) == ["InvalidSchedule"])
        let tz = sync.plan(cronJob: Self.cronJob(schedule: "TZ=UTC */5 * * * *"), jobs: [], now: Self.now)
        #expect(tz.events.map(\.reason) == ["UnsupportedSchedule"] && tz.create != nil)
    }

    @Test func aDeletingCronJobOnlyTidiesItsStatus() {
        var cronJob = Self.cronJob(status: ["active": [Self.ref("gone")]])
        cronJob[path: ["metadata", "deletionTimestamp"]] = "2025-07-01T10:06:00Z"
        let plan = sync.plan(cronJob: cronJob, jobs: [], missingJobs: ["gone"], now: Self.now)
        #expect(plan.create == nil && plan.requeueAfter == nil)
        #expect(plan.status.active?.isEmpty == true)
    }
}
