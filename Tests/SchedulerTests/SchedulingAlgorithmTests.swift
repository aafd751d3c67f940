import KubeAPI
import Testing
@testable import Scheduler

struct SchedulingAlgorithmTests {
    static func node(_ name: String, cpu: String = "2", memory: String = "4Gi", pods: String = "110", labels: JSONValue = .emptyObject,
                     taints: [JSONValue] = [], unschedulable: Bool = false) -> JSONValue {
        var labelMap = labels
        labelMap["kubernetes.io/hostname"] = .string(name)
        return ["metadata": ["name": .string(name), "labels": labelMap],
                "spec": ["taints": .array(taints), "unschedulable": .bool(unschedulable)],
                "status": ["allocatable": ["cpu": .string(cpu), "memory": .string(memory), "pods": .string(pods)]]]
    }

    static func pod(_ name: String = "p", cpu: String? = nil, spec: JSONValue = .emptyObject) -> JSONValue {
        var container: JSONValue = ["name": "c", "image": "busybox"]
        if let cpu { container["resources"] = ["requests": ["cpu": .string(cpu)]] }
        var podSpec = spec
        podSpec["containers"] = [container]
        return ["metadata": ["name": .string(name), "namespace": "default", "labels": ["app": "web"]], "spec": podSpec]
    }

    let algorithm = SchedulingAlgorithm()

    @Test func resourcesDecideAndFailuresAreWordedLikeUpstream() throws {
        let nodes = [NodeInfo(node: Self.node("small", cpu: "500m")), NodeInfo(node: Self.node("big", cpu: "4"))]
        #expect(try algorithm.schedule(Self.pod(cpu: "1"), nodes: nodes).get() == "big")
        let tainted = NodeInfo(node: Self.node("cp", taints: [["key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"]]))
        let result = algorithm.schedule(Self.pod(cpu: "3"), nodes: [NodeInfo(node: Self.node("small", cpu: "500m")), tainted])
        guard case .failure(let error) = result else { Issue.record("should not fit"); return }
        #expect(error.description == "0/2 nodes are available: 1 Insufficient cpu, 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.")
    }

    @Test func tolerationsSelectorsAffinityAndNodeName() throws {
        let taint: JSONValue = ["key": "dedicated", "value": "gpu", "effect": "NoSchedule"]
        let nodes = [NodeInfo(node: Self.node("a", labels: ["zone": "z1"])),
                     NodeInfo(node: Self.node("b", labels: ["zone": "z2", "gpu": "true"], taints: [taint])),
                     NodeInfo(node: Self.node("c", unschedulable: true))]
        let tolerating = Self.pod(spec: ["tolerations": [["key": "dedicated", "operator": "Equal", "value": "gpu", "effect": "NoSchedule"]],
                                         "nodeSelector": ["gpu": "true"]])
        #expect(try algorithm.schedule(tolerating, nodes: nodes).get() == "b")
        let term: JSONValue = ["matchFields": [["key": "metadata.name", "operator": "In", "values": ["c"]]]]
        let affinity: JSONValue = ["nodeAffinity": ["requiredDuringSchedulingIgnoredDuringExecution": ["nodeSelectorTerms": [term]]]]
        let pinned = Self.pod(spec: ["affinity": affinity,
                                     "tolerations": [["key": "node.kubernetes.io/unschedulable", "operator": "Exists", "effect": "NoSchedule"]]])
        #expect(try algorithm.schedule(pinned, nodes: nodes).get() == "c", "DaemonSet-style pinning tolerates cordoned nodes")
        let named = Self.pod(spec: ["nodeName": "a"])
        #expect(try algorithm.schedule(named, nodes: nodes).get() == "a")
        let preference: JSONValue = ["weight": 50, "preference": ["matchExpressions": [["key": "zone", "operator": "In", "values": ["z1"]]]]]
        let preferred = Self.pod(spec: ["affinity": ["nodeAffinity": ["preferredDuringSchedulingIgnoredDuringExecution": [preference]]]])
        #expect(try algorithm.schedule(preferred, nodes: [nodes[0], NodeInfo(node: Self.node("d", labels: ["zone": "z3"]))]).get() == "a")
    }

    @Test func hostPortsAndPodCountsAndLeastAllocated() throws {
        var busy = NodeInfo(node: Self.node("busy", cpu: "4"))
        busy.add(Self.pod("other", cpu: "3", spec: .emptyObject))
        let idle = NodeInfo(node: Self.node("idle", cpu: "4"))
        #expect(try algorithm.schedule(Self.pod(cpu: "500m"), nodes: [busy, idle]).get() == "idle")
        var portTaken = NodeInfo(node: Self.node("ports"))
        var withPort = Self.pod("web")
        withPort[path: ["spec", "containers"]] = [["name": "c", "image": "x", "ports": [["containerPort": 80, "hostPort": 8080]]]]
        portTaken.add(withPort)
        #expect(try algorithm.schedule(withPort, nodes: [portTaken, idle]).get() == "idle")
        let full = NodeInfo(node: Self.node("full", pods: "0"))
        guard case .failure(let error) = algorithm.schedule(Self.pod(), nodes: [full]) else { Issue.record("should not fit"); return }
        #expect(error.reasons == ["Too many pods": 1])
    }

    @Test func topologySpreadKeepsSkew() throws {
        var a = NodeInfo(node: Self.node("a", labels: ["zone": "z1"]))
        a.add(Self.pod("w1"))
        a.add(Self.pod("w2"))
        let b = NodeInfo(node: Self.node("b", labels: ["zone": "z2"]))
        let spread = Self.pod(spec: ["topologySpreadConstraints": [["maxSkew": 1, "topologyKey": "zone", "whenUnsatisfiable": "DoNotSchedule",
                                                                      "labelSelector": ["matchLabels": ["app": "web"]]]]])
        #expect(try algorithm.schedule(spread, nodes: [a, b]).get() == "b")
        guard case .failure = algorithm.schedule(spread, nodes: [a]) else {
            return  // a single domain has no skew: scheduling there is allowed
        }
    }

    @Test func adaptivePercentageOfNodesToScore() {
        #expect(algorithm.feasibleTarget(50) == 50)
        #expect(algorithm.feasibleTarget(1000) == 420)
        #expect(algorithm.feasibleTarget(5000) == 500)
    }
}
