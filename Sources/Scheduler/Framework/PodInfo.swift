import KubeAPI

/// What the filters and scores need of a pod, read from its JSON once per scheduling attempt (upstream's PreFilter
/// state and `framework.PodInfo`): a cycle looks at hundreds of nodes, and parsing quantities or walking the spec
/// for each of them dominated the cycle.
public struct PodInfo: Sendable {
    /// A parsed toleration.
    public struct Toleration: Sendable, Hashable {
        public var key: String
        public var op: String
        public var value: String
        public var effect: String

        /// Upstream `ToleratesTaint`.
        public func tolerates(_ taint: NodeInfo.Taint) -> Bool {
            if !effect.isEmpty && effect != taint.effect { return false }
            if key.isEmpty { return op == "Exists" }
            guard key == taint.key else { return false }
            switch op {
            case "Exists": return true
            case "Equal", "": return value == taint.value
            default: return false
            }
        }
    }

    public let pod: JSONValue
    /// "namespace/name".
    public let key: String
    public let namespace: String
    public let labels: [String: String]
    /// `spec.nodeName` (empty when unset).
    public let nodeName: String
    /// Effective requests (upstream `computePodResourceRequest`).
    public let milliCPU: Int64
    public let memory: Int64
    /// Requests with upstream's scoring defaults for containers that set none (100m cpu, 200Mi memory).
    public let scoringMilliCPU: Int64
    public let scoringMemory: Int64
    /// Host ports as "protocol/ip/port".
    public let hostPorts: Set<String>
    public let tolerations: [Toleration]
    public let nodeSelector: [String: String]
    /// Required node affinity terms; nil when the pod has none (any node matches).
    public let requiredTerms: [JSONValue]?
    public let preferredTerms: [JSONValue]
    public let topologyConstraints: [JSONValue]
    /// The claims of the pod's `persistentVolumeClaim` volumes.
    public let claimNames: [String]
    /// The state of those claims, read by the scheduling loop when there are any (nil: no volume constraints).
    public var volumes: PodVolumes?

    public init(_ pod: JSONValue) {
        self.pod = pod
        let metadata = pod.metadata
        namespace = metadata.namespace ?? "default"
        key = (metadata.namespace ?? "") + "/" + (metadata.name ?? "")
        labels = Dictionary(metadata.labels.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
        let spec = pod["spec"] ?? .emptyObject
        nodeName = spec["nodeName"]?.string ?? ""
        (milliCPU, memory) = ResourceMath.podRequests(pod)
        (scoringMilliCPU, scoringMemory) = NodeResources.scoringRequests(pod)
        hostPorts = ResourceMath.hostPorts(pod)
        tolerations = (spec["tolerations"]?.array ?? []).map { toleration in
            Toleration(key: toleration["key"]?.string ?? "", op: toleration["operator"]?.string ?? "Equal",
                       value: toleration["value"]?.string ?? "", effect: toleration["effect"]?.string ?? "")
        }
        var selector: [String: String] = [:]
        for (key, value) in spec["nodeSelector"]?.object ?? [:] { selector[key] = value.string ?? "" }
        nodeSelector = selector
        let nodeAffinity = spec[path: ["affinity", "nodeAffinity"]]
        requiredTerms = nodeAffinity?[path: ["requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms"]]?.array
        preferredTerms = nodeAffinity?["preferredDuringSchedulingIgnoredDuringExecution"]?.array ?? []
        topologyConstraints = spec["topologySpreadConstraints"]?.array ?? []
        claimNames = (spec["volumes"]?.array ?? []).compactMap { $0[path: ["persistentVolumeClaim", "claimName"]]?.string }
    }

    /// Whether the pod tolerates the taint.
    public func tolerates(_ taint: NodeInfo.Taint) -> Bool { tolerations.contains { $0.tolerates(taint) } }
}
