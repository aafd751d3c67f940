import KubeAPI

/// A plugin's ADD result, read only as far as the kubelet needs (interfaces and addresses); the raw JSON is kept
/// whole because it is the next plugin's `prevResult` and the cached result DEL receives.
public struct CNIResult: Sendable, Equatable {
    /// An interface the result lists; `sandbox` is set for interfaces inside the pod.
    public struct Interface: Sendable, Equatable {
        /// The interface name.
        public var name: String
        /// Its hardware address.
        public var mac: String?
        /// The namespace path for interfaces inside the pod; nil on the node side.
        public var sandbox: String?
    }

    /// An address the result assigns; `interface` indexes ``interfaces``.
    public struct IPConfig: Sendable, Equatable {
        /// CIDR notation, e.g. `10.244.1.2/24`.
        public var address: String
        /// The gateway for this address, if the plugin set one.
        public var gateway: String?
        /// Index into ``CNIResult/interfaces``.
        public var interface: Int?
    }

    /// The result as the plugin printed it.
    public var raw: JSONValue
    /// The interfaces the chain created or touched.
    public var interfaces: [Interface]
    /// The addresses assigned.
    public var ips: [IPConfig]

    /// Reads a result of any spec version: `ips` (0.3.0 and later) or `ip4`/`ip6` (0.1.0, 0.2.0).
    /// - Parameters:
    ///   - raw: the parsed JSON the plugin printed.
    public init(_ raw: JSONValue) throws {
        guard raw.object != nil else {
            throw CNIError(.invalidResult, "the plugin result is not a JSON object", hint: "check the plugin version")
        }
        self.raw = raw
        interfaces = (raw["interfaces"]?.array ?? []).map {
            Interface(name: $0["name"]?.string ?? "", mac: $0["mac"]?.string, sandbox: $0["sandbox"]?.string)
        }
        if let list = raw["ips"]?.array {
            ips = list.compactMap { entry in
                entry["address"]?.string.map { IPConfig(address: $0, gateway: entry["gateway"]?.string, interface: entry["interface"]?.int) }
            }
        } else {
            ips = ["ip4", "ip6"].compactMap { key in
                raw[key]?["ip"]?.string.map { IPConfig(address: $0, gateway: raw[key]?["gateway"]?.string, interface: nil) }
            }
        }
    }

    /// The pod's addresses without prefix length, in result order (the first is the pod's primary IP).
    ///
    /// Only addresses on the pod-side interface count: a gateway plugin may also report the bridge's own address
    /// (an interface without `sandbox`). Addresses with no interface index are assumed to be the pod's, as old
    /// results carry no index at all.
    /// - Parameters:
    ///   - interfaceName: the pod interface (`CNI_IFNAME`).
    public func podIPs(interfaceName: String) -> [String] {
        ips.filter { ip in
            guard let index = ip.interface else { return true }
            guard interfaces.indices.contains(index) else { return false }
            let interface = interfaces[index]
            return !(interface.sandbox ?? "").isEmpty || interface.name == interfaceName
        }.map { ip in ip.address.split(separator: "/").first.map(String.init) ?? ip.address }
    }
}
