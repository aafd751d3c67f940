import Foundation
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
        let loop = SchedulerLoop(cluster: cluster)
        await loop.refresh(clusterChanged: false)
        #expect(await loop.scheduleAvailable() == 2, "the assumed pods count: only two 1-cpu pods fit 2 cpus")
        #expect(await cluster.podList.filter { $0[path: ["spec", "nodeName"]] == nil }.count == 1)
        let failure = await cluster.events.last?.0 ?? ""
        #expect(failure.hasPrefix("0/1 nodes are available: 1 Insufficient cpu."), "\(failure)")
        await cluster.addNode(SchedulingAlgorithmTests.node("n2", cpu: "2"))
        await loop.refresh(clusterChanged: true)
        _ = await loop.scheduleAvailable()
        #expect(await cluster.podList.allSatisfy { $0[path: ["spec", "nodeName"]] != nil }, "a new node releases the parked pod")
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
