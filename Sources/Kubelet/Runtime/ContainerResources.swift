/// A container's compute requests and limits, in the units the cgroup math uses.
///
/// A missing request with a limit set counts as a request equal to the limit, as the API server's defaulting
/// would have made it; the kubelet may therefore pass pods from a manifest file that never went through it.
public struct ContainerResources: Codable, Sendable, Hashable {
    /// `requests.cpu` in millicores.
    public var cpuRequestMilli: Int64?
    /// `limits.cpu` in millicores.
    public var cpuLimitMilli: Int64?
    /// `requests.memory` in bytes.
    public var memoryRequestBytes: Int64?
    /// `limits.memory` in bytes.
    public var memoryLimitBytes: Int64?

    /// Creates resource requirements; everything defaults to absent.
    public init(
        cpuRequestMilli: Int64? = nil, cpuLimitMilli: Int64? = nil,
        memoryRequestBytes: Int64? = nil, memoryLimitBytes: Int64? = nil
    ) {
        self.cpuRequestMilli = cpuRequestMilli
        self.cpuLimitMilli = cpuLimitMilli
        self.memoryRequestBytes = memoryRequestBytes
        self.memoryLimitBytes = memoryLimitBytes
    }

    /// The CPU request after defaulting (a limit alone implies an equal request).
    public var effectiveCPURequestMilli: Int64? { cpuRequestMilli ?? cpuLimitMilli }
    /// The memory request after defaulting.
    public var effectiveMemoryRequestBytes: Int64? { memoryRequestBytes ?? memoryLimitBytes }
}
