import KubeAPI
import Testing
@testable import Kubelet

/// QoS classes and the cgroup arithmetic the kubelet shares with upstream.
struct RuntimeResourceTests {
    typealias R = ContainerResources

    @Test(arguments: [
        (0, 2), (1, 2), (2, 2), (10, 10), (100, 102), (250, 256), (500, 512), (1000, 1024), (2000, 2048),
        (256_000, 262_144), (1_000_000, 262_144),
    ] as [(Int64, UInt64)])
    func shares(milliCPU: Int64, expected: UInt64) {
        #expect(CPUMath.shares(milliCPU: milliCPU) == expected)
    }

    @Test(arguments: [(0, 0), (1, 1000), (5, 1000), (10, 1000), (100, 10_000), (250, 25_000), (1500, 150_000)]
        as [(Int64, Int64)])
    func quota(milliCPU: Int64, expected: Int64) {
        #expect(CPUMath.quota(milliCPU: milliCPU) == expected)
    }

    @Test(arguments: [(2, 1), (1024, 39), (262_144, 10_000), (0, 1)] as [(UInt64, UInt64)])
    func cgroupV2Weight(shares: UInt64, expected: UInt64) {
        #expect(CPUMath.weight(shares: shares) == expected)
    }

    @Test func qosClasses() {
        let full = R(cpuRequestMilli: 100, cpuLimitMilli: 100, memoryRequestBytes: 1 << 20, memoryLimitBytes: 1 << 20)
        #expect(QOSClass.of([]) == .bestEffort)
        #expect(QOSClass.of([R()]) == .bestEffort)
        #expect(QOSClass.of([R(cpuRequestMilli: 0)]) == .bestEffort)
        #expect(QOSClass.of([full]) == .guaranteed)
        // A limit alone implies an equal request (API defaulting), so this is guaranteed too.
        #expect(QOSClass.of([R(cpuLimitMilli: 100, memoryLimitBytes: 1 << 20)]) == .guaranteed)
        #expect(QOSClass.of([R(cpuRequestMilli: 50, cpuLimitMilli: 100, memoryLimitBytes: 1 << 20)]) == .burstable)
        #expect(QOSClass.of([R(cpuRequestMilli: 100)]) == .burstable)
        #expect(QOSClass.of([full, R()]) == .burstable)
        #expect(QOSClass.of([R(memoryLimitBytes: 1 << 20)]) == .burstable)
    }

    @Test func qosCgroupDirectories() {
        #expect(QOSClass.guaranteed.cgroupDirectory == nil)
        #expect(QOSClass.burstable.cgroupDirectory == "burstable")
        #expect(QOSClass.bestEffort.cgroupDirectory == "besteffort")
    }

    @Test func podCgroupConfigs() {
        #expect(PodCgroupConfig.forPod(containers: [R()]) == PodCgroupConfig(cpuShares: 2))
        let guaranteed = PodCgroupConfig.forPod(containers: [
            R(cpuLimitMilli: 500, memoryLimitBytes: 64 << 20), R(cpuLimitMilli: 250, memoryLimitBytes: 32 << 20),
        ])
        #expect(guaranteed == PodCgroupConfig(cpuShares: 768, cpuQuota: 75_000, cpuPeriod: 100_000, memoryLimitBytes: 96 << 20))
        // One container without limits leaves the burstable pod unlimited.
        let burstable = PodCgroupConfig.forPod(containers: [R(cpuRequestMilli: 100, cpuLimitMilli: 200), R(cpuRequestMilli: 100)])
        #expect(burstable == PodCgroupConfig(cpuShares: 204))
        // A big init container sets the floor.
        let withInit = PodCgroupConfig.forPod(
            containers: [R(cpuRequestMilli: 100, memoryRequestBytes: 1 << 20)],
            initContainers: [R(cpuRequestMilli: 1000, cpuLimitMilli: 1000, memoryLimitBytes: 8 << 20)], pidsLimit: 100)
        #expect(withInit.cpuShares == 1024)
        #expect(withInit.cpuQuota == nil)
        #expect(withInit.pidsLimit == 100)
    }

    @Test func resourcesFromThePodSpec() throws {
        let parsed = try ContainerResources(CoreV1.ResourceRequirements(
            limits: ["cpu": "1.5", "memory": "16Mi"], requests: ["cpu": "250m", "memory": "1G", "ephemeral-storage": "1Gi"]))
        #expect(parsed == R(cpuRequestMilli: 250, cpuLimitMilli: 1500, memoryRequestBytes: 1_000_000_000, memoryLimitBytes: 16 << 20))
        #expect(try ContainerResources(nil) == R())
        #expect(try ContainerResources(CoreV1.ResourceRequirements(requests: ["cpu": "0.1m"])).cpuRequestMilli == 1)
        #expect(throws: RuntimeError.self) { try ContainerResources(CoreV1.ResourceRequirements(limits: ["memory": "lots"])) }
    }

    @Test func oomScores() {
        let gib: Int64 = 1 << 30
        #expect(OOMScoreAdjust.forContainer(qos: .guaranteed, memoryRequestBytes: gib, memoryCapacityBytes: 4 * gib) == -997)
        #expect(OOMScoreAdjust.forContainer(qos: .bestEffort, memoryRequestBytes: nil, memoryCapacityBytes: 4 * gib) == 1000)
        #expect(OOMScoreAdjust.forContainer(qos: .burstable, memoryRequestBytes: gib, memoryCapacityBytes: 4 * gib) == 750)
        #expect(OOMScoreAdjust.forContainer(qos: .burstable, memoryRequestBytes: 0, memoryCapacityBytes: 4 * gib) == 999)
        #expect(OOMScoreAdjust.forContainer(qos: .burstable, memoryRequestBytes: 4 * gib, memoryCapacityBytes: 4 * gib) == 3)
    }

    @Test func restrictedHostsRaiseNegativeScores() {
        let restricted = HostFacts(boundingCapabilities: [], canLowerOOMScore: false, ownOOMScoreAdj: 0)
        #expect(restricted.allowedOOMScoreAdj(-997) == 0)
        #expect(restricted.allowedOOMScoreAdj(500) == 500)
        let free = HostFacts(boundingCapabilities: [], canLowerOOMScore: true, ownOOMScoreAdj: 0)
        #expect(free.allowedOOMScoreAdj(-997) == -997)
        #expect(free.allowedOOMScoreAdj(-5000) == -1000)
    }
}
