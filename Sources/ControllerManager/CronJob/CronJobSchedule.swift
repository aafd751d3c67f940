import KubeAPI

/// Upstream's schedule arithmetic for a CronJob (`mostRecentScheduleTime`, `nextScheduleTime`,
/// `nextScheduleTimeDuration` in `cronjob/utils.go`): which scheduled time, if any, is due now, and when to look
/// again.
public enum CronJobSchedule {
    /// How many start times were missed since the last one: none, a few, or more than 100 (a clock far off or a
    /// controller long down; upstream warns with TooManyMissedTimes).
    public enum Missed: Sendable, Hashable { case none, few, many }

    /// Upstream `nextScheduleDelta`: the requeue lands just after the scheduled time, not just before it.
    public static let requeueDelta: Duration = .milliseconds(100)

    /// The most recent due time (upstream `mostRecentScheduleTime`).
    /// - Parameters:
    ///   - cronJob: the CronJob (its creation time and `status.lastScheduleTime` bound the search).
    ///   - schedule: its parsed schedule.
    ///   - now: the current time.
    ///   - includeStartingDeadline: also ignore times older than `startingDeadlineSeconds`.
    /// - Returns: the time searched from, the latest scheduled time in (earliest, now] (nil if none), how many were
    ///   missed, and an error text for a schedule that never fires twice (February 30th).
    public static func mostRecent(_ cronJob: JSONValue, schedule: CronSchedule, now: KubeTime, includeStartingDeadline: Bool)
        -> (earliest: KubeTime, time: KubeTime?, missed: Missed, error: String?)
    {
        var earliest = cronJob.metadata.creationTimestamp ?? now
        if let last = JobView.time(cronJob[path: ["status", "lastScheduleTime"]]) { earliest = last }
        if includeStartingDeadline, let deadline = cronJob[path: ["spec", "startingDeadlineSeconds"]]?.int64 {
            let limit = now.adding(seconds: -deadline)
            if limit > earliest { earliest = limit }
        }
        let invalid = "time difference between two schedules is less than 1 second"
        guard let first = schedule.next(after: earliest) else { return (earliest, nil, .none, invalid) }
        if now < first { return (earliest, nil, .none, nil) }
        guard let second = schedule.next(after: first) else { return (earliest, nil, .none, invalid) }
        if now < second { return (earliest, first, .none, nil) }
        let interval = second.seconds - first.seconds
        guard interval >= 1 else { return (earliest, nil, .none, invalid) }
        // A rough count of the missed times from the gap between the first two, then a walk over the last few.
        let missedCount = (now.seconds - first.seconds) / interval + 1
        var cursor: KubeTime? = first.adding(seconds: (missedCount - 2) * interval)
        var latest: KubeTime?
        while let current = cursor, let next = schedule.next(after: current), next <= now {
            latest = next
            cursor = next
        }
        let missed: Missed = missedCount > 100 ? .many : .few
        return (earliest, latest, missed, nil)
    }

    /// The scheduled time to start a Job for now, nil when none is due (upstream `nextScheduleTime`).
    /// - Parameters:
    ///   - cronJob: the CronJob.
    ///   - schedule: its parsed schedule.
    ///   - now: the current time.
    public static func due(_ cronJob: JSONValue, schedule: CronSchedule, now: KubeTime) -> (time: KubeTime?, missed: Missed, error: String?) {
        let result = mostRecent(cronJob, schedule: schedule, now: now, includeStartingDeadline: true)
        guard let time = result.time, time <= now else { return (nil, result.missed, result.error) }
        return (time, result.missed, result.error)
    }

    /// How long until the next scheduled time, plus `requeueDelta` (upstream `nextScheduleTimeDuration`); nil when
    /// the schedule never fires again.
    /// - Parameters:
    ///   - cronJob: the CronJob, with `status.lastScheduleTime` as it will be stored.
    ///   - schedule: its parsed schedule.
    ///   - now: the current time.
    public static func requeueAfter(_ cronJob: JSONValue, schedule: CronSchedule, now: KubeTime) -> Duration? {
        let result = mostRecent(cronJob, schedule: schedule, now: now, includeStartingDeadline: false)
        let from: KubeTime
        if result.error != nil {
            from = now
        } else if let time = result.time {
            from = time
        } else {
            from = result.missed == .none ? result.earliest : now
        }
        guard let next = schedule.next(after: from) else { return nil }
        let seconds = Duration.seconds(next.seconds - now.seconds) - .nanoseconds(Int64(now.nanoseconds))
        return seconds + requeueDelta
    }
}
