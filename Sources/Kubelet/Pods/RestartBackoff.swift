import Foundation

/// CrashLoopBackOff timing (upstream: 10 s, doubling, at most 5 minutes; forgotten after a container ran for
/// 10 minutes): when a restarting container may start again.
public struct RestartBackoff: Sendable {
    public static let initial: TimeInterval = 10
    public static let maximum: TimeInterval = 300
    public static let resetAfter: TimeInterval = 600

    private var delays: [String: TimeInterval] = [:]

    public init() {}

    /// The delay before the next start of `key` (pod uid + container name) whose last run ended at `finishedAt`
    /// after starting at `startedAt`; records the doubling.
    public mutating func nextDelay(for key: String, startedAt: Date?, finishedAt: Date) -> TimeInterval {
        if let startedAt, finishedAt.timeIntervalSince(startedAt) >= Self.resetAfter { delays[key] = nil }
        let delay = delays[key].map { min($0 * 2, Self.maximum) } ?? Self.initial
        delays[key] = delay
        return delay
    }

    /// Forgets a container (its pod is gone).
    public mutating func forget(prefix: String) {
        delays = delays.filter { !$0.key.hasPrefix(prefix) }
    }
}
