import Foundation
import KubeAPI
import Testing
@testable import Kubelet

/// /etc/hosts, /etc/hostname and /etc/resolv.conf as upstream's kubelet and CRI runtimes write them.
struct PodEtcFilesTests {
    static func pod(_ spec: JSONValue, name: String = "web-0", namespace: String = "shop") -> JSONValue {
        ["metadata": ["name": .string(name), "namespace": .string(namespace)], "spec": spec]
    }

    @Test func hostsFileNamesThePodAndItsAliases() {
        let pod = Self.pod(["hostname": "web-0", "subdomain": "web",
                            "hostAliases": [["ip": "10.1.2.3", "hostnames": ["db", "db.local"]]]])
        let text = PodEtcFiles.hosts(pod, podIPs: ["10.244.1.5"], clusterDomain: "cluster.local", nodeHosts: "ignored")
        #expect(text.hasPrefix("# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n"))
        #expect(text.contains("10.244.1.5\tweb-0.web.shop.svc.cluster.local\tweb-0\n"))
        #expect(text.hasSuffix("\n# Entries added by HostAliases.\n10.1.2.3\tdb\tdb.local\n"))
        let plain = PodEtcFiles.hosts(Self.pod([:], name: "logger"), podIPs: ["10.244.1.6"], clusterDomain: "cluster.local", nodeHosts: "")
        #expect(plain.contains("10.244.1.6\tlogger\n"))
        let hostNet = PodEtcFiles.hosts(Self.pod(["hostNetwork": true]), podIPs: ["10.0.0.1"], clusterDomain: "cluster.local",
                                        nodeHosts: "127.0.0.1 localhost\n10.0.0.1 node1")
        #expect(hostNet == "# Kubernetes-managed hosts file (host network).\n127.0.0.1 localhost\n10.0.0.1 node1\n")
    }

    @Test func hostnameIsTheSpecHostnameOrTheNameAsALabel() {
        #expect(PodEtcFiles.hostname(Self.pod([:], name: "logger")) == "logger")
        #expect(PodEtcFiles.hostname(Self.pod(["hostname": "h1"], name: "logger")) == "h1")
        let long = String(repeating: "a", count: 62) + "-b"
        #expect(PodEtcFiles.hostname(Self.pod([:], name: long)) == String(repeating: "a", count: 62))
    }

    @Test func resolverFollowsTheDNSPolicy() {
        let host = PodEtcFiles.Resolver(parsing: "# comment\nnameserver 192.0.2.53\nsearch corp.example\noptions edns0\n")
        #expect(host == PodEtcFiles.Resolver(nameservers: ["192.0.2.53"], searches: ["corp.example"], options: ["edns0"]))
        let settings = PodDNSSettings(clusterDNS: ["10.96.0.10"], clusterDomain: "cluster.local")
        let cluster = PodEtcFiles.resolver(Self.pod([:]), settings: settings, hostResolver: host)
        #expect(cluster.text == "search shop.svc.cluster.local svc.cluster.local cluster.local corp.example\nnameserver 10.96.0.10\noptions ndots:5\n")
        #expect(PodEtcFiles.resolver(Self.pod(["hostNetwork": true]), settings: settings, hostResolver: host) == host,
                "ClusterFirst on the host network means the node's resolver")
        #expect(PodEtcFiles.resolver(Self.pod(["hostNetwork": true, "dnsPolicy": "ClusterFirstWithHostNet"]), settings: settings,
                                     hostResolver: host).nameservers == ["10.96.0.10"])
        #expect(PodEtcFiles.resolver(Self.pod([:]), settings: PodDNSSettings(), hostResolver: host) == host,
                "a kubelet without clusterDNS falls back to the node's resolver")
        let none = PodEtcFiles.resolver(Self.pod(["dnsPolicy": "None",
                                                  "dnsConfig": ["nameservers": ["1.1.1.1"], "searches": ["a.example"],
                                                                "options": [["name": "ndots", "value": "2"], ["name": "rotate"]]]]),
                                        settings: settings, hostResolver: host)
        #expect(none.text == "search a.example\nnameserver 1.1.1.1\noptions ndots:2 rotate\n")
    }

    @Test func filesAreWrittenAndContainerMountsWin() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("etc-files-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let resolv = directory + "-resolv"
        try "nameserver 192.0.2.1\n".write(toFile: resolv, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: resolv) }
        let mounts = try PodEtcFiles.write(Self.pod([:], name: "logger"), podIPs: ["10.244.0.9"],
                                           settings: PodDNSSettings(hostResolvConf: resolv), podDirectory: directory)
        #expect(mounts.map(\.destination) == ["/etc/hosts", "/etc/hostname", "/etc/resolv.conf"])
        #expect(try String(contentsOfFile: directory + "/etc-hostname", encoding: .utf8) == "logger\n")
        #expect(try String(contentsOfFile: directory + "/etc-resolv.conf", encoding: .utf8) == "nameserver 192.0.2.1\n")
        let own = [VolumeManager.Mount(source: "/x", destination: "/etc/resolv.conf", readOnly: true)]
        #expect(PodEtcFiles.mounts(mounts, excluding: own).map(\.destination) == ["/etc/hosts", "/etc/hostname"])
    }
}
