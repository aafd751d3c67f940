import Foundation
import Synchronization
import KubeAPI
import Testing
@testable import Scheduler

struct SchedulerLoopTests {
    actor FakeCluster: SchedulerCluster {
        var nodeList: [JSONValue]
        var podList: [JSONValue]
        var events: [(String, String?)] = []
        init(nodes: [JSONValue], pods: [JSONValue]) { nodeList = nodes; podList = pods }
        func nodes() async -> [JSONValue] { nodeList }
        func pods() async -> [JSONValue] { podList }
        func bind(namespace: String, name: String, uid: String, node: String) async throws {
            guard let index = podList.firstIndex(where: { $0.metadata.name == name }) else { return }
            podList[index][path: ["spec", "nodeName"]] = .string(node)
        }
        func report(pod: JSONValue, scheduled node: String?, message: String) async { events.append((message, node)) }
        func addNode(_ node: JSONValue) { nodeList.append(node) }
        func node(of name: String) -> String? { podList.first { $0.metadata.name == name }?[path: ["spec", "nodeName"]]?.string }
    }

    @Test func pendingPodsAreBoundAndUnfitOnesWaitForANode() async {
        let pods = (1...3).map { SchedulingAlgorithmTests.pod("p\($0)", cpu: "1") }
        let cluster = FakeCluster(nodes: [SchedulingAlgorithmTests.node("n1", cpu: "2")], pods: pods)
        let clock = Clock()
        let loop = SchedulerLoop(cluster: cluster, now: { clock.now })
        await loop.refresh(clusterChanged: false)
        #expect(await loop.scheduleAvailable() == 2, "the assumed pods count: only two 1-cpu pods fit 2 cpus")
        #expect(await cluster.podList.filter { $0[path: ["spec", "nodeName"]] == nil }.count == 1)
        let failure = await cluster.events.last?.0 ?? ""
        #expect(failure.hasPrefix("0/1 nodes are available: 1 Insufficient cpu."), "\(failure)")
        await cluster.addNode(SchedulingAlgorithmTests.node("n2", cpu: "2"))
        await loop.refresh(clusterChanged: true)
        #expect(await loop.scheduleAvailable() == 0, "released into its 1 s back-off")
        clock.advance(1)
        #expect(await loop.scheduleAvailable() == 1)
        #expect(await cluster.podList.allSatisfy { $0[path: ["spec", "nodeName"]] != nil }, "a new node releases the parked pod")
    }

    final class Clock: Sendable {
        private let current = Mutex(Date(timeIntervalSince1970: 1000))
        var now: Date { current.withLock { $0 } }
        func advance(_ seconds: TimeInterval) { current.withLock { $0 += seconds } }
    }

    /// Events instead of lists: a pod added is bound, its binding's update confirms the assumption, a status-only
    /// update of a parked pod leaves it parked (no FailedScheduling storm), and a deleted pod frees its room.
    @Test func eventsKeepTheCacheAndStatusWritesDoNotRequeue() async {
        let cluster = FakeCluster(nodes: [], pods: [])
        let clock = Clock()
        let loop = SchedulerLoop(cluster: cluster, now: { clock.now })
        await loop.apply(node: .added(SchedulingAlgorithmTests.node("n1", cpu: "1")))
        let first = SchedulingAlgorithmTests.pod("a", cpu: "1"), second = SchedulingAlgorithmTests.pod("b", cpu: "1")
        await loop.apply(pod: .added(first))
        await loop.apply(pod: .added(second))
        #expect(await loop.scheduleAvailable() == 1)
        #expect(await cluster.events.count == 2, "one Scheduled, one FailedScheduling")
        var boundFirst = first
        boundFirst[path: ["spec", "nodeName"]] = "n1"
        await loop.apply(pod: .updated(old: first, new: boundFirst))
        var conditioned = second
        conditioned[path: ["status", "conditions"]] = [["type": "PodScheduled", "status": "False"]]
        await loop.apply(pod: .updated(old: second, new: conditioned))
        clock.advance(30)
        #expect(await loop.scheduleAvailable() == 0)
        #expect(await cluster.events.count == 2, "a status write does not retry the parked pod")
        // A heartbeat of the node is no reason to try again; a new node is.
        let node = SchedulingAlgorithmTests.node("n1", cpu: "1")
        var beat = node
        beat[path: ["status", "conditions"]] = [["type": "Ready", "status": "True", "lastHeartbeatTime": "2026-01-01T00:00:10Z"]]
        await loop.apply(node: .updated(old: node, new: beat))
        clock.advance(30)
        #expect(await loop.scheduleAvailable() == 0)
        #expect(await cluster.events.count == 2, "a node heartbeat does not retry the parked pod")
        #expect(SchedulerLoop.schedulingRelevant(SchedulingAlgorithmTests.node("n", unschedulable: true), SchedulingAlgorithmTests.node("n")))
        #expect(!SchedulerLoop.schedulingRelevant(SchedulingAlgorithmTests.node("n"), SchedulingAlgorithmTests.node("n", unschedulable: true)))
        let taint: JSONValue = ["key": "k", "effect": "NoSchedule"]
        #expect(!SchedulerLoop.schedulingRelevant(SchedulingAlgorithmTests.node("n"), SchedulingAlgorithmTests.node("n", taints: [taint])))
        #expect(SchedulerLoop.schedulingRelevant(SchedulingAlgorithmTests.node("n", taints: [taint]), SchedulingAlgorithmTests.node("n")))
        #expect(SchedulerLoop.schedulingRelevant(SchedulingAlgorithmTests.node("n", cpu: "1"), SchedulingAlgorithmTests.node("n", cpu: "2")))
        await loop.apply(pod: .deleted(boundFirst))
        clock.advance(30)
        #expect(await loop.scheduleAvailable() == 1, "the deletion freed the cpu")
        #expect(await cluster.events.last?.1 == "n1", "b went to n1")
    }

    /// Pod and node events come on separate streams: a bound pod seen before its node still counts once the node
    /// arrives (a restarted scheduler must not overcommit nodes that already run pods).
    @Test func podsSeenBeforeTheirNodeStillCount() async {
        let cluster = FakeCluster(nodes: [], pods: [])
        let loop = SchedulerLoop(cluster: cluster)
        var running = SchedulingAlgorithmTests.pod("running", cpu: "1")
        running[path: ["spec", "nodeName"]] = "n1"
        await loop.apply(pod: .added(running))
        await loop.apply(node: .added(SchedulingAlgorithmTests.node("n1", cpu: "1")))
        await loop.apply(pod: .added(SchedulingAlgorithmTests.pod("new", cpu: "1")))
        #expect(await loop.scheduleAvailable() == 0)
        #expect(await cluster.events.last?.0.hasPrefix("0/1 nodes are available: 1 Insufficient cpu.") == true)
    }

    @Test func onlyPendingPodsOfThisSchedulerAreTaken() {
        var other = SchedulingAlgorithmTests.pod("x")
        other[path: ["spec", "schedulerName"]] = "custom"
        #expect(!SchedulerLoop.needsScheduling(other))
        var bound = SchedulingAlgorithmTests.pod("y")
        bound[path: ["spec", "nodeName"]] = "n1"
        #expect(!SchedulerLoop.needsScheduling(bound))
        #expect(SchedulerLoop.needsScheduling(SchedulingAlgorithmTests.pod("z")))
    }
}
