import KubeAPI

/// Services, endpoints, endpoint slices, ingresses, ingress classes and network policies.
enum NetworkColumns {
    private static let name: TableCellFunction = { object, _ in .string(object.metadata.name ?? "") }
    private static let age: TableCellFunction = { object, now in TableCells.age(object, now) }

    /// NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE, wide SELECTOR.
    static let services = TableColumnSet([
        .column(.name, name),
        .column(TableColumn("Type", "type determines how the Service is exposed. Defaults to ClusterIP.")) { object, _ in
            .string(serviceType(object))
        },
        .column(TableColumn("Cluster-IP", "clusterIP is the IP address of the service and is usually assigned "
            + "randomly.")) { object, _ in
            let ips = TableCells.array(object[path: ["spec", "clusterIPs"]]).compactMap(\.string)
            return .string(TableCells.orNone(ips.first ?? TableCells.string(object[path: ["spec", "clusterIP"]])))
        },
        .column(TableColumn("External-IP", "externalIPs is a list of IP addresses for which nodes in the cluster "
            + "will also accept traffic for this service.")) { object, _ in .string(externalIP(object)) },
        .column(TableColumn("Port(s)", "The list of ports that are exposed by this service.")) { object, _ in
            .string(TableCells.orNone(ports(object)))
        },
        .column(.age, age),
        .column(TableColumn("Selector", priority: 1, "Route service traffic to pods with label keys and values "
            + "matching this selector.")) { object, _ in .string(TableCells.labels(object[path: ["spec", "selector"]])) },
    ])

    /// NAME ENDPOINTS AGE.
    static let endpoints = TableColumnSet([
        .column(.name, name),
        .column(TableColumn("Endpoints", "The set of all endpoints is the union of all subsets.")) { object, _ in
            .string(endpointAddresses(object))
        },
        .column(.age, age),
    ])

    /// NAME ADDRESSTYPE PORTS ENDPOINTS AGE.
    static let endpointSlices = TableColumnSet([
        .column(.name, name),
        .column(TableColumn("AddressType", "addressType specifies the type of address carried by this EndpointSlice.")) { object, _ in
            .string(TableCells.string(object["addressType"]))
        },
        .column(TableColumn("Ports", "ports specifies the list of network ports exposed by each endpoint in this "
            + "slice.")) { object, _ in
            let ports = TableCells.array(object["ports"]).map { port -> String in
                if let number = port["port"]?.int64 { return String(number) }
                return port["name"]?.string ?? "*"
            }
            return .string(TableCells.listWithMore(Array(ports.prefix(3)), total: ports.count, max: 3))
        },
        .column(TableColumn("Endpoints", "endpoints is a list of unique endpoints in this slice.")) { object, _ in
            let addresses = TableCells.array(object["endpoints"]).flatMap { TableCells.array($0["addresses"]).compactMap(\.string) }
            return .string(TableCells.listWithMore(Array(addresses.prefix(3)), total: addresses.count, max: 3))
        },
        .column(.age, age),
    ])

    /// NAME CLASS HOSTS ADDRESS PORTS AGE.
    static let ingresses = TableColumnSet([
        .column(.name, name),
        .column(TableColumn("Class", "The name of the IngressClass resource that should be used for additional "
            + "configuration")) { object, _ in
            .string(object[path: ["spec", "ingressClassName"]]?.string ?? "<none>")
        },
        .column(TableColumn("Hosts", "Hosts that incoming requests are matched against before the ingress rule")) { object, _ in
            .string(ingressHosts(object))
        },
        .column(TableColumn("Address", "Address is a list containing ingress points for the load-balancer")) { object, _ in
            .string(loadBalancerAddresses(object[path: ["status", "loadBalancer"]]))
        },
        .column(TableColumn("Ports", "Ports of TLS configurations that open")) { object, _ in
            .string(TableCells.array(object[path: ["spec", "tls"]]).isEmpty ? "80" : "80, 443")
        },
        .column(.age, age),
    ])

    /// NAME CONTROLLER PARAMETERS AGE.
    static let ingressClasses = TableColumnSet([
        .column(.name, name),
        .column(TableColumn("Controller", "Controller that is responsible for handling this class")) { object, _ in
            .string(TableCells.string(object[path: ["spec", "controller"]]))
        },
        .column(TableColumn("Parameters", "A reference to a resource with additional parameters")) { object, _ in
            guard let parameters = object[path: ["spec", "parameters"]], !parameters.isNull else { return "<none>" }
            var text = TableCells.string(parameters["kind"])
            if let group = parameters["apiGroup"]?.string { text += "." + group }
            return .string(text + "/" + TableCells.string(parameters["name"]))
        },
        .column(.age, age),
    ])

    /// NAME POD-SELECTOR AGE.
    static let networkPolicies = TableColumnSet([
        .column(.name, name),
        .column(TableColumn("Pod-Selector", "Selects the pods to which this NetworkPolicy object applies.")) { object, _ in
            // podSelector is not a pointer upstream: an absent one is the empty selector, not "nothing".
            .string(TableCells.labelSelector(object[path: ["spec", "podSelector"]] ?? .emptyObject))
        },
        .column(.age, age),
    ])

    /// `spec.type`, which defaulting sets to ClusterIP.
    private static func serviceType(_ service: JSONValue) -> String {
        service[path: ["spec", "type"]]?.string ?? "ClusterIP"
    }

    /// EXTERNAL-IP by service type: external IPs for ClusterIP and NodePort, load-balancer ingress points (sorted,
    /// de-duplicated) plus external IPs for LoadBalancer ("<pending>" before any is assigned), the external name for
    /// ExternalName. The server always fills the wide form, so nothing is clipped.
    static func externalIP(_ service: JSONValue) -> String {
        let externalIPs = TableCells.array(service[path: ["spec", "externalIPs"]]).compactMap(\.string)
        switch serviceType(service) {
        case "ClusterIP", "NodePort":
            return externalIPs.isEmpty ? "<none>" : externalIPs.joined(separator: ",")
        case "LoadBalancer":
            let balancers = loadBalancerAddresses(service[path: ["status", "loadBalancer"]])
            if !externalIPs.isEmpty {
                return ((balancers.isEmpty ? [] : [balancers]) + externalIPs).joined(separator: ",")
            }
            return balancers.isEmpty ? "<pending>" : balancers
        case "ExternalName":
            return TableCells.string(service[path: ["spec", "externalName"]])
        default:
            return "<unknown>"
        }
    }

    /// The IPs (or hostnames) of `status.loadBalancer.ingress`, sorted and de-duplicated, comma-joined.
    static func loadBalancerAddresses(_ status: JSONValue?) -> String {
        let addresses = TableCells.array(status?["ingress"]).compactMap { ingress -> String? in
            if let ip = ingress["ip"]?.string, !ip.isEmpty { return ip }
            if let host = ingress["hostname"]?.string, !host.isEmpty { return host }
            return nil
        }
        return Set(addresses).sorted().joined(separator: ",")
    }

    /// "80/TCP,443:30443/TCP": port, node port when set, protocol (TCP when defaulting left it out).
    static func ports(_ service: JSONValue) -> String {
        TableCells.array(service[path: ["spec", "ports"]]).map { port in
            let number = TableCells.integer(port["port"])
            let proto = port["protocol"]?.string ?? "TCP"
            let nodePort = TableCells.integer(port["nodePort"])
            return nodePort > 0 ? "\(number):\(nodePort)/\(proto)" : "\(number)/\(proto)"
        }.joined(separator: ",")
    }

    /// Up to three "ip:port" entries over all subsets and ports (bare IPs for subsets without ports), then
    /// " + N more..."; "<none>" without subsets.
    static func endpointAddresses(_ endpoints: JSONValue) -> String {
        let subsets = TableCells.array(endpoints["subsets"])
        guard !subsets.isEmpty else { return "<none>" }
        let max = 3
        var list: [String] = []
        var total = 0
        for subset in subsets {
            let addresses = TableCells.array(subset["addresses"]).map { TableCells.string($0["ip"]) }
            let ports = TableCells.array(subset["ports"])
            if ports.isEmpty {
                total += addresses.count
                list += addresses.prefix(max - list.count)
                continue
            }
            for port in ports {
                total += addresses.count
                let number = TableCells.integer(port["port"])
                list += addresses.prefix(max - list.count).map { hostPort($0, number) }
            }
        }
        let joined = list.joined(separator: ",")
        return total > list.count ? joined + " + \(total - max) more..." : joined
    }

    /// Go's `net.JoinHostPort`: IPv6 addresses get brackets.
    private static func hostPort(_ host: String, _ port: Int64) -> String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// Up to three rule hosts, then " + N more..." counting all rules; "*" when no rule names a host.
    static func ingressHosts(_ ingress: JSONValue) -> String {
        let rules = TableCells.array(ingress[path: ["spec", "rules"]])
        let max = 3
        var list: [String] = []
        var more = false
        for rule in rules {
            if list.count == max { more = true }
            if !more, let host = rule["host"]?.string, !host.isEmpty { list.append(host) }
        }
        if list.isEmpty { return "*" }
        let joined = list.joined(separator: ",")
        return more ? joined + " + \(rules.count - max) more..." : joined
    }
}
