/// The limits of a pod-level cgroup (`ResourceConfigForPod` upstream).
public struct PodCgroupConfig: Codable, Sendable, Hashable {
    /// `cpu.shares` (v1) / converted to `cpu.weight` (v2).
    public var cpuShares: UInt64
    /// `cpu.cfs_quota_us`; `nil` leaves the pod unthrottled.
    public var cpuQuota: Int64?
    /// `cpu.cfs_period_us`, set together with the quota.
    public var cpuPeriod: UInt64?
    /// `memory.limit_in_bytes` / `memory.max`; `nil` leaves the pod unlimited.
    public var memoryLimitBytes: Int64?
    /// `pids.max`; `nil` leaves it unlimited.
    public var pidsLimit: Int64?

    /// Creates a pod cgroup config.
    public init(
        cpuShares: UInt64 = CPUMath.minShares, cpuQuota: Int64? = nil, cpuPeriod: UInt64? = nil,
        memoryLimitBytes: Int64? = nil, pidsLimit: Int64? = nil
    ) {
        self.cpuShares = cpuShares
        self.cpuQuota = cpuQuota
        self.cpuPeriod = cpuPeriod
        self.memoryLimitBytes = memoryLimitBytes
        self.pidsLimit = pidsLimit
    }

    /// The pod cgroup for a pod's containers.
    ///
    /// A pod needs at any moment the larger of what its app containers need together and what its largest init
    /// container needs alone. Shares follow the requests; a CPU quota and a memory limit are set only when every
    /// container declares that limit (otherwise one unlimited container makes the pod unlimited). A best-effort
    /// pod gets the minimum shares and nothing else.
    /// - Parameters:
    ///   - containers: the app containers' resources.
    ///   - initContainers: the init containers' resources.
    ///   - pidsLimit: the kubelet's `podPidsLimit`, if any.
    public static func forPod(
        containers: [ContainerResources], initContainers: [ContainerResources] = [], pidsLimit: Int64? = nil
    ) -> PodCgroupConfig {
        let qos = QOSClass.of(containers + initContainers)
        guard qos != .bestEffort else { return PodCgroupConfig(pidsLimit: pidsLimit) }
        func podValue(_ value: (ContainerResources) -> Int64?) -> Int64 {
            let sum = containers.reduce(Int64(0)) { $0 + max(value($1) ?? 0, 0) }
            let largestInit = initContainers.map { value($0) ?? 0 }.max() ?? 0
            return max(sum, largestInit)
        }
        let all = containers + initContainers
        let cpuLimited = all.allSatisfy { ($0.cpuLimitMilli ?? 0) > 0 }
        let memoryLimited = all.allSatisfy { ($0.memoryLimitBytes ?? 0) > 0 }
        var config = PodCgroupConfig(cpuShares: CPUMath.shares(milliCPU: podValue(\.effectiveCPURequestMilli)))
        config.pidsLimit = pidsLimit
        if qos == .guaranteed || cpuLimited {
            config.cpuQuota = CPUMath.quota(milliCPU: podValue(\.cpuLimitMilli))
            config.cpuPeriod = CPUMath.defaultPeriod
        }
        if qos == .guaranteed || memoryLimited {
            config.memoryLimitBytes = podValue(\.memoryLimitBytes)
        }
        return config
    }
}
