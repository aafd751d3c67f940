import KubeAPI

/// The EndpointSlice controller's decisions (upstream `pkg/controller/endpointslice` and its reconciler), which
/// kube-proxy and CoreDNS read: per IP family and per resolved port set, slices of at most 100 endpoints with
/// `ready`/`serving`/`terminating` conditions, labelled with the Service name and this controller as manager, owned
/// by the Service. A Service with no endpoints keeps one empty placeholder slice.
///
/// Simplifications: endpoints are packed in pod-name order and existing slices are reused in name order, rather
/// than upstream's fill-the-fullest-slice strategy; topology hints are not written.
public struct EndpointSliceSync: Sendable {
    /// The managed-by label value.
    public static let controllerName = "endpointslice-controller.k8s.io"
    /// Labels every managed slice carries.
    public static let serviceNameLabel = "kubernetes.io/service-name"
    public static let managedByLabel = "endpointslice.kubernetes.io/managed-by"

    /// Endpoints per slice (upstream `--max-endpoints-per-slice` default).
    public var maxEndpointsPerSlice: Int

    /// Creates the decision function.
    /// - Parameters:
    ///   - maxEndpointsPerSlice: the slice size.
    public init(maxEndpointsPerSlice: Int = 100) { self.maxEndpointsPerSlice = maxEndpointsPerSlice }

    /// The creates, updates and deletes that make the Service's slices match its pods.
    /// - Parameters:
    ///   - service: the Service.
    ///   - pods: every pod in its namespace.
    ///   - nodes: the Nodes (for each endpoint's zone).
    ///   - slices: every EndpointSlice in its namespace.
    public func plan(service: JSONValue, pods: [JSONValue], nodes: [JSONValue], slices: [JSONValue]) -> [ControllerAction] {
        guard !service.metadata.isBeingDeleted, ServiceBackends.isManaged(service) else { return [] }
        let serviceName = service.metadata.name ?? ""
        let owned = slices.filter {
            $0.metadata.namespace == service.metadata.namespace && $0.metadata.labels[Self.serviceNameLabel] == serviceName
                && $0.metadata.labels[Self.managedByLabel] == Self.controllerName
        }.sorted { ($0.metadata.name ?? "") < ($1.metadata.name ?? "") }
        let labels = sliceLabels(service)
        let zones = Dictionary(nodes.map { ($0.metadata.name ?? "", $0.metadata.labels["topology.kubernetes.io/zone"]) },
                               uniquingKeysWith: { first, _ in first })
        let selected = ServiceBackends.selectedPods(service, pods).filter { ServiceBackends.shouldInclude($0, includeTerminating: true) }
            .sorted { ($0.metadata.name ?? "") < ($1.metadata.name ?? "") }
        let families = ServiceBackends.ipFamilies(service, samplePod: selected.first)

        // (address type, ports) -> endpoints, in a stable order.
        var groups: [(addressType: String, ports: [JSONValue], endpoints: [JSONValue])] = []
        for family in families {
            for pod in selected {
                guard let ip = ServiceBackends.podIP(pod, family: family) else { continue }
                let ports = endpointPorts(service, pod)
                let endpoint = self.endpoint(pod, ip: ip, service: service, zone: zones[PodView(pod).nodeName] ?? nil)
                if let index = groups.firstIndex(where: { $0.addressType == family && $0.ports == ports }) {
                    groups[index].endpoints.append(endpoint)
                } else {
                    groups.append((family, ports, [endpoint]))
                }
            }
        }
        var desired: [(addressType: String, ports: [JSONValue], endpoints: [JSONValue])] = []
        for group in groups {
            var start = 0
            while start < group.endpoints.count {
                let end = min(start + maxEndpointsPerSlice, group.endpoints.count)
                desired.append((group.addressType, group.ports, Array(group.endpoints[start..<end])))
                start = end
            }
        }
        if desired.isEmpty {
            // The placeholder tells consumers the Service has no endpoints (rather than not being processed).
            desired = [(families.first ?? "IPv4", [], [])]
        }

        var actions: [ControllerAction] = []
        var unused = owned
        for slice in desired {
            let index = unused.firstIndex { $0["addressType"]?.string == slice.addressType && ($0["ports"]?.array ?? []) == slice.ports }
                ?? unused.firstIndex { $0["addressType"]?.string == slice.addressType }
            if let index {
                let existing = unused.remove(at: index)
                var updated = existing
                updated.metadata.replaceLabels(labels)
                updated["ports"] = .array(slice.ports)
                updated["endpoints"] = .array(slice.endpoints)
                let sameLabels = EndpointsSync.sameLabels(existing.metadata.labels, labels)
                if !sameLabels || existing["ports"] != updated["ports"] || existing["endpoints"] != updated["endpoints"] {
                    actions.append(.update(updated))
                }
            } else {
                actions.append(.create(newSlice(service, labels: labels, addressType: slice.addressType, ports: slice.ports, endpoints: slice.endpoints)))
            }
        }
        actions += unused.map { .delete(ObjectRef($0, kind: .endpointSlice)) }
        return actions
    }

    /// Upstream `setEndpointSliceLabels`: the Service's labels (reserved keys excluded), the headless marker
    /// for Services without a cluster IP, the Service name and the manager.
    func sliceLabels(_ service: JSONValue) -> [String: String] {
        var labels: [String: String] = [:]
        let reserved: Set<String> = [Self.serviceNameLabel, Self.managedByLabel, ServiceBackends.headlessLabel]
        for (key, value) in service.metadata.labels where !reserved.contains(key) { labels[key] = value }
        if !ServiceBackends.hasClusterIP(service) { labels[ServiceBackends.headlessLabel] = "" }
        labels[Self.serviceNameLabel] = service.metadata.name ?? ""
        labels[Self.managedByLabel] = Self.controllerName
        return labels
    }

    /// Upstream `getEndpointPorts`: each Service port the pod resolves, named (possibly "") as the Service names it.
    func endpointPorts(_ service: JSONValue, _ pod: JSONValue) -> [JSONValue] {
        (service[path: ["spec", "ports"]]?.array ?? []).compactMap { servicePort in
            guard let number = ServiceBackends.findPort(pod, servicePort) else { return nil }
            var port: JSONValue = ["name": .string(servicePort["name"]?.string ?? ""), "port": .integer(Int64(number)),
                                   "protocol": .string(servicePort["protocol"]?.string ?? "TCP")]
            if let appProtocol = servicePort["appProtocol"] { port["appProtocol"] = appProtocol }
            return port
        }
    }

    /// Upstream `podToEndpoint`: `serving` is readiness, `terminating` is a deletion timestamp, and `ready` is
    /// serving and not terminating (always true with `publishNotReadyAddresses`).
    func endpoint(_ pod: JSONValue, ip: String, service: JSONValue, zone: String?) -> JSONValue {
        let serving = PodView(pod).isReady
        let terminating = pod.metadata.isBeingDeleted
        let ready = (service[path: ["spec", "publishNotReadyAddresses"]]?.bool ?? false) || (serving && !terminating)
        var endpoint: JSONValue = ["addresses": [.string(ip)],
                                   "conditions": ["ready": .bool(ready), "serving": .bool(serving), "terminating": .bool(terminating)]]
        if let hostname = ServiceBackends.hostname(pod, service: service) { endpoint["hostname"] = .string(hostname) }
        endpoint["targetRef"] = ServiceBackends.targetRef(pod)
        let nodeName = PodView(pod).nodeName
        if !nodeName.isEmpty { endpoint["nodeName"] = .string(nodeName) }
        if let zone, !zone.isEmpty { endpoint["zone"] = .string(zone) }
        return endpoint
    }

    func newSlice(_ service: JSONValue, labels: [String: String], addressType: String, ports: [JSONValue], endpoints: [JSONValue]) -> JSONValue {
        var slice: JSONValue = ["apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice"]
        var meta = ObjectMetaView()
        meta.generateName = PodTemplate.generateNamePrefix(service.metadata.name ?? "")
        meta.namespace = service.metadata.namespace
        meta.replaceLabels(labels)
        meta.ownerReferences = [ControllerRef.new(owner: service, kind: .service)]
        slice.metadata = meta
        slice["addressType"] = .string(addressType)
        slice["endpoints"] = .array(endpoints)
        slice["ports"] = .array(ports)
        return slice
    }
}
