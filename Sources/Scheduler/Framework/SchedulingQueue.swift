import Foundation
import KubeAPI

/// The scheduler's queue (upstream `PriorityQueue`): pods waiting to be scheduled, highest priority first (then
/// oldest); pods that failed wait out a back-off (1 s doubling to 10 s); pods that fit nowhere park as
/// unschedulable until a cluster event (a node added or changed, a pod deleted) may have made room for them, or
/// for at most `unschedulableTimeout`.
public struct SchedulingQueue: Sendable {
    public struct Entry: Sendable {
        public var pod: JSONValue
        public var attempts: Int
        public var enqueued: Date
        var key: String { (pod.metadata.namespace ?? "") + "/" + (pod.metadata.name ?? "") }
        var priority: Int64 { pod[path: ["spec", "priority"]]?.int64 ?? 0 }
    }

    public static let initialBackoff: TimeInterval = 1
    public static let maxBackoff: TimeInterval = 10
    public static let unschedulableTimeout: TimeInterval = 300

    private var active: [String: Entry] = [:]
    private var backoff: [String: (entry: Entry, until: Date)] = [:]
    private var unschedulable: [String: (entry: Entry, since: Date)] = [:]

    public init() {}

    public var count: Int { active.count + backoff.count + unschedulable.count }

    /// A new or updated pending pod: it goes (back) to the active queue, keeping its attempts.
    public mutating func add(_ pod: JSONValue, now: Date) {
        let key = (pod.metadata.namespace ?? "") + "/" + (pod.metadata.name ?? "")
        let attempts = active[key]?.attempts ?? backoff[key]?.entry.attempts ?? unschedulable[key]?.entry.attempts ?? 0
        backoff[key] = nil
        unschedulable[key] = nil
        active[key] = Entry(pod: pod, attempts: attempts, enqueued: active[key]?.enqueued ?? now)
    }

    /// The pod was bound, deleted, or is no longer pending.
    public mutating func remove(namespace: String, name: String) {
        let key = namespace + "/" + name
        active[key] = nil
        backoff[key] = nil
        unschedulable[key] = nil
    }

    /// The next pod to schedule: back-offs that expired join first.
    public mutating func pop(now: Date) -> Entry? {
        flush(now: now)
        guard let next = active.values.min(by: { lhs, rhs in
            lhs.priority != rhs.priority ? lhs.priority > rhs.priority : lhs.enqueued < rhs.enqueued
        }) else { return nil }
        active[next.key] = nil
        return next
    }

    /// A scheduling attempt failed: unschedulable pods park, errors back off.
    public mutating func requeue(_ entry: Entry, unschedulable isUnschedulable: Bool, now: Date) {
        var entry = entry
        entry.attempts += 1
        if isUnschedulable {
            unschedulable[entry.key] = (entry, now)
        } else {
            let delay = min(Self.maxBackoff, Self.initialBackoff * pow(2, Double(entry.attempts - 1)))
            backoff[entry.key] = (entry, now.addingTimeInterval(delay))
        }
    }

    /// Something changed that may let parked pods fit: they go through back-off (if still due) to the active queue.
    public mutating func clusterChanged(now: Date) {
        for (key, parked) in unschedulable {
            let delay = min(Self.maxBackoff, Self.initialBackoff * pow(2, Double(max(0, parked.entry.attempts - 1))))
            backoff[key] = (parked.entry, parked.since.addingTimeInterval(delay))
        }
        unschedulable.removeAll()
        flush(now: now)
    }

    /// How long until a back-off expires (to sleep precisely); nil when none waits.
    public func nextBackoffExpiry() -> Date? { backoff.values.map(\.until).min() }

    private mutating func flush(now: Date) {
        for (key, waiting) in backoff where waiting.until <= now {
            active[key] = waiting.entry
            backoff[key] = nil
        }
        for (key, parked) in unschedulable where now.timeIntervalSince(parked.since) >= Self.unschedulableTimeout {
            active[key] = parked.entry
            unschedulable[key] = nil
        }
    }
}
