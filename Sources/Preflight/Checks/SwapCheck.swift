/// Warns when swap is on: the kubelet's memory accounting and eviction assume it is off unless the NodeSwap
/// feature is deliberately used. A warning, not an error, as in current kubeadm.
public struct SwapCheck: PreflightCheck {
    public let name = "Swap"
    /// The kernel's list of active swap areas: one header line plus one line per area.
    public var swapsPath: String

    /// - Parameter swapsPath: where the kernel lists active swap areas.
    public init(swapsPath: String = "/proc/swaps") {
        self.swapsPath = swapsPath
    }

    public func run(on host: any HostView) -> [Finding] {
        guard let text = host.readFile(swapsPath) else {
            return [warning("could not read \(swapsPath) to see whether swap is enabled; check that /proc is mounted")]
        }
        let lines = text.split(separator: "\n").filter { !$0.trimmingWhitespace().isEmpty }
        guard lines.count > 1 else { return [] }
        return [warning(
            "swap is enabled; production deployments should disable swap unless testing the NodeSwap feature gate "
                + "of the kubelet; run 'swapoff -a' and remove the swap entries from /etc/fstab"
        )]
    }
}
