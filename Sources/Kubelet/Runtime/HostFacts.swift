import Foundation

/// What the kubelet's own process may hand to its containers; read once when the runtime starts.
public struct HostFacts: Sendable, Hashable {
    /// The capabilities in the kubelet's bounding set: the most any container can get.
    public var boundingCapabilities: Set<String>
    /// Whether the kubelet may lower `oom_score_adj` below its own (needs CAP_SYS_RESOURCE).
    public var canLowerOOMScore: Bool
    /// The kubelet's own `oom_score_adj`: the floor for containers when it cannot lower scores.
    public var ownOOMScoreAdj: Int

    /// Creates host facts (tests pass their own).
    public init(boundingCapabilities: Set<String>, canLowerOOMScore: Bool, ownOOMScoreAdj: Int) {
        self.boundingCapabilities = boundingCapabilities
        self.canLowerOOMScore = canLowerOOMScore
        self.ownOOMScoreAdj = ownOOMScoreAdj
    }

    /// The facts of the calling process, from `/proc/self`.
    public static func current() -> HostFacts {
        let status = PosixIO.readText("/proc/self/status") ?? ""
        func mask(_ field: String) -> Set<String> {
            for line in status.split(separator: "\n") where line.hasPrefix(field + ":") {
                return LinuxCapabilities.names(inMask: String(line.dropFirst(field.count + 1)))
            }
            return Set(LinuxCapabilities.all)
        }
        let own = Int((PosixIO.readText("/proc/self/oom_score_adj") ?? "0").trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        return HostFacts(
            boundingCapabilities: mask("CapBnd"),
            canLowerOOMScore: mask("CapEff").contains("CAP_SYS_RESOURCE"),
            ownOOMScoreAdj: own
        )
    }

    /// `requested` as the kernel will accept it from us: containerd's `restrict_oom_score_adj`, applied only when
    /// needed. Without CAP_SYS_RESOURCE a score below our own fails with EPERM (and so would the container), so it is
    /// raised to our own.
    public func allowedOOMScoreAdj(_ requested: Int) -> Int {
        let bounded = min(max(requested, -1000), 1000)
        return canLowerOOMScore ? bounded : max(bounded, ownOOMScoreAdj)
    }
}
