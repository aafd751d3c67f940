import KubeAPI
import Testing
@testable import ControllerManager

struct NodeLifecycleTests {
    let now = Fixtures.now

    func node(ready: String?, heartbeat: Int64 = 0, taints: [JSONValue] = []) -> JSONValue {
        var node = Fixtures.node("n1")
        node[path: ["status", "conditions"]] = ready.map { [["type": "Ready", "status": .string($0), "lastHeartbeatTime": Fixtures.time(heartbeat)]] } ?? []
        if !taints.isEmpty { node[path: ["spec", "taints"]] = .array(taints) }
        return node
    }

    @Test func theProbeClockRestartsOnlyWhenTheKubeletShowsLife() {
        let first = NodeHealth.observe(previous: nil, node: node(ready: "True", heartbeat: 100), lease: nil, now: now)
        #expect(first.observedAt == now)
        let later = now.adding(seconds: 30)
        #expect(NodeHealth.observe(previous: first, node: node(ready: "True", heartbeat: 100), lease: nil, now: later).observedAt == now)
        let lease: JSONValue = ["spec": ["renewTime": "2027-01-15T08:00:00.000000Z"]]
        #expect(NodeHealth.observe(previous: first, node: node(ready: "True", heartbeat: 100), lease: lease, now: later).observedAt == later)
    }

    @Test func silentNodesTurnUnknownAndAreTaintedUnreachable() throws {
        let unknown = try #require(NodeHealth.markedUnknown(node(ready: "True"), now: now))
        let conditions = unknown[path: ["status", "conditions"]]?.array ?? []
        #expect(StatusConditions.get(conditions, "Ready")?["reason"] == "NodeStatusUnknown")
        #expect(StatusConditions.get(conditions, "MemoryPressure")?["reason"] == "NodeStatusNeverUpdated")
        #expect(NodeHealth.markedUnknown(unknown, now: now) == nil)
        let taints = try #require(NodeHealth.taints(unknown, now: now))
        #expect(taints.map { "\($0["key"]?.string ?? ""):\($0["effect"]?.string ?? "")" }
                == ["node.kubernetes.io/unreachable:NoSchedule", "node.kubernetes.io/unreachable:NoExecute"])
    }

    @Test func readinessTaintsFollowTheReadyCondition() throws {
        let own: JSONValue = ["key": "dedicated", "value": "gpu", "effect": "NoSchedule"]
        let unreachable: JSONValue = ["key": "node.kubernetes.io/unreachable", "effect": "NoExecute", "timeAdded": Fixtures.time(60)]
        let notReady = try #require(NodeHealth.taints(node(ready: "False", taints: [own, unreachable]), now: now))
        #expect(notReady.map { $0["key"]?.string ?? "" } == ["dedicated", "node.kubernetes.io/not-ready", "node.kubernetes.io/not-ready"])
        #expect(NodeHealth.taints(node(ready: "True", taints: [own, unreachable]), now: now) == [own])
        #expect(NodeHealth.taints(node(ready: "True", taints: [own]), now: now) == nil)
    }

    @Test func noExecuteTaintsEvictUnlessTolerated() {
        let taint: JSONValue = ["key": "node.kubernetes.io/unreachable", "effect": "NoExecute", "timeAdded": Fixtures.time(10)]
        var pod = Fixtures.pod("p")
        #expect(TaintEviction.verdict(pod: pod, taints: [taint], now: now) == .evictNow)
        #expect(TaintEviction.verdict(pod: pod, taints: [["key": "x", "effect": "NoSchedule"]], now: now) == .keep)
        pod[path: ["spec", "tolerations"]] = [["key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute",
                                               "tolerationSeconds": 300]]
        #expect(TaintEviction.verdict(pod: pod, taints: [taint], now: now) == .evictAfter(290))
        pod[path: ["spec", "tolerations"]] = [["operator": "Exists"]]
        #expect(TaintEviction.verdict(pod: pod, taints: [taint], now: now) == .keep)
    }

    @Test func podsOfUnknownNodesAreMarkedNotReadyOnce() throws {
        let marked = try #require(NodeHealth.notReady(Fixtures.pod("p", ready: true), now: now))
        #expect(StatusConditions.get(marked[path: ["status", "conditions"]]?.array ?? [], "Ready")?["status"] == "False")
        #expect(NodeHealth.notReady(marked, now: now) == nil)
    }

    @Test func pressureConditionsAndCordoningAddNoScheduleTaints() throws {
        var pressured = node(ready: "True")
        pressured[path: ["status", "conditions"]] = .array((pressured[path: ["status", "conditions"]]?.array ?? [])
            + [["type": "DiskPressure", "status": "True"], ["type": "MemoryPressure", "status": "False"]])
        pressured[path: ["spec", "unschedulable"]] = true
        let taints = try #require(NodeHealth.taints(pressured, now: now))
        #expect(taints.map { "\($0["key"]?.string ?? ""):\($0["effect"]?.string ?? "")" }
                == ["node.kubernetes.io/disk-pressure:NoSchedule", "node.kubernetes.io/unschedulable:NoSchedule"])
    }

    func zoned(_ name: String, zone: String, ready: String) -> JSONValue {
        var node = node(ready: ready)
        node.metadata.name = name
        node.metadata.labels = [ZoneDisruption.zoneLabel: zone]
        return node
    }

    @Test func noExecuteTaintsWaitWhenEveryZoneIsDown() throws {
        // A single-node cluster whose kubelet restarts: lift, never evict everything.
        let lone = node(ready: "Unknown", taints: [["key": "node.kubernetes.io/unreachable", "effect": "NoExecute"]])
        #expect(ZoneDisruption.policies([lone]) == ["": .lift])
        let lifted = try #require(NodeHealth.taints(lone, noExecute: .lift, now: now))
        #expect(lifted.map { "\($0["key"]?.string ?? ""):\($0["effect"]?.string ?? "")" } == ["node.kubernetes.io/unreachable:NoSchedule"])

        // One zone down while another is healthy: evict there as usual.
        let policies = ZoneDisruption.policies([zoned("a1", zone: "a", ready: "Unknown"), zoned("b1", zone: "b", ready: "True")])
        #expect(policies == ["a": .apply, "b": .apply])

        // Most of a small zone unhealthy: keep what is there, add nothing new.
        let partial = (1...3).map { zoned("n\($0)", zone: "z", ready: "False") } + [zoned("ok", zone: "z", ready: "True")]
        #expect(ZoneDisruption.policies(partial) == ["z": .holdNew])
        let held = try #require(NodeHealth.taints(zoned("n1", zone: "z", ready: "False"), noExecute: .holdNew, now: now))
        #expect(held.map { $0["effect"]?.string ?? "" } == ["NoSchedule"])
    }
}
