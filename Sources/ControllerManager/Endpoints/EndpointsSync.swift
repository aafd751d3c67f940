import KubeAPI

/// The Endpoints controller's decisions (upstream `pkg/controller/endpoint`): an Endpoints object named after
/// each selector Service, with ready pods under `addresses`, unready ones under `notReadyAddresses` (or all
/// under `addresses` with `publishNotReadyAddresses`), and ports resolved per pod from `targetPort`.
///
/// Subsets are repacked as upstream's `RepackSubsets` does (addresses sharing the same port set form one subset)
/// but sorted by port name/number and address IP rather than upstream's hash order; consumers treat subsets as
/// sets. The `last-change-trigger-time` and over-capacity annotations are not written.
public enum EndpointsSync {
    /// The write that brings the Endpoints in line, or nil when it already is.
    /// - Parameters:
    ///   - service: the Service; nil when it was deleted.
    ///   - namespace: the Service's namespace (known even when it was deleted).
    ///   - name: the Service's name.
    ///   - pods: every pod in its namespace.
    ///   - existing: the current Endpoints object, if any.
    public static func plan(service: JSONValue?, namespace: String, name: String, pods: [JSONValue], existing: JSONValue?) -> ControllerAction? {
        guard let service else {
            return existing.map { .delete(ObjectRef($0, kind: .endpoints)) }
        }
        guard !service.metadata.isBeingDeleted, ServiceBackends.isManaged(service) else { return nil }
        let subsets = self.subsets(service: service, pods: pods)
        var labels = service.metadata.labels
        if ServiceBackends.hasClusterIP(service) { labels[ServiceBackends.headlessLabel] = nil } else { labels[ServiceBackends.headlessLabel] = "" }
        if let existing {
            var currentLabels = existing.metadata.labels
            currentLabels[ServiceBackends.headlessLabel] = nil
            let currentSubsets = existing["subsets"]?.array ?? []
            if currentSubsets == subsets && sameLabels(currentLabels, service.metadata.labels)
                && existing.metadata.labels[ServiceBackends.headlessLabel] == labels[ServiceBackends.headlessLabel] {
                return nil
            }
            var updated = existing
            updated.metadata.labels = labels
            updated["subsets"] = subsets.isEmpty ? nil : .array(subsets)
            return .update(updated)
        }
        var endpoints: JSONValue = ["apiVersion": "v1", "kind": "Endpoints"]
        var meta = ObjectMetaView()
        meta.name = name
        meta.namespace = namespace
        meta.labels = labels
        endpoints.metadata = meta
        if !subsets.isEmpty { endpoints["subsets"] = .array(subsets) }
        return .create(endpoints)
    }

    /// The repacked subsets for a Service.
    /// - Parameters:
    ///   - service: the Service.
    ///   - pods: every pod in its namespace.
    public static func subsets(service: JSONValue, pods: [JSONValue]) -> [JSONValue] {
        let publishNotReady = service[path: ["spec", "publishNotReadyAddresses"]]?.bool ?? false
        let servicePorts = service[path: ["spec", "ports"]]?.array ?? []
        let headless = !ServiceBackends.hasClusterIP(service)
        // Port set (sorted ports as JSON) -> addresses: the repacking upstream does after the fact.
        var groups: [[JSONValue]: (ready: [JSONValue], notReady: [JSONValue])] = [:]
        for pod in ServiceBackends.selectedPods(service, pods) where ServiceBackends.shouldInclude(pod, includeTerminating: publishNotReady) {
            let family = ServiceBackends.ipFamilies(service, samplePod: pod).first ?? "IPv4"
            guard let ip = ServiceBackends.podIP(pod, family: family) else { continue }
            var address: JSONValue = ["ip": .string(ip)]
            if let hostname = ServiceBackends.hostname(pod, service: service) { address["hostname"] = .string(hostname) }
            let nodeName = PodView(pod).nodeName
            if !nodeName.isEmpty { address["nodeName"] = .string(nodeName) }
            address["targetRef"] = ServiceBackends.targetRef(pod)
            var ports: [JSONValue] = []
            for servicePort in servicePorts {
                guard let number = ServiceBackends.findPort(pod, servicePort) else { continue }
                var port: JSONValue = [:]
                if let name = servicePort["name"]?.string, !name.isEmpty { port["name"] = .string(name) }
                port["port"] = .integer(Int64(number))
                port["protocol"] = .string(servicePort["protocol"]?.string ?? "TCP")
                if let appProtocol = servicePort["appProtocol"] { port["appProtocol"] = appProtocol }
                ports.append(port)
            }
            // A pod matching none of the ports appears nowhere, except in headless Services without ports.
            if ports.isEmpty && !(servicePorts.isEmpty && headless) { continue }
            let key = ports.sorted(by: portOrder)
            if publishNotReady || PodView(pod).isReady {
                groups[key, default: ([], [])].ready.append(address)
            } else {
                groups[key, default: ([], [])].notReady.append(address)
            }
        }
        return groups.map { ports, addresses -> JSONValue in
            var subset: JSONValue = [:]
            let ready = unique(addresses.ready).sorted(by: addressOrder)
            let readyKeys = Set(ready.map(addressKey))
            // An address ready for some port and not for another counts as ready (upstream mapAddressesByPort).
            let notReady = unique(addresses.notReady).filter { !readyKeys.contains(addressKey($0)) }.sorted(by: addressOrder)
            if !ready.isEmpty { subset["addresses"] = .array(ready) }
            if !notReady.isEmpty { subset["notReadyAddresses"] = .array(notReady) }
            if !ports.isEmpty { subset["ports"] = .array(ports) }
            return subset
        }.sorted { firstIP($0) < firstIP($1) }
    }

    /// Label maps compared as sets (an OrderedDictionary compares its order too).
    static func sameLabels(_ a: some Sequence<(key: String, value: String)>, _ b: some Sequence<(key: String, value: String)>) -> Bool {
        Dictionary(a.map { ($0.key, $0.value) }, uniquingKeysWith: { $1 }) == Dictionary(b.map { ($0.key, $0.value) }, uniquingKeysWith: { $1 })
    }

    static func addressKey(_ address: JSONValue) -> String {
        (address["ip"]?.string ?? "") + "/" + (address[path: ["targetRef", "uid"]]?.string ?? "")
    }

    static func unique(_ addresses: [JSONValue]) -> [JSONValue] {
        var seen = Set<String>()
        return addresses.filter { seen.insert(addressKey($0)).inserted }
    }

    static func addressOrder(_ a: JSONValue, _ b: JSONValue) -> Bool { addressKey(a) < addressKey(b) }

    static func portOrder(_ a: JSONValue, _ b: JSONValue) -> Bool {
        let (na, nb) = (a["name"]?.string ?? "", b["name"]?.string ?? "")
        return na != nb ? na < nb : (a["port"]?.int ?? 0) < (b["port"]?.int ?? 0)
    }

    static func firstIP(_ subset: JSONValue) -> String {
        (subset["addresses"]?[0] ?? subset["notReadyAddresses"]?[0]).map(addressKey) ?? ""
    }
}
