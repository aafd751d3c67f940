import KubeAPI

/// NodeResourcesFit (requests against allocatable, and the pod count), NodePorts, and the resource scores
/// LeastAllocated and BalancedAllocation.
public enum NodeResources {
    public static let fit = FilterPlugin(name: "NodeResourcesFit") { pod, node in
        var failures: [FilterFailure] = []
        if Int64(node.podCount) + 1 > node.allocatablePods { failures.append(FilterFailure("Too many pods", unresolvable: false)) }
        if pod.milliCPU > 0, node.requestedMilliCPU + pod.milliCPU > node.allocatableMilliCPU {
            failures.append(FilterFailure("Insufficient cpu", unresolvable: false))
        }
        if pod.memory > 0, node.requestedMemory + pod.memory > node.allocatableMemory {
            failures.append(FilterFailure("Insufficient memory", unresolvable: false))
        }
        return failures
    }

    public static let ports = FilterPlugin(name: "NodePorts") { pod, node in
        let wanted = pod.hostPorts
        guard !wanted.isEmpty, !node.usedPorts.isEmpty else { return [] }
        let conflict = wanted.contains { port in
            let parts = port.split(separator: "/", maxSplits: 2).map(String.init)
            guard parts.count == 3 else { return false }
            return node.usedPorts.contains { used in
                let other = used.split(separator: "/", maxSplits: 2).map(String.init)
                return other.count == 3 && other[0] == parts[0] && other[2] == parts[2]
                    && (other[1] == parts[1] || other[1] == "0.0.0.0" || parts[1] == "0.0.0.0")
            }
        }
        return conflict ? [FilterFailure("node(s) didn't have free ports for the requested pod ports", unresolvable: false)] : []
    }

    /// The request a container without one counts as when scoring (upstream: 100m cpu, 200Mi memory).
    static let defaultMilliCPU: Int64 = 100
    static let defaultMemory: Int64 = 200 * 1024 * 1024

    static func scoringRequests(_ pod: JSONValue) -> (Int64, Int64) {
        let containers = pod[path: ["spec", "containers"]]?.array ?? []
        var cpu: Int64 = 0
        var memory: Int64 = 0
        for container in containers {
            let requests = container[path: ["resources", "requests"]] ?? .emptyObject
            let c = ResourceMath.milliCPU(requests["cpu"])
            let m = ResourceMath.bytes(requests["memory"])
            cpu += c == 0 ? defaultMilliCPU : c
            memory += m == 0 ? defaultMemory : m
        }
        return (cpu, memory)
    }

    /// Prefers the node with the most free cpu and memory after placing the pod (equal weights).
    public static let leastAllocated = ScorePlugin(name: "NodeResourcesFit", weight: 1) { pod, node in
        let (cpu, memory) = (pod.scoringMilliCPU, pod.scoringMemory)
        func free(_ requested: Int64, _ capacity: Int64) -> Int64 {
            guard capacity > 0, requested <= capacity else { return 0 }
            return (capacity - requested) * ScorePlugin.maxNodeScore / capacity
        }
        return (free(node.requestedMilliCPU + cpu, node.allocatableMilliCPU) + free(node.requestedMemory + memory, node.allocatableMemory)) / 2
    }

    /// Prefers nodes whose cpu and memory fractions stay close to each other.
    public static let balancedAllocation = ScorePlugin(name: "NodeResourcesBalancedAllocation", weight: 1) { pod, node in
        let (cpu, memory) = (pod.scoringMilliCPU, pod.scoringMemory)
        guard node.allocatableMilliCPU > 0, node.allocatableMemory > 0 else { return 0 }
        let cpuFraction = min(1, Double(node.requestedMilliCPU + cpu) / Double(node.allocatableMilliCPU))
        let memoryFraction = min(1, Double(node.requestedMemory + memory) / Double(node.allocatableMemory))
        let deviation = abs(cpuFraction - memoryFraction) / 2
        return Int64((1 - deviation) * Double(ScorePlugin.maxNodeScore))
    }
}
