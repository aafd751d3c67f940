import KubeAPI

/// What Endpoints and EndpointSlices share about a Service and the pods behind it (upstream
/// `endpointsliceutil` and `podutil.FindPort`).
public enum ServiceBackends {
    /// The label that marks Endpoints and EndpointSlices of headless Services.
    public static let headlessLabel = "service.kubernetes.io/headless"

    /// Whether the controllers manage endpoints for this Service: ExternalName Services and Services without a
    /// selector get none (the latter's are written by hand).
    /// - Parameters:
    ///   - service: the Service.
    public static func isManaged(_ service: JSONValue) -> Bool {
        service[path: ["spec", "type"]]?.string != "ExternalName" && service[path: ["spec", "selector"]]?.object != nil
    }

    /// The pods the Service selects (its `spec.selector` as equality requirements; an empty selector selects
    /// every pod of the namespace, as upstream's `labels.Set{}.AsSelector()` does).
    /// - Parameters:
    ///   - service: the Service.
    ///   - pods: every pod in its namespace.
    public static func selectedPods(_ service: JSONValue, _ pods: [JSONValue]) -> [JSONValue] {
        let selector = service[path: ["spec", "selector"]]?.object ?? [:]
        let namespace = service.metadata.namespace
        return pods.filter { pod in
            let labels = pod.metadata.labels
            return pod.metadata.namespace == namespace && selector.allSatisfy { labels[$0.key] == $0.value.string }
        }
    }

    /// Upstream `ShouldPodBeInEndpoints`: not terminal, has an IP, and not terminating unless terminating pods
    /// are included.
    /// - Parameters:
    ///   - pod: a pod.
    ///   - includeTerminating: keep pods being deleted.
    public static func shouldInclude(_ pod: JSONValue, includeTerminating: Bool) -> Bool {
        let view = PodView(pod)
        if view.isTerminal { return false }
        if podIPs(pod).isEmpty { return false }
        return includeTerminating || !pod.metadata.isBeingDeleted
    }

    /// `status.podIPs`, falling back to `status.podIP`.
    static func podIPs(_ pod: JSONValue) -> [String] {
        let listed = (pod[path: ["status", "podIPs"]]?.array ?? []).compactMap { $0["ip"]?.string }.filter { !$0.isEmpty }
        if !listed.isEmpty { return listed }
        return (pod[path: ["status", "podIP"]]?.string).map { $0.isEmpty ? [] : [$0] } ?? []
    }

    /// The IP families the Service's endpoints use: `spec.ipFamilies`, else guessed from the cluster IP, else
    /// (headless) from the pod IP, as upstream does for objects from older API servers.
    /// - Parameters:
    ///   - service: the Service.
    ///   - samplePod: a pod, for headless Services without families.
    public static func ipFamilies(_ service: JSONValue, samplePod: JSONValue? = nil) -> [String] {
        let listed = (service[path: ["spec", "ipFamilies"]]?.array ?? []).compactMap(\.string)
        if !listed.isEmpty { return listed }
        let clusterIP = service[path: ["spec", "clusterIP"]]?.string ?? ""
        if !clusterIP.isEmpty && clusterIP != "None" { return [clusterIP.contains(":") ? "IPv6" : "IPv4"] }
        if let ip = samplePod.flatMap({ podIPs($0).first }), ip.contains(":") { return ["IPv6"] }
        return ["IPv4"]
    }

    /// The pod's IP of a family, if it has one.
    /// - Parameters:
    ///   - pod: a pod.
    ///   - family: "IPv4" or "IPv6".
    public static func podIP(_ pod: JSONValue, family: String) -> String? {
        podIPs(pod).first { $0.contains(":") == (family == "IPv6") }
    }

    /// Upstream `ShouldSetHostname`: the pod asked for a hostname under this Service's subdomain.
    /// - Parameters:
    ///   - pod: a pod.
    ///   - service: the Service.
    public static func hostname(_ pod: JSONValue, service: JSONValue) -> String? {
        guard let hostname = pod[path: ["spec", "hostname"]]?.string, !hostname.isEmpty,
              pod[path: ["spec", "subdomain"]]?.string == service.metadata.name,
              pod.metadata.namespace == service.metadata.namespace else { return nil }
        return hostname
    }

    /// Upstream `podutil.FindPort`: a numeric `targetPort` as is; a named one is looked up among the container
    /// ports (then sidecar init container ports) with the same protocol.
    /// - Parameters:
    ///   - pod: a pod.
    ///   - servicePort: one entry of `spec.ports`.
    public static func findPort(_ pod: JSONValue, _ servicePort: JSONValue) -> Int? {
        let target = servicePort["targetPort"] ?? servicePort["port"] ?? .null
        if let number = target.int { return number }
        guard let name = target.string else { return nil }
        let protocolName = servicePort["protocol"]?.string ?? "TCP"
        let regular = pod[path: ["spec", "containers"]]?.array ?? []
        let sidecars = (pod[path: ["spec", "initContainers"]]?.array ?? []).filter { $0["restartPolicy"]?.string == "Always" }
        for container in regular + sidecars {
            for port in container["ports"]?.array ?? []
            where port["name"]?.string == name && (port["protocol"]?.string ?? "TCP") == protocolName {
                return port["containerPort"]?.int
            }
        }
        return nil
    }

    /// The reference to a pod an endpoint carries.
    static func targetRef(_ pod: JSONValue) -> JSONValue {
        ["kind": "Pod", "namespace": .string(pod.metadata.namespace ?? ""), "name": .string(pod.metadata.name ?? ""),
         "uid": .string(pod.metadata.uid ?? "")]
    }

    /// Whether the Service has a cluster IP (not headless).
    static func hasClusterIP(_ service: JSONValue) -> Bool {
        let clusterIP = service[path: ["spec", "clusterIP"]]?.string ?? ""
        return !clusterIP.isEmpty && clusterIP != "None"
    }
}
