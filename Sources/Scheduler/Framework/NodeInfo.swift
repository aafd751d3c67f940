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

    /// The fields, behind one reference: a scheduling cycle copies NodeInfos by the thousand, and a copy is then
    /// one retain instead of one per field; mutation copies the storage first when it is shared.
    private final class Storage: @unchecked Sendable {
        var node: JSONValue = .emptyObject
        var name = ""
        var labels: [String: String] = [:]
        var taints: [Taint] = []
        var unschedulable = false
        var allocatableMilliCPU: Int64 = 0
        var allocatableMemory: Int64 = 0
        var allocatablePods: Int64 = 110
        /// The pods here by "namespace/name", with what each adds to the sums.
        var entries: [String: (pod: JSONValue, milliCPU: Int64, memory: Int64, ports: Set<String>)] = [:]
        var requestedMilliCPU: Int64 = 0
        var requestedMemory: Int64 = 0
        var usedPorts: Set<String> = []

        func copy() -> Storage {
            let other = Storage()
            other.node = node; other.name = name; other.labels = labels; other.taints = taints
            other.unschedulable = unschedulable; other.allocatableMilliCPU = allocatableMilliCPU
            other.allocatableMemory = allocatableMemory; other.allocatablePods = allocatablePods; other.entries = entries
            other.requestedMilliCPU = requestedMilliCPU; other.requestedMemory = requestedMemory; other.usedPorts = usedPorts
            return other
        }
    }

    private var storage = Storage()

    private mutating func unique() -> Storage {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        return storage
    }

    public var node: JSONValue { storage.node }
    public var name: String { storage.name }
    public var labels: [String: String] { storage.labels }
    public var taints: [Taint] { storage.taints }
    public var unschedulable: Bool { storage.unschedulable }
    public var allocatableMilliCPU: Int64 { storage.allocatableMilliCPU }
    public var allocatableMemory: Int64 { storage.allocatableMemory }
    public var allocatablePods: Int64 { storage.allocatablePods }
    /// Summed requests of the pods here, in milli-CPU and bytes (upstream's "requested").
    public var requestedMilliCPU: Int64 { storage.requestedMilliCPU }
    public var requestedMemory: Int64 { storage.requestedMemory }
    /// Host ports in use, as "protocol/ip/port".
    public var usedPorts: Set<String> { storage.usedPorts }
    /// The pods here.
    public var pods: [JSONValue] { storage.entries.values.map(\.pod) }
    public var podCount: Int { storage.entries.count }

    public init(node: JSONValue, pods: [JSONValue] = []) {
        update(node: node)
        for pod in pods { add(pod) }
    }

    /// Takes a newer version of the Node object; the pods stay.
    public mutating func update(node: JSONValue) {
        let s = unique()
        s.node = node
        s.name = node.metadata.name ?? ""
        s.labels = Dictionary(node.metadata.labels.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
        s.taints = (node[path: ["spec", "taints"]]?.array ?? []).map {
            Taint(key: $0["key"]?.string ?? "", value: $0["value"]?.string ?? "", effect: $0["effect"]?.string ?? "")
        }
        s.unschedulable = node[path: ["spec", "unschedulable"]]?.bool ?? false
        let allocatable = node[path: ["status", "allocatable"]] ?? node[path: ["status", "capacity"]] ?? .emptyObject
        s.allocatableMilliCPU = ResourceMath.milliCPU(allocatable["cpu"])
        s.allocatableMemory = ResourceMath.bytes(allocatable["memory"])
        s.allocatablePods = ResourceMath.count(allocatable["pods"]) ?? 110
    }

    /// Accounts for a pod bound (or assumed) here; a pod already here is replaced.
    public mutating func add(_ pod: JSONValue) { add(PodInfo(pod)) }

    /// Accounts for a pod bound (or assumed) here; a pod already here is replaced.
    public mutating func add(_ pod: PodInfo) {
        remove(key: pod.key)
        let s = unique()
        s.entries[pod.key] = (pod.pod, pod.milliCPU, pod.memory, pod.hostPorts)
        s.requestedMilliCPU += pod.milliCPU
        s.requestedMemory += pod.memory
        if !pod.hostPorts.isEmpty { s.usedPorts.formUnion(pod.hostPorts) }
    }

    /// Stops accounting for a pod ("namespace/name"); false when it was not here.
    @discardableResult
    public mutating func remove(key: String) -> Bool {
        guard storage.entries[key] != nil else { return false }
        let s = unique()
        guard let entry = s.entries.removeValue(forKey: key) else { return false }
        s.requestedMilliCPU -= entry.milliCPU
        s.requestedMemory -= entry.memory
        if !entry.ports.isEmpty { s.usedPorts = s.entries.values.reduce(into: []) { $0.formUnion($1.ports) } }
        return true
    }

    /// Whether a pod ("namespace/name") is accounted here.
    public func contains(key: String) -> Bool { storage.entries[key] != nil }
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
