import Foundation
import Testing

/// The node controllers of the real `kube-controller-manager`: `nodeipam` hands out pod CIDRs (and rebuilds what
/// it handed out after a restart), `nodelifecycle` taints nodes that stop reporting and evicts what does not
/// tolerate it.
@Suite(.serialized, .enabled(if: Harness.which("kubectl") && Harness.which("openssl"), "needs kubectl and openssl"))
struct NodeControllersE2ETests {
    @Test(.timeLimit(.minutes(3))) func nodeIPAMAllocatesDistinctCIDRsAcrossRestarts() throws {
        let cluster = try ControllerManagerFixture(extraArgs: ["--leader-elect=false", "--allocate-node-cidrs=true",
                                                               "--cluster-cidr=10.244.0.0/16", "--node-cidr-mask-size=24"])
        defer { cluster.stop() }
        try cluster.create("apiVersion: v1\nkind: Node\nmetadata: {name: preset}\nspec: {podCIDR: 10.244.0.0/24, podCIDRs: [10.244.0.0/24]}\n")
        try cluster.createReadyNode("node-a")
        try cluster.createReadyNode("node-b")
        let cidrs = {
            try cluster.output("get", "nodes", "-o", "jsonpath={range .items[*]}{.metadata.name}={.spec.podCIDR}/{.spec.podCIDRs[0]};{end}")
        }
        let expected = "node-a=10.244.1.0/24/10.244.1.0/24;node-b=10.244.2.0/24/10.244.2.0/24;preset=10.244.0.0/24/10.244.0.0/24;"
        #expect(try cluster.eventually { try cidrs() == expected }, "nodes: \((try? cidrs()) ?? ""); log: \(cluster.logText)")

        try cluster.restartManager()
        try cluster.createReadyNode("node-c")
        #expect(try cluster.eventually { try cidrs() == expected.replacingOccurrences(of: "preset", with: "node-c=10.244.3.0/24/10.244.3.0/24;preset") },
                "nodes: \((try? cidrs()) ?? ""); log: \(cluster.logText)")
    }

    @Test(.timeLimit(.minutes(3))) func nodeLifecycleTaintsSilentNodesAndEvicts() throws {
        let cluster = try ControllerManagerFixture(extraArgs: ["--node-monitor-grace-period=4s", "--node-monitor-period=500ms"])
        defer { cluster.stop() }
        try cluster.createReadyNode("alive")
        try cluster.createReadyNode("silent")
        for (name, tolerations) in [("plain", "[]"),
                                    ("briefly", "[{key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: 3}]"),
                                    ("forever", "[{key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute}]")] {
            try cluster.create("""
                apiVersion: v1
                kind: Pod
                metadata: {name: \(name), namespace: default}
                spec: {nodeName: silent, tolerations: \(tolerations), containers: [{name: c, image: busybox}]}
                """)
        }
        /// Polls while the kubelets of `beating` keep posting heartbeats.
        func whileBeating(_ beating: [String], _ seconds: Double = 30, _ check: () throws -> Bool) throws -> Bool {
            try cluster.eventually(seconds) {
                for node in beating { try cluster.setNodeReady(node, "True") }
                return try check()
            }
        }
        let state = { (node: String) in
            try cluster.output("get", "node", node, "-o",
                               "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}|{range .spec.taints[*]}{.key}:{.effect},{end}")
        }
        let deleting = { (pod: String) in
            try cluster.output("get", "pod", pod, "--ignore-not-found", "-o", "jsonpath={.metadata.name}:{.metadata.deletionTimestamp}")
        }
        let unreachable = "Unknown|node.kubernetes.io/unreachable:NoSchedule,node.kubernetes.io/unreachable:NoExecute,"
        #expect(try whileBeating(["alive"]) { try state("silent") == unreachable && deleting("plain") != "plain:" },
                "silent: \((try? state("silent")) ?? ""), plain: \((try? deleting("plain")) ?? ""); log: \(cluster.logText)")
        #expect(try state("alive") == "True|")
        #expect(try deleting("briefly") == "briefly:", "tolerated for 3 s")
        #expect(try whileBeating(["alive"]) { try deleting("briefly") != "briefly:" })
        Thread.sleep(forTimeInterval: 1)
        #expect(try deleting("forever") == "forever:")

        try cluster.setNodeReady("silent", "False")
        #expect(try whileBeating(["alive"], 3) { try state("silent").hasPrefix("False|node.kubernetes.io/not-ready:NoSchedule,node.kubernetes.io/not-ready:NoExecute,") },
                "silent: \((try? state("silent")) ?? "")")
        #expect(try whileBeating(["alive", "silent"]) { try state("silent") == "True|" }, "silent: \((try? state("silent")) ?? "")")
    }

    @Test(.timeLimit(.minutes(3))) func aLoneSilentNodeIsTaintedButNotEvicted() throws {
        let cluster = try ControllerManagerFixture(extraArgs: ["--node-monitor-grace-period=3s", "--node-monitor-period=500ms"])
        defer { cluster.stop() }
        try cluster.createReadyNode("only")
        try cluster.create("""
            apiVersion: v1
            kind: Pod
            metadata: {name: workload, namespace: default}
            spec: {nodeName: only, containers: [{name: c, image: busybox}]}
            """)
        let state = {
            try cluster.output("get", "node", "only", "-o",
                               "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}|{range .spec.taints[*]}{.key}:{.effect},{end}")
        }
        // Every zone is down, so the control plane cannot tell a dead node from its own isolation: no NoExecute.
        #expect(try cluster.eventually { try state() == "Unknown|node.kubernetes.io/unreachable:NoSchedule," },
                "node: \((try? state()) ?? ""); log: \(cluster.logText)")
        Thread.sleep(forTimeInterval: 2)
        #expect(try cluster.output("get", "pod", "workload", "-o", "jsonpath={.metadata.deletionTimestamp}").isEmpty)
    }
}
