import Foundation
import KubeAPI
import Testing
@testable import Scheduler

struct SchedulingQueueTests {
    static func pod(_ name: String, priority: Int64 = 0) -> JSONValue {
        ["metadata": ["name": .string(name), "namespace": "default"], "spec": ["priority": .integer(priority)]]
    }

    @Test func priorityThenAgeThenBackoffAndParking() {
        var queue = SchedulingQueue()
        let t0 = Date(timeIntervalSince1970: 1000)
        queue.add(Self.pod("old"), now: t0)
        queue.add(Self.pod("new"), now: t0.addingTimeInterval(1))
        queue.add(Self.pod("urgent", priority: 2_000_000_000), now: t0.addingTimeInterval(2))
        #expect(queue.pop(now: t0)?.pod.metadata.name == "urgent")
        let old = queue.pop(now: t0)
        #expect(old?.pod.metadata.name == "old")
        if let old { queue.requeue(old, unschedulable: false, now: t0) }
        #expect(queue.pop(now: t0)?.pod.metadata.name == "new")
        #expect(queue.pop(now: t0) == nil, "old is backing off for 1 s")
        let retried = queue.pop(now: t0.addingTimeInterval(1.5))
        #expect(retried?.pod.metadata.name == "old" && retried?.attempts == 1)
        if let retried { queue.requeue(retried, unschedulable: true, now: t0.addingTimeInterval(2)) }
        #expect(queue.pop(now: t0.addingTimeInterval(60)) == nil, "parked until something changes")
        queue.clusterChanged(now: t0.addingTimeInterval(60))
        #expect(queue.pop(now: t0.addingTimeInterval(60))?.pod.metadata.name == "old")
        queue.remove(namespace: "default", name: "old")
        #expect(queue.count == 0)
    }
}
