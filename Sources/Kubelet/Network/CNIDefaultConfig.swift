import Foundation
import KubeAPI
import Manifests

/// The pod network the kubelet installs when the node has none: a `cni0` bridge with host-local IPAM over the
/// node's podCIDR(s), chained with portmap for `hostPort`. Loopback is not part of it: the runtime brings up `lo`
/// in every pod namespace itself, as containerd does.
public struct CNIDefaultConfig: Sendable, Equatable {
    /// Sorts first among typical add-on files (`10-calico.conflist`, ...), and names who wrote it.
    public static let fileName = "10-kubeadm-swift.conflist"
    /// The network name (host-local keeps reservations in `<dataDir>/kubeadm-swift`).
    public static let networkName = "kubeadm-swift"
    /// The node-side bridge, the name every CNI bridge tutorial uses.
    public static let bridgeName = "cni0"

    /// The node's pod CIDRs (`Node.spec.podCIDRs`); one per IP family.
    public var podCIDRs: [IPNetwork]
    /// host-local's data directory (`<cniStateDir>/networks`), written out so that a rooted test node keeps its
    /// reservations under its own root.
    public var ipamDataDir: String

    /// - Parameters:
    ///   - podCIDRs: the node's pod CIDRs as text, e.g. `["10.244.1.0/24"]`.
    ///   - ipamDataDir: host-local's data directory.
    public init(podCIDRs: [String], ipamDataDir: String) throws {
        guard !podCIDRs.isEmpty else {
            throw CNIError(.invalidArgument, "the node has no podCIDR to build a pod network from",
                           hint: "set networking.podSubnet in the kubeadm configuration so the controller manager allocates node CIDRs")
        }
        self.podCIDRs = try podCIDRs.map { text in
            guard let network = IPNetwork(text) else {
                throw CNIError(.invalidArgument, "podCIDR \"\(text)\" is not a CIDR", hint: "write it like 10.244.1.0/24")
            }
            return network
        }
        self.ipamDataDir = ipamDataDir
    }

    /// The configuration list.
    public var conflist: JSONValue {
        let ranges = JSONValue.array(podCIDRs.map { [["subnet": .string($0.description)]] })
        let routes = JSONValue.array(podCIDRs.map { ["dst": .string($0.address.isIPv4 ? "0.0.0.0/0" : "::/0")] })
        return [
            "cniVersion": .string(CNIVersion.current),
            "name": .string(Self.networkName),
            "plugins": [
                [
                    "type": "bridge",
                    "bridge": .string(Self.bridgeName),
                    // The bridge is the pods' gateway; masquerade pod traffic leaving the node; hairpin lets a
                    // pod reach itself through its own hostPort or service address.
                    "isGateway": true,
                    "ipMasq": true,
                    "hairpinMode": true,
                    "ipam": [
                        "type": "host-local",
                        "ranges": ranges,
                        "routes": routes,
                        "dataDir": .string(ipamDataDir),
                    ],
                ],
                ["type": "portmap", "capabilities": ["portMappings": true]],
            ],
        ]
    }

    /// Writes the configuration into `directory` unless some CNI configuration is already there (an add-on's,
    /// or ours from an earlier start); returns the path written, or nil.
    /// - Parameters:
    ///   - directory: the CNI configuration directory (`/etc/cni/net.d`).
    @discardableResult
    public func installIfMissing(in directory: String) throws -> String? {
        guard try CNIConfigLoader.configFiles(in: directory).isEmpty else { return nil }
        let path = directory + "/" + Self.fileName
        try AtomicFile.write(conflist.prettyJSONString + "\n", to: path, mode: 0o644)
        return path
    }
}
