import KubeAPI
import Testing
@testable import ControllerManager

struct NodeIPAMTests {
    static func node(_ name: String, podCIDR: String? = nil) -> JSONValue {
        var node: JSONValue = ["apiVersion": "v1", "kind": "Node", "metadata": ["name": .string(name)]]
        if let podCIDR { node["spec"] = ["podCIDR": .string(podCIDR), "podCIDRs": [.string(podCIDR)]] }
        return node
    }

    @Test func cidrsParseAndPrint() throws {
        let cidr = try #require(IPv4CIDR("10.244.3.7/16"))
        #expect(cidr.description == "10.244.0.0/16")
        #expect(IPv4CIDR("fd00::/64") == nil)
        #expect(IPv4CIDR("10.244.0.0") == nil)
        #expect(IPv4CIDR("10.244.0/16") == nil)
        #expect(try #require(IPv4CIDR("10.96.0.0/12")).overlaps(try #require(IPv4CIDR("10.100.0.0/24"))))
        #expect(!(try #require(IPv4CIDR("10.96.0.0/12"))).overlaps(try #require(IPv4CIDR("10.244.0.0/16"))))
    }

    @Test func nodesGetTheLowestFreeSubnetsNeverTwice() throws {
        let allocator = try NodeCIDRAllocator(clusterCIDR: "10.244.0.0/16", maskSize: 24)
        #expect(allocator.capacity == 256)
        let nodes = [Self.node("c"), Self.node("a", podCIDR: "10.244.0.0/24"), Self.node("b"), Self.node("d")]
        let plan = allocator.plan(nodes: nodes, reserved: ["d": "10.244.1.0/24"])
        #expect(plan.assignments.map { "\($0.node)=\($0.cidr)" } == ["b=10.244.2.0/24", "c=10.244.3.0/24"])
        #expect(plan.exhausted.isEmpty)
    }

    @Test func aFullRangeLeavesNodesWaitingAndTheServiceRangeIsSkipped() throws {
        let allocator = try NodeCIDRAllocator(clusterCIDR: "10.0.0.0/23", maskSize: 24, serviceCIDR: "10.0.0.0/28")
        let plan = allocator.plan(nodes: [Self.node("a"), Self.node("b")], reserved: [:])
        #expect(plan.assignments.map(\.cidr) == ["10.0.1.0/24"])
        #expect(plan.exhausted == ["b"])
    }

    @Test func badFlagsAreRejected() {
        #expect(throws: NodeCIDRAllocator.ConfigError.self) { try NodeCIDRAllocator(clusterCIDR: "10.244.0.0/16", maskSize: 8) }
        #expect(throws: NodeCIDRAllocator.ConfigError.self) { try NodeCIDRAllocator(clusterCIDR: "fd00::/48", maskSize: 64) }
        #expect((try? NodeCIDRAllocator(clusterCIDR: "10.244.0.0/16,fd00::/48", maskSize: 24))?.clusterCIDR.description == "10.244.0.0/16")
        #expect((try? NodeCIDRAllocator(clusterCIDR: "fd00::/48, 10.245.0.0/16", maskSize: 24))?.clusterCIDR.description == "10.245.0.0/16")
        #expect(!NodeCIDRAllocator.hasIPv4("fd00::/48"))
        #expect(throws: Never.self) { try NodeCIDRAllocator.validate(clusterCIDR: "fd00::/48", maskSize: 24) }
    }

    @Test func flagsAreParsed() throws {
        let options = try KubeControllerManager.Options.parse(["--kubeconfig=/k", "--allocate-node-cidrs=true", "--cluster-cidr=10.244.0.0/16",
                                                               "--node-cidr-mask-size=25", "--controllers=*"])
        #expect(options.allocateNodeCIDRs && options.clusterCIDR == "10.244.0.0/16" && options.nodeCIDRMaskSize == 25)
        #expect(options.ignored.isEmpty)
        #expect(options.enabled("nodeipam") && !options.enabled("bootstrapsigner"))
        #expect(throws: ControllerManagerError.self) {
            try KubeControllerManager.Options.parse(["--kubeconfig=/k", "--allocate-node-cidrs=true", "--cluster-cidr=bogus"])
        }
    }
}
