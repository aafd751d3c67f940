import KubeAPI

/// What the scheduler knows about one node: the Node object, the pods already bound to it (or assumed onto it) and
/// the sums the filters and scores need, kept incrementally as pods are added.
public struct NodeInfo: Sendable {
    public var node: JSONValue
    public var name: String
    public private(set) var pods: [JSONValue] = []
    /// Summed requests of the pods here, in milli-CPU and bytes (upstream's "requested").
    public private(set) var requestedMilliCPU: Int64 = 0
    public private(set) var requestedMemory: Int64 = 0
    /// Host ports in use, as "protocol/ip/port".
    public private(set) var usedPorts: Set<String> = []
    public let allocatableMilliCPU: Int64
    public let allocatableMemory: Int64
    public let allocatablePods: Int64

    public init(node: JSONValue, pods: [JSONValue] = []) {
        self.node = node
        name = node.metadata.name ?? ""
        let allocatable = node[path: ["status", "allocatable"]] ?? node[path: ["status", "capacity"]] ?? .emptyObject
        allocatableMilliCPU = ResourceMath.milliCPU(allocatable["cpu"])
        allocatableMemory = ResourceMath.bytes(allocatable["memory"])
        allocatablePods = ResourceMath.count(allocatable["pods"]) ?? 110
        for pod in pods { add(pod) }
    }

    /// Accounts for a pod bound (or assumed) here.
    public mutating func add(_ pod: JSONValue) {
        pods.append(pod)
        let requests = ResourceMath.podRequests(pod)
        requestedMilliCPU += requests.milliCPU
        requestedMemory += requests.memory
        usedPorts.formUnion(ResourceMath.hostPorts(pod))
    }
}

/// Resource arithmetic as the scheduler does it: effective pod requests (the larger of the sum of app containers
/// and the largest init container, plus overhead) and quantities as integers.
public enum ResourceMath {
    public static func milliCPU(_ value: JSONValue?) -> Int64 {
        guard let text = value?.string ?? value?.int64.map(String.init), let quantity = try? Quantity(parsing: text) else { return 0 }
        return quantity.milliValue ?? 0
    }

    public static func bytes(_ value: JSONValue?) -> Int64 {
        guard let text = value?.string ?? value?.int64.map(String.init), let quantity = try? Quantity(parsing: text) else { return 0 }
        return quantity.value ?? 0
    }

    public static func count(_ value: JSONValue?) -> Int64? {
        guard let text = value?.string ?? value?.int64.map(String.init), let quantity = try? Quantity(parsing: text) else { return nil }
        return quantity.value
    }

    /// The pod's effective requests (upstream `computePodResourceRequest`).
    public static func podRequests(_ pod: JSONValue) -> (milliCPU: Int64, memory: Int64) {
        func requests(_ container: JSONValue) -> (Int64, Int64) {
            let values = container[path: ["resources", "requests"]] ?? .emptyObject
            return (milliCPU(values["cpu"]), bytes(values["memory"]))
        }
        var cpu: Int64 = 0
        var memory: Int64 = 0
        for container in pod[path: ["spec", "containers"]]?.array ?? [] {
            let (c, m) = requests(container)
            cpu += c
            memory += m
        }
        for container in pod[path: ["spec", "initContainers"]]?.array ?? [] {
            let (c, m) = requests(container)
            cpu = max(cpu, c)
            memory = max(memory, m)
        }
        let overhead = pod[path: ["spec", "overhead"]] ?? .emptyObject
        return (cpu + milliCPU(overhead["cpu"]), memory + bytes(overhead["memory"]))
    }

    /// The host ports a pod asks for, as "protocol/ip/port" (ip "0.0.0.0" when unset).
    public static func hostPorts(_ pod: JSONValue) -> Set<String> {
        var ports: Set<String> = []
        for container in pod[path: ["spec", "containers"]]?.array ?? [] {
            for port in container["ports"]?.array ?? [] {
                guard let hostPort = port["hostPort"]?.int, hostPort > 0 else { continue }
                ports.insert("\(port["protocol"]?.string ?? "TCP")/\(port["hostIP"]?.string ?? "0.0.0.0")/\(hostPort)")
            }
        }
        return ports
    }
}
