import KubeAPI

/// How long a Job waits before replacing failed pods (upstream `backoffRecord`): 10 s after the last failure,
/// doubling with every further failure since the last success, at most 10 minutes. The controller keeps one record
/// per Job in memory, as upstream does; a restart forgets it.
public struct JobBackoff: Sendable, Hashable {
    /// Upstream `DefaultJobPodFailureBackOff`.
    public static let initialSeconds: Int64 = 10
    /// Upstream `MaxJobPodFailureBackOff`.
    public static let maxSeconds: Int64 = 600

    /// Failed pods counted since the last succeeded one.
    public var failuresAfterLastSuccess = 0
    /// When the most recent of those failed.
    public var lastFailureTime: KubeTime?

    /// No failures.
    public init(failuresAfterLastSuccess: Int = 0, lastFailureTime: KubeTime? = nil) {
        self.failuresAfterLastSuccess = failuresAfterLastSuccess
        self.lastFailureTime = lastFailureTime
    }

    /// The record after this sync's newly finished pods (upstream `newBackoffRecord`): a success resets the count
    /// to the failures that finished after it.
    /// - Parameters:
    ///   - succeeded: pods that newly succeeded.
    ///   - failed: pods that newly failed.
    public func adding(succeeded: [JSONValue], failed: [JSONValue]) -> JobBackoff {
        let failures = failed.map(JobPods.finishedTime).sorted()
        guard let lastSuccess = succeeded.map(JobPods.finishedTime).max() else {
            guard let last = failures.last else { return self }
            return JobBackoff(failuresAfterLastSuccess: failuresAfterLastSuccess + failures.count, lastFailureTime: last)
        }
        let after = failures.filter { $0 > lastSuccess }
        return JobBackoff(failuresAfterLastSuccess: after.count, lastFailureTime: after.last)
    }

    /// Seconds left before new pods may be created; 0 when they may be created now.
    /// - Parameters:
    ///   - now: the current time.
    public func remainingSeconds(now: KubeTime) -> Int64 {
        guard failuresAfterLastSuccess > 0, let lastFailureTime else { return 0 }
        var delay = Self.initialSeconds
        for _ in 1..<failuresAfterLastSuccess where delay < Self.maxSeconds { delay = min(delay * 2, Self.maxSeconds) }
        let elapsed = now.seconds - lastFailureTime.seconds
        return max(0, delay - elapsed)
    }
}
