/// Kubernetes' conversions from millicores to CFS and cgroup v2 values (`pkg/kubelet/cm/helpers_linux.go`).
public enum CPUMath {
    /// The smallest `cpu.shares` the kernel accepts; also what best-effort work gets.
    public static let minShares: UInt64 = 2
    /// The largest `cpu.shares` value.
    public static let maxShares: UInt64 = 262_144
    /// Shares per whole CPU.
    public static let sharesPerCPU: Int64 = 1024
    /// The CFS period Kubernetes uses: 100 ms.
    public static let defaultPeriod: UInt64 = 100_000
    /// The smallest quota the kernel accepts: 1 ms.
    public static let minQuota: Int64 = 1000

    /// `cpu.shares` for a CPU request: `max(2, milliCPU * 1024 / 1000)`, capped at 262144; no request gets 2.
    public static func shares(milliCPU: Int64) -> UInt64 {
        guard milliCPU > 0 else { return minShares }
        let shares = milliCPU.multipliedReportingOverflow(by: sharesPerCPU)
        guard !shares.overflow else { return maxShares }
        return min(max(UInt64(shares.partialValue / 1000), minShares), maxShares)
    }

    /// `cpu.cfs_quota_us` for a CPU limit: `milliCPU * period / 1000`, at least 1 ms; 0 means no limit.
    public static func quota(milliCPU: Int64, period: UInt64 = defaultPeriod) -> Int64 {
        guard milliCPU > 0 else { return 0 }
        let product = milliCPU.multipliedReportingOverflow(by: Int64(clamping: period))
        guard !product.overflow else { return Int64.max / 1000 }
        return max(product.partialValue / 1000, minQuota)
    }

    /// cgroup v2 `cpu.weight` for a shares value (the same formula runc and the kubelet use):
    /// `1 + (shares - 2) * 9999 / 262142`, so 2 → 1, 1024 → 39, 262144 → 10000.
    public static func weight(shares: UInt64) -> UInt64 {
        let clamped = min(max(shares, minShares), maxShares)
        return 1 + ((clamped - 2) * 9999) / 262_142
    }
}

/// `oom_score_adj` per QoS class, as the kubelet computes it (`pkg/kubelet/qos/policy.go`).
public enum OOMScoreAdjust {
    /// Guaranteed pods: killed last.
    public static let guaranteed = -997
    /// Best-effort pods: killed first.
    public static let bestEffort = 1000

    /// The score for a container.
    /// - Parameters:
    ///   - qos: the pod's QoS class.
    ///   - memoryRequestBytes: the container's memory request.
    ///   - memoryCapacityBytes: the node's memory capacity.
    public static func forContainer(qos: QOSClass, memoryRequestBytes: Int64?, memoryCapacityBytes: Int64) -> Int {
        switch qos {
        case .guaranteed: return guaranteed
        case .bestEffort: return bestEffort
        case .burstable:
            // Burstable: the larger the share of the node's memory a container asked for, the safer it is; but
            // never as safe as a guaranteed pod and never as exposed as a best-effort one.
            guard memoryCapacityBytes > 0 else { return bestEffort - 1 }
            let request = Double(memoryRequestBytes ?? 0)
            let score = 1000 - Int(1000 * request / Double(memoryCapacityBytes))
            if score < 1000 + guaranteed { return 1000 + guaranteed }
            if score == bestEffort { return score - 1 }
            return score
        }
    }
}
