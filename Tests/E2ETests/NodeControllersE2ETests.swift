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
}
