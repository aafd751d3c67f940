/// Fails when the machine has fewer CPUs than a control plane needs (kubeadm requires 2).
public struct NumCPUCheck: PreflightCheck {
    public let name = "NumCPU"
    /// The fewest CPUs accepted.
    public var min: Int

    /// - Parameter min: the fewest CPUs accepted.
    public init(min: Int) {
        self.min = min
    }

    public func run(on host: any HostView) -> [Finding] {
        let count = host.cpuCount
        guard count < min else { return [] }
        return [error(
            "the number of available CPUs \(count) is less than the required \(min); "
                + "give the machine at least \(min) CPUs"
        )]
    }
}

/// Fails when the machine has less RAM than a control plane needs (kubeadm requires 1700 MB).
public struct MemCheck: PreflightCheck {
    public let name = "Mem"
    /// The least RAM accepted, in MB as `HostView.memoryTotalMB` reports it.
    public var minMB: Int

    /// - Parameter minMB: the least RAM accepted, in MB.
    public init(minMB: Int) {
        self.minMB = minMB
    }

    public func run(on host: any HostView) -> [Finding] {
        let total = host.memoryTotalMB
        guard total < minMB else { return [] }
        return [error(
            "the system RAM (\(total) MB) is less than the minimum \(minMB) MB; "
                + "give the machine at least \(minMB) MB of RAM"
        )]
    }
}
