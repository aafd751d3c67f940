import Foundation
import KubeAPI

/// The scheduler's queue (upstream `PriorityQueue`): pods waiting to be scheduled, highest priority first (then
/// oldest); pods that failed wait out a back-off (1 s doubling to 10 s); pods that fit nowhere park as
/// unschedulable until a cluster event (a node added or changed, a pod deleted) may have made room for them, or
/// for at most `unschedulableTimeout`. The active pods are a binary heap (with stale entries skipped on pop), so
/// a queue of thousands of pods costs O(log n) per pop.
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

    /// A heap slot: the ordering fields and the generation of the active entry it stands for.
    private struct Slot: Sendable {
        var priority: Int64
        var enqueued: Date
        var sequence: Int
        var key: String
        /// Pops first: higher priority, then earlier, then first added.
        func precedes(_ other: Slot) -> Bool {
            if priority != other.priority { return priority > other.priority }
            if enqueued != other.enqueued { return enqueued < other.enqueued }
            return sequence < other.sequence
        }
    }

    private var active: [String: (entry: Entry, sequence: Int)] = [:]
    private var heap: [Slot] = []
    private var nextSequence = 0
    private var backoff: [String: (entry: Entry, until: Date)] = [:]
    private var unschedulable: [String: (entry: Entry, since: Date)] = [:]

    public init() {}

    public var count: Int { active.count + backoff.count + unschedulable.count }
    /// Pods ready to be popped now (back-offs not yet flushed excluded).
    public var activeCount: Int { active.count }

    /// A new or updated pending pod: it goes (back) to the active queue, keeping its attempts.
    public mutating func add(_ pod: JSONValue, now: Date) {
        let key = (pod.metadata.namespace ?? "") + "/" + (pod.metadata.name ?? "")
        let attempts = active[key]?.entry.attempts ?? backoff[key]?.entry.attempts ?? unschedulable[key]?.entry.attempts ?? 0
        backoff[key] = nil
        unschedulable[key] = nil
        if var current = active[key] {
            // Already waiting: take the newer object; reorder only if its priority changed.
            let oldPriority = current.entry.priority
            current.entry.pod = pod
            if current.entry.priority == oldPriority {
                active[key] = current
                return
            }
            push(current.entry)
            return
        }
        push(Entry(pod: pod, attempts: attempts, enqueued: now))
    }

    /// A newer version of a pod that may be waiting: an active or backing-off pod takes it in place; a parked pod
    /// takes it and goes back to the active queue only when something the scheduler looks at changed (spec,
    /// labels), not for status writes such as its own PodScheduled condition (upstream `isPodUpdated`). A pod not
    /// in the queue is added.
    public mutating func update(_ pod: JSONValue, now: Date) {
        let key = (pod.metadata.namespace ?? "") + "/" + (pod.metadata.name ?? "")
        if var parked = unschedulable[key] {
            let relevant = parked.entry.pod["spec"] != pod["spec"] || parked.entry.pod.metadata.labels != pod.metadata.labels
            parked.entry.pod = pod
            if relevant { add(pod, now: now) } else { unschedulable[key] = parked }
        } else if var waiting = backoff[key] {
            waiting.entry.pod = pod
            backoff[key] = waiting
        } else {
            add(pod, now: now)
        }
    }

    /// Whether the pod waits in any part of the queue.
    public func contains(namespace: String, name: String) -> Bool {
        let key = namespace + "/" + name
        return active[key] != nil || backoff[key] != nil || unschedulable[key] != nil
    }

    /// The pod was bound, deleted, or is no longer pending.
    public mutating func remove(namespace: String, name: String) {
        let key = namespace + "/" + name
        active[key] = nil
        backoff[key] = nil
        unschedulable[key] = nil
    }

    /// Drops every pod whose "namespace/name" is not in `live` (they are gone from the cluster).
    public mutating func removeAll(notIn live: Set<String>) {
        active = active.filter { live.contains($0.key) }
        backoff = backoff.filter { live.contains($0.key) }
        unschedulable = unschedulable.filter { live.contains($0.key) }
    }

    /// The next pod to schedule: back-offs that expired join first.
    public mutating func pop(now: Date) -> Entry? {
        flush(now: now)
        return popActive()
    }

    /// The next active pod, without looking at back-offs (call `flush` once per batch instead).
    public mutating func popActive() -> Entry? {
        while let top = heap.first {
            removeTop()
            guard let current = active[top.key], current.sequence == top.sequence else { continue }
            active[top.key] = nil
            return current.entry
        }
        return nil
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
        guard !unschedulable.isEmpty else { return }
        for (key, parked) in unschedulable {
            let delay = min(Self.maxBackoff, Self.initialBackoff * pow(2, Double(max(0, parked.entry.attempts - 1))))
            backoff[key] = (parked.entry, parked.since.addingTimeInterval(delay))
        }
        unschedulable.removeAll()
        flush(now: now)
    }

    /// How long until a back-off expires (to sleep precisely); nil when none waits.
    public func nextBackoffExpiry() -> Date? { backoff.values.map(\.until).min() }

    /// Moves expired back-offs, and pods parked longer than `unschedulableTimeout`, to the active queue.
    public mutating func flush(now: Date) {
        for (key, waiting) in backoff where waiting.until <= now {
            backoff[key] = nil
            push(waiting.entry)
        }
        for (key, parked) in unschedulable where now.timeIntervalSince(parked.since) >= Self.unschedulableTimeout {
            unschedulable[key] = nil
            push(parked.entry)
        }
    }

    // MARK: - Heap

    private mutating func push(_ entry: Entry) {
        let sequence = nextSequence
        nextSequence += 1
        active[entry.key] = (entry, sequence)
        heap.append(Slot(priority: entry.priority, enqueued: entry.enqueued, sequence: sequence, key: entry.key))
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].precedes(heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
        // Stale slots (re-pushed or removed keys) are dropped on pop; compact when they dominate.
        if heap.count > 64 && heap.count > 4 * active.count { rebuild() }
    }

    private mutating func removeTop() {
        let last = heap.removeLast()
        guard !heap.isEmpty else { return }
        heap[0] = last
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var first = parent
            if left < heap.count && heap[left].precedes(heap[first]) { first = left }
            if right < heap.count && heap[right].precedes(heap[first]) { first = right }
            if first == parent { return }
            heap.swapAt(parent, first)
            parent = first
        }
    }

    private mutating func rebuild() {
        let entries = active.values.sorted { $0.sequence < $1.sequence }
        heap = []
        active = [:]
        for item in entries {
            active[item.entry.key] = item
            heap.append(Slot(priority: item.entry.priority, enqueued: item.entry.enqueued, sequence: item.sequence, key: item.entry.key))
        }
        heap.sort { $0.precedes($1) }
    }
}
