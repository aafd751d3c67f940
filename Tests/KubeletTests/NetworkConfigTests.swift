import Foundation
import KubeAPI
import Manifests
import Testing
@testable import Kubelet

/// Loading /etc/cni/net.d the kubelet's way, and the default configuration the kubelet installs.
struct NetworkConfigTests {
    private static func write(_ text: String, _ path: String) throws {
        try AtomicFile.write(text, to: path, mode: 0o644)
    }

    @Test func picksTheFirstValidFileByNameAndSkipsBrokenOnes() async throws {
        try await NetworkTestSupport.withTemporaryDirectory { dir in
            try Self.write("{not json", dir + "/00-broken.conflist")
            // A conflist saved as .conf has no top-level type: skipped like the kubelet does.
            try Self.write(#"{"name":"x","plugins":[{"type":"bridge"}]}"#, dir + "/05-list-as.conf")
            try Self.write(#"{"cniVersion":"1.0.0","name":"second","plugins":[{"type":"bridge"}]}"#, dir + "/20-second.conflist")
            try Self.write(#"{"cniVersion":"0.4.0","name":"first","plugins":[{"type":"ptp"},{"type":"portmap"}]}"#, dir + "/10-first.conflist")
            try Self.write("ignored", dir + "/01-readme.txt")

            #expect(try CNIConfigLoader.configFiles(in: dir).map { ($0 as NSString).lastPathComponent }
                    == ["00-broken.conflist", "05-list-as.conf", "10-first.conflist", "20-second.conflist"])
            let list = try CNIConfigLoader.defaultNetwork(in: dir)
            #expect(list.name == "first")
            #expect(list.cniVersion == "0.4.0")
            #expect(list.pluginTypes == ["ptp", "portmap"])
            #expect(list.source == dir + "/10-first.conflist")
        }
    }

    @Test func wrapsASinglePluginConfIntoAList() async throws {
        try await NetworkTestSupport.withTemporaryDirectory { dir in
            try Self.write(#"{"cniVersion":"0.3.1","name":"single","type":"bridge","bridge":"br9"}"#, dir + "/10-single.conf")
            let list = try CNIConfigLoader.defaultNetwork(in: dir)
            #expect(list.name == "single")
            #expect(list.cniVersion == "0.3.1")
            #expect(list.plugins.count == 1)
            #expect(list.plugins[0]["bridge"] == "br9")
            // The cached bytes are a real list, so DEL can rebuild it from the cache alone.
            #expect(try CNINetworkConfigList(parsing: list.bytes).pluginTypes == ["bridge"])
        }
    }

    @Test func skipsNetworksWhosePluginsAreNotInstalled() async throws {
        try await NetworkTestSupport.withTemporaryDirectory { dir in
            let bin = dir + "/bin"
            try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
            try NetworkTestSupport.writeFakePlugin("present", in: bin)
            try Self.write(#"{"cniVersion":"1.0.0","name":"a","plugins":[{"type":"absent"}]}"#, dir + "/conf/10-a.conflist")
            try Self.write(#"{"cniVersion":"1.0.0","name":"b","plugins":[{"type":"present"}]}"#, dir + "/conf/20-b.conflist")
            #expect(try CNIConfigLoader.defaultNetwork(in: dir + "/conf", pluginDirectories: [bin]).name == "b")
        }
    }

    @Test func noConfigurationIsNetworkNotReady() async throws {
        try await NetworkTestSupport.withTemporaryDirectory { dir in
            let missing = dir + "/net.d"
            let error = try #require(throws: CNIError.self) { try CNIConfigLoader.defaultNetwork(in: missing) }
            #expect(error.code == .noNetworkConfig)
            #expect(error.description.contains(missing))
            try Self.write(#"{"cniVersion":"1.0.0","plugins":[{"type":"bridge"}]}"#, missing + "/10-noname.conflist")
            let named = try #require(throws: CNIError.self) { try CNIConfigLoader.defaultNetwork(in: missing) }
            #expect(named.description.contains("10-noname.conflist: no \"name\""))
        }
    }

    @Test(arguments: [
        (#"{"name":"n","plugins":[]}"#, "no \"plugins\""),
        (#"{"name":"n","plugins":[{"bridge":"x"}]}"#, "plugin 0 has no \"type\""),
        (#"{"name":"bad name","plugins":[{"type":"x"}]}"#, "network name \"bad name\" is invalid"),
        (#"{"name":"n","cniVersion":1,"plugins":[{"type":"x"}]}"#, "\"cniVersion\" is not a string"),
        (#"[1]"#, "not a JSON object"),
    ])
    func rejectsInvalidLists(json: String, message: String) throws {
        let error = try #require(throws: CNIError.self) { try CNINetworkConfigList(parsing: Array(json.utf8), source: "f.conflist") }
        #expect(error.code == .invalidConfig)
        #expect(error.message.contains(message), "\(error)")
    }

    @Test func defaultConfigIsBridgeWithHostLocalAndPortmap() throws {
        let config = try CNIDefaultConfig(podCIDRs: ["10.244.1.0/24"], ipamDataDir: "/var/lib/cni/networks")
        let list = config.conflist
        #expect(list["cniVersion"] == "1.0.0")
        #expect(list["name"] == "kubeadm-swift")
        let bridge = try #require(list["plugins"]?[0])
        #expect(bridge["type"] == "bridge")
        #expect(bridge["bridge"] == "cni0")
        #expect(bridge["isGateway"] == true)
        #expect(bridge["ipMasq"] == true)
        #expect(bridge["hairpinMode"] == true)
        #expect(bridge[path: ["ipam", "type"]] == "host-local")
        #expect(bridge[path: ["ipam", "ranges"]] == [[["subnet": "10.244.1.0/24"]]])
        #expect(bridge[path: ["ipam", "routes"]] == [["dst": "0.0.0.0/0"]])
        #expect(bridge[path: ["ipam", "dataDir"]] == "/var/lib/cni/networks")
        let portmap = try #require(list["plugins"]?[1])
        #expect(portmap == ["type": "portmap", "capabilities": ["portMappings": true]])
        #expect(list["plugins"]?.array?.count == 2)
    }

    @Test func defaultConfigIsDualStackWithTwoCIDRs() throws {
        let list = try CNIDefaultConfig(podCIDRs: ["10.244.1.0/24", "fd00:10:244:1::/64"], ipamDataDir: "/d").conflist
        #expect(list[path: ["plugins"]]?[0]?[path: ["ipam", "ranges"]] == [[["subnet": "10.244.1.0/24"]], [["subnet": "fd00:10:244:1::/64"]]])
        #expect(list[path: ["plugins"]]?[0]?[path: ["ipam", "routes"]] == [["dst": "0.0.0.0/0"], ["dst": "::/0"]])
    }

    @Test(arguments: [[String](), ["10.244.1.0/33"], ["banana"]])
    func defaultConfigRejectsBadCIDRs(cidrs: [String]) {
        #expect(throws: CNIError.self) { try CNIDefaultConfig(podCIDRs: cidrs, ipamDataDir: "/d") }
    }

    @Test func installsTheDefaultOnlyWhenNoConfigurationExists() async throws {
        try await NetworkTestSupport.withTemporaryDirectory { root in
            let paths = HostPaths(root: root)
            let config = try CNIDefaultConfig(podCIDRs: ["10.244.3.0/24"], ipamDataDir: paths.cniStateDir + "/networks")
            let written = try #require(try config.installIfMissing(in: paths.cniConfDir))
            #expect(written == paths.cniConfDir + "/10-kubeadm-swift.conflist")
            let loaded = try CNIConfigLoader.defaultNetwork(in: paths.cniConfDir)
            #expect(loaded.name == "kubeadm-swift")
            #expect(loaded.hostLocalDataDirectory(default: "/elsewhere") == root + "/var/lib/cni/networks")
            // A second start, or an add-on's file, is never overwritten.
            #expect(try config.installIfMissing(in: paths.cniConfDir) == nil)
            try FileManager.default.removeItem(atPath: written)
            try Self.write(#"{"name":"addon","type":"ptp"}"#, paths.cniConfDir + "/05-addon.conf")
            #expect(try config.installIfMissing(in: paths.cniConfDir) == nil)
            #expect(!FileManager.default.fileExists(atPath: written))
        }
    }

    @Test func hostLocalDataDirectoryDefaultsToTheStateDirectory() throws {
        let plain = try CNINetworkConfigList(name: "n", cniVersion: "1.0.0", plugins: [["type": "bridge", "ipam": ["type": "host-local"]]])
        #expect(plain.hostLocalDataDirectory(default: "/var/lib/cni/networks") == "/var/lib/cni/networks")
        let other = try CNINetworkConfigList(name: "n", cniVersion: "1.0.0", plugins: [["type": "bridge", "ipam": ["type": "dhcp"]]])
        #expect(other.hostLocalDataDirectory(default: "/d") == nil)
    }

    @Test func hostPathsPlaceTheNamespaceStoreUnderTheRunDirectory() {
        #expect(HostPaths().podNetnsDir == "/run/kubeadm-swift/netns")
        #expect(HostPaths(root: "/tmp/n1").podNetnsDir == "/tmp/n1/run/kubeadm-swift/netns")
        let configuration = CNIRuntimeConfiguration(paths: HostPaths())
        #expect(configuration.pluginDirectories == ["/usr/lib/cni", "/opt/cni/bin"])
        #expect(configuration.configDirectory == "/etc/cni/net.d")
        #expect(configuration.hostLocalDataDirectory == "/var/lib/cni/networks")
    }
}
