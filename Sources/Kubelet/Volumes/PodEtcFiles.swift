import Foundation
import KubeAPI

/// Where pods look names up: the kubelet's `clusterDNS`, `clusterDomain` and `resolvConf` settings.
public struct PodDNSSettings: Sendable, Equatable {
    public var clusterDNS: [String]
    public var clusterDomain: String
    /// The node's resolver file, the base of `dnsPolicy: Default` (upstream `--resolv-conf`).
    public var hostResolvConf: String

    public init(clusterDNS: [String] = [], clusterDomain: String = "cluster.local", hostResolvConf: String = "/etc/resolv.conf") {
        self.clusterDNS = clusterDNS; self.clusterDomain = clusterDomain; self.hostResolvConf = hostResolvConf
    }
}

/// The files every container of a pod sees at /etc/hosts, /etc/hostname and /etc/resolv.conf, as upstream's kubelet
/// (hosts) and CRI runtime (hostname, resolv.conf) make them: written once per pod under its directory and bound into
/// each container, unless the container mounts something of its own there.
public enum PodEtcFiles {
    static let upstreamLimits = (nameservers: 3, searches: 32)

    /// The pod's host name: `spec.hostname`, else its name, cut to the 63 characters of a DNS label.
    public static func hostname(_ pod: JSONValue) -> String {
        if pod[path: ["spec", "hostNetwork"]]?.bool == true { return ProcessInfo.processInfo.hostName }
        let name = pod[path: ["spec", "hostname"]]?.string.flatMap { $0.isEmpty ? nil : $0 } ?? pod.metadata.name ?? ""
        var label = String(name.prefix(63))
        while label.hasSuffix("-") || label.hasSuffix(".") { label.removeLast() }
        return label
    }

    /// `/etc/hosts`: loopback entries and the pod's own address and names; for host-network pods the node's file;
    /// `hostAliases` last in both cases.
    public static func hosts(_ pod: JSONValue, podIPs: [String], clusterDomain: String, nodeHosts: String) -> String {
        var text: String
        if pod[path: ["spec", "hostNetwork"]]?.bool == true {
            text = "# Kubernetes-managed hosts file (host network).\n" + nodeHosts
            if !text.hasSuffix("\n") { text += "\n" }
        } else {
            text = """
                # Kubernetes-managed hosts file.
                127.0.0.1\tlocalhost
                ::1\tlocalhost ip6-localhost ip6-loopback
                fe00::0\tip6-localnet
                fe00::0\tip6-mcastprefix
                fe00::1\tip6-allnodes
                fe00::2\tip6-allrouters

                """
            let name = hostname(pod)
            let subdomain = pod[path: ["spec", "subdomain"]]?.string ?? ""
            let names = subdomain.isEmpty ? name
                : "\(name).\(subdomain).\(pod.metadata.namespace ?? "default").svc.\(clusterDomain)\t\(name)"
            for ip in podIPs { text += "\(ip)\t\(names)\n" }
        }
        let aliases = (pod[path: ["spec", "hostAliases"]]?.array ?? []).compactMap { alias -> String? in
            guard let ip = alias["ip"]?.string else { return nil }
            let names = (alias["hostnames"]?.array ?? []).compactMap(\.string)
            return names.isEmpty ? nil : "\(ip)\t" + names.joined(separator: "\t")
        }
        if !aliases.isEmpty { text += "\n# Entries added by HostAliases.\n" + aliases.joined(separator: "\n") + "\n" }
        return text
    }

    /// A parsed resolver file.
    public struct Resolver: Equatable, Sendable {
        public var nameservers: [String] = []
        public var searches: [String] = []
        public var options: [String] = []

        public init(nameservers: [String] = [], searches: [String] = [], options: [String] = []) {
            self.nameservers = nameservers; self.searches = searches; self.options = options
        }

        public init(parsing text: String) {
            for line in text.split(separator: "\n") {
                let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
                guard let keyword = fields.first, !keyword.hasPrefix("#"), !keyword.hasPrefix(";") else { continue }
                switch keyword {
                case "nameserver": nameservers += fields.dropFirst().prefix(1)
                case "search", "domain": searches = Array(fields.dropFirst())
                case "options": options += fields.dropFirst()
                default: continue
                }
            }
        }

        public var text: String {
            var lines: [String] = []
            if !searches.isEmpty { lines.append("search " + searches.joined(separator: " ")) }
            lines += nameservers.map { "nameserver " + $0 }
            if !options.isEmpty { lines.append("options " + options.joined(separator: " ")) }
            return lines.joined(separator: "\n") + "\n"
        }
    }

    /// `/etc/resolv.conf` by `dnsPolicy` (upstream `dns.Configurer`): ClusterFirst uses the cluster DNS service and the
    /// namespace's search path (host-network pods and a kubelet without `clusterDNS` fall back to the node's file, as
    /// upstream does), Default the node's file, None only `dnsConfig`; `dnsConfig` is merged into every policy.
    public static func resolver(_ pod: JSONValue, settings: PodDNSSettings, hostResolver: Resolver) -> Resolver {
        let policy = pod[path: ["spec", "dnsPolicy"]]?.string ?? "ClusterFirst"
        let hostNetwork = pod[path: ["spec", "hostNetwork"]]?.bool == true
        var result: Resolver
        switch policy {
        case "None":
            result = Resolver()
        case "ClusterFirst" where !hostNetwork, "ClusterFirstWithHostNet":
            if settings.clusterDNS.isEmpty {
                result = hostResolver
            } else {
                let domain = settings.clusterDomain
                let namespace = pod.metadata.namespace ?? "default"
                result = Resolver(nameservers: settings.clusterDNS,
                                  searches: ["\(namespace).svc.\(domain)", "svc.\(domain)", domain] + hostResolver.searches,
                                  options: ["ndots:5"])
            }
        default:
            result = hostResolver
        }
        let config = pod[path: ["spec", "dnsConfig"]] ?? .emptyObject
        result.nameservers += (config["nameservers"]?.array ?? []).compactMap(\.string)
        for search in (config["searches"]?.array ?? []).compactMap(\.string) where !result.searches.contains(search) {
            result.searches.append(search)
        }
        for option in config["options"]?.array ?? [] {
            guard let name = option["name"]?.string else { continue }
            result.options.removeAll { $0 == name || $0.hasPrefix(name + ":") }
            result.options.append(option["value"]?.string.map { "\(name):\($0)" } ?? name)
        }
        result.nameservers = Array(result.nameservers.prefix(upstreamLimits.nameservers))
        result.searches = Array(result.searches.prefix(upstreamLimits.searches))
        return result
    }

    /// Writes the three files into the pod's directory; returns what to bind where.
    public static func write(_ pod: JSONValue, podIPs: [String], settings: PodDNSSettings, podDirectory: String,
                             nodeHosts: String = "/etc/hosts") throws -> [VolumeManager.Mount] {
        let nodeHostsText = (try? String(contentsOfFile: nodeHosts, encoding: .utf8)) ?? ""
        let hostResolver = Resolver(parsing: (try? String(contentsOfFile: settings.hostResolvConf, encoding: .utf8)) ?? "")
        let files: [(file: String, destination: String, contents: String)] = [
            ("etc-hosts", "/etc/hosts", hosts(pod, podIPs: podIPs, clusterDomain: settings.clusterDomain, nodeHosts: nodeHostsText)),
            ("etc-hostname", "/etc/hostname", hostname(pod) + "\n"),
            ("etc-resolv.conf", "/etc/resolv.conf", resolver(pod, settings: settings, hostResolver: hostResolver).text),
        ]
        try FileManager.default.createDirectory(atPath: podDirectory, withIntermediateDirectories: true)
        return try files.map { entry in
            let path = podDirectory + "/" + entry.file
            try Data(entry.contents.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
            return VolumeManager.Mount(source: path, destination: entry.destination, readOnly: false)
        }
    }

    /// The pod files a container gets: all but those it mounts a volume over itself.
    public static func mounts(_ files: [VolumeManager.Mount], excluding own: [VolumeManager.Mount]) -> [VolumeManager.Mount] {
        files.filter { file in !own.contains { $0.destination == file.destination } }
    }
}
