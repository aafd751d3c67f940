/// A pod's quality-of-service class (`pkg/apis/core/v1/helper/qos` upstream): it picks the pod's cgroup parent and
/// its OOM score.
public enum QOSClass: String, Codable, Sendable, Hashable {
    /// Every container has CPU and memory limits equal to its requests.
    case guaranteed = "Guaranteed"
    /// Something is requested or limited, but not all of it evenly.
    case burstable = "Burstable"
    /// Nothing is requested or limited.
    case bestEffort = "BestEffort"

    /// The QoS class of a pod from all its containers (init and app containers alike).
    ///
    /// Requests and limits are summed per resource over containers; zero quantities do not count. A pod is
    /// guaranteed when every container limits both CPU and memory and the summed requests equal the summed
    /// limits; best-effort when nothing at all is set; burstable otherwise.
    public static func of(_ containers: [ContainerResources]) -> QOSClass {
        var requests: [String: Int64] = [:]
        var limits: [String: Int64] = [:]
        var guaranteed = true
        for container in containers {
            let entries: [(String, Int64?, Int64?)] = [
                ("cpu", container.effectiveCPURequestMilli, container.cpuLimitMilli),
                ("memory", container.effectiveMemoryRequestBytes, container.memoryLimitBytes),
            ]
            for (resource, request, limit) in entries {
                if let request, request > 0 { requests[resource, default: 0] += request }
                if let limit, limit > 0 { limits[resource, default: 0] += limit }
            }
            if (container.cpuLimitMilli ?? 0) <= 0 || (container.memoryLimitBytes ?? 0) <= 0 { guaranteed = false }
        }
        if requests.isEmpty && limits.isEmpty { return .bestEffort }
        if guaranteed, requests.count == limits.count, requests.allSatisfy({ limits[$0.key] == $0.value }) {
            return .guaranteed
        }
        return .burstable
    }

    /// The cgroup directory under `kubepods` that holds this class's pods (guaranteed pods sit in `kubepods`).
    public var cgroupDirectory: String? {
        switch self {
        case .guaranteed: nil
        case .burstable: "burstable"
        case .bestEffort: "besteffort"
        }
    }
}
