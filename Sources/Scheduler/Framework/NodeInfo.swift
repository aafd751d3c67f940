import KubeAPI

/// What the scheduler knows about one node: the Node object (with its labels, taints and allocatable parsed once),
/// the pods bound to it (or assumed onto it) and the sums the filters and scores need, kept incrementally as pods
/// come and go.
public struct NodeInfo: Sendable {
    /// A parsed taint.
    public struct Taint: Sendable, Hashable {
        public var key: String
        public var value: String
        public var effect: String
    }

    public private(set) var node: JSONValue
    public private(set) var name: String
    public private(set) var labels: [String: String] = [:]
    public private(set) var taints: [Taint] = []
    public private(set) var unschedulable = false
    public private(set) var allocatableMilliCPU: Int64 = 0
    public private(set) var allocatableMemory: Int64 = 0
    public private(set) var allocatablePods: Int64 = 110
    /// The pods here by "namespace/name", with what each adds to the sums.
    private var entries: [String: (pod: JSONValue, milliCPU: Int64, memory: Int64, ports: Set<String>)] = [:]
    /// Summed requests of the pods here, in milli-CPU and bytes (upstream's "requested").
    public private(set) var requestedMilliCPU: Int64 = 0
    public private(set) var requestedMemory: Int64 = 0
    /// Host ports in use, as "protocol/ip/port".
    public private(set) var usedPorts: Set<String> = []

    public init(node: JSONValue, pods: [JSONValue] = []) {
        self.node = node
        name = ""
        update(node: node)
        for pod in pods { add(pod) }
    }

    /// The pods here.
    public var pods: [JSONValue] { entries.values.map(\.pod) }
    public var podCount: Int { entries.count }

    /// Takes a newer version of the Node object; the pods stay.
    public mutating func update(node: JSONValue) {
        self.node = node
        name = node.metadata.name ?? ""
        labels = Dictionary(node.metadata.labels.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
        taints = (node[path: ["spec", "taints"]]?.array ?? []).map {
            Taint(key: $0["key"]?.string ?? "", value: $0["value"]?.string ?? "", effect: $0["effect"]?.string ?? "")
        }
        unschedulable = node[path: ["spec", "unschedulable"]]?.bool ?? false
        let allocatable = node[path: ["status", "allocatable"]] ?? node[path: ["status", "capacity"]] ?? .emptyObject
        allocatableMilliCPU = ResourceMath.milliCPU(allocatable["cpu"])
        allocatableMemory = ResourceMath.bytes(allocatable["memory"])
        allocatablePods = ResourceMath.count(allocatable["pods"]) ?? 110
    }

    /// Accounts for a pod bound (or assumed) here; a pod already here is replaced.
    public mutating func add(_ pod: JSONValue) { add(PodInfo(pod)) }

    /// Accounts for a pod bound (or assumed) here; a pod already here is replaced.
    public mutating func add(_ pod: PodInfo) {
        remove(key: pod.key)
        entries[pod.key] = (pod.pod, pod.milliCPU, pod.memory, pod.hostPorts)
        requestedMilliCPU += pod.milliCPU
        requestedMemory += pod.memory
        usedPorts.formUnion(pod.hostPorts)
    }

    /// Stops accounting for a pod ("namespace/name"); false when it was not here.
    @discardableResult
    public mutating func remove(key: String) -> Bool {
        guard let entry = entries.removeValue(forKey: key) else { return false }
        requestedMilliCPU -= entry.milliCPU
        requestedMemory -= entry.memory
        if !entry.ports.isEmpty { usedPorts = entries.values.reduce(into: []) { $0.formUnion($1.ports) } }
        return true
    }

    /// Whether a pod ("namespace/name") is accounted here.
    public func contains(key: String) -> Bool { entries[key] != nil }
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
