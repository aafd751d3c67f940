import Foundation
import KubeAPI
import Testing
@testable import Kubelet

/// What each plugin is handed (libcni's injection, the kubelet's CNI_ARGS and port mappings), what is read back
/// (results, the cache, host-local reservations) and how plugin errors read.
struct NetworkInjectionTests {
    private static let list = try! CNINetworkConfigList(name: "pods", cniVersion: "1.0.0", plugins: [
        ["type": "bridge", "name": "ignored", "cniVersion": "0.1.0", "capabilities": ["portMappings": false, "ips": true]],
        ["type": "portmap", "capabilities": ["portMappings": true], "runtimeConfig": ["stale": true]],
    ])
    private static let mappings: JSONValue = [["hostPort": 8080, "containerPort": 80, "protocol": "tcp"]]

    @Test func injectsNameVersionAndNoPrevResultIntoTheFirstPlugin() {
        let config = CNIConfigInjection.pluginConfig(Self.list.plugins[0], in: Self.list, prevResult: nil,
                                                     capabilityArgs: ["portMappings": Self.mappings])
        #expect(config["name"] == "pods")
        #expect(config["cniVersion"] == "1.0.0")
        #expect(config["prevResult"] == nil)
        // bridge does not declare portMappings (false), and no "ips" argument was given.
        #expect(config["runtimeConfig"] == nil)
        #expect(config["type"] == "bridge")
    }

    @Test func injectsPrevResultAndOnlyDeclaredCapabilities() {
        let previous: JSONValue = ["cniVersion": "1.0.0", "ips": [["address": "10.244.1.2/24"]]]
        let config = CNIConfigInjection.pluginConfig(Self.list.plugins[1], in: Self.list, prevResult: previous,
                                                     capabilityArgs: ["portMappings": Self.mappings, "bandwidth": ["ingressRate": 1]])
        #expect(config["prevResult"] == previous)
        // runtimeConfig is replaced whole, as libcni's InjectConf does: the file's "stale" key is gone.
        #expect(config["runtimeConfig"] == ["portMappings": Self.mappings])
    }

    @Test func kubeletCNIArgsInTheKubeletsOrder() {
        let args = CNIRuntimeConf.kubernetesArgs(namespace: "default", name: "web-0", infraContainerID: "uid-1", podUID: "uid-1")
        let runtime = CNIRuntimeConf(containerID: "uid-1", netns: "/run/x", ifName: "eth0", args: args)
        #expect(runtime.argsString
                == "IgnoreUnknown=1;K8S_POD_NAMESPACE=default;K8S_POD_NAME=web-0;K8S_POD_INFRA_CONTAINER_ID=uid-1;K8S_POD_UID=uid-1")
        #expect(runtime.podUID == "uid-1")
    }

    @Test func pluginEnvironmentReplacesStrayCNIVariables() {
        let runtime = CNIRuntimeConf(containerID: "c1", netns: "/run/ns/c1", ifName: "eth0", args: [CNIArgument("A", "b")])
        let environment = runtime.environment(command: "DEL", pluginDirectories: ["/usr/lib/cni", "/opt/cni/bin"],
                                              inherited: ["PATH": "/usr/bin", "CNI_IFNAME": "bogus", "CNI_STRAY": "x"])
        #expect(environment == [
            "PATH": "/usr/bin", "CNI_COMMAND": "DEL", "CNI_CONTAINERID": "c1", "CNI_NETNS": "/run/ns/c1", "CNI_ARGS": "A=b",
            "CNI_IFNAME": "eth0", "CNI_PATH": "/usr/lib/cni:/opt/cni/bin",
        ])
    }

    @Test func pluginsGetASearchPathEvenFromAnEmptyEnvironment() {
        let runtime = CNIRuntimeConf(containerID: "c1", netns: "", ifName: "eth0")
        #expect(runtime.environment(command: "ADD", pluginDirectories: [], inherited: [:])["PATH"]?.contains("/usr/sbin") == true)
        #expect(runtime.environment(command: "ADD", pluginDirectories: [], inherited: ["PATH": "/x"])["PATH"] == "/x")
    }

    @Test func portMappingsFromContainerPorts() throws {
        let ports: [JSONValue] = [
            ["containerPort": 80, "hostPort": 8080],
            ["containerPort": 53, "hostPort": 5353, "protocol": "UDP", "hostIP": "10.0.0.5"],
            ["containerPort": 9000],
            ["containerPort": 9001, "hostPort": 0],
        ]
        let mappings = try CNIPortMapping.mappings(fromContainerPorts: ports)
        #expect(mappings == [
            try CNIPortMapping(hostPort: 8080, containerPort: 80),
            try CNIPortMapping(hostPort: 5353, containerPort: 53, protocol: "udp", hostIP: "10.0.0.5"),
        ])
        #expect(mappings[0].json == ["hostPort": 8080, "containerPort": 80, "protocol": "tcp"])
        #expect(mappings[1].json["hostIP"] == "10.0.0.5")
    }

    @Test(arguments: [
        (["containerPort": 80, "hostPort": 8080, "protocol": "ICMP"] as JSONValue, "protocol"),
        (["containerPort": 0, "hostPort": 8080] as JSONValue, "out of range"),
        (["hostPort": 8080] as JSONValue, "no containerPort"),
    ])
    func rejectsBadPortMappings(port: JSONValue, message: String) {
        let error = #expect(throws: CNIError.self) { try CNIPortMapping(containerPort: port) }
        #expect(error?.code == .invalidArgument)
        #expect(error?.message.contains(message) == true, "\(String(describing: error))")
    }

    @Test func podIPsComeFromTheSandboxInterfaceOnly() throws {
        // A bridge ADD result: cni0 and the host-side veth have no sandbox; eth0 is the pod's.
        let raw = try JSONParser().parse(#"""
            {"cniVersion":"1.0.0","interfaces":[{"name":"cni0","mac":"aa"},{"name":"veth1","mac":"bb"},
             {"name":"eth0","mac":"cc","sandbox":"/run/kubeadm-swift/netns/p"}],
             "ips":[{"interface":2,"address":"10.244.1.5/24","gateway":"10.244.1.1"},
                    {"interface":0,"address":"10.244.1.1/24"},
                    {"interface":2,"address":"fd00::5/64","gateway":"fd00::1"}],
             "routes":[{"dst":"0.0.0.0/0"}]}
            """#)
        let result = try CNIResult(raw)
        #expect(result.podIPs(interfaceName: "eth0") == ["10.244.1.5", "fd00::5"])
        #expect(result.interfaces.map(\.name) == ["cni0", "veth1", "eth0"])
        #expect(result.ips.first?.gateway == "10.244.1.1")
    }

    @Test func readsPre030Results() throws {
        let result = try CNIResult(try JSONParser().parse(#"{"cniVersion":"0.2.0","ip4":{"ip":"10.1.0.9/16","gateway":"10.1.0.1"}}"#))
        #expect(result.podIPs(interfaceName: "eth0") == ["10.1.0.9"])
        #expect(throws: CNIError.self) { try CNIResult("just text") }
    }

    @Test(arguments: [
        ("1.0.0", "0.4.0", true), ("0.4.0", "0.4.0", true), ("0.3.1", "0.4.0", false), ("", "0.4.0", false),
        ("1.1", "1.0.0", true), ("0.10.0", "0.4.0", true), ("garbage", "0.1.0", true),
    ])
    func versionsCompareNumerically(version: String, minimum: String, expected: Bool) {
        #expect(CNIVersion.isAtLeast(version, minimum) == expected)
    }

    @Test func resultCacheUsesLibcniNamingAndFormat() async throws {
        try await NetworkTestSupport.withTemporaryDirectory { dir in
            let cache = CNIResultCache(stateDirectory: dir)
            let entry = CNIResultCache.Entry(
                networkName: "pods", containerID: "uid-1", ifName: "eth0", netns: "/run/ns/uid-1", config: Array(#"{"name":"pods"}"#.utf8),
                cniArgs: [CNIArgument("K8S_POD_UID", "uid-1")], capabilityArgs: ["portMappings": Self.mappings],
                result: ["cniVersion": "1.0.0", "ips": [["address": "10.244.1.2/24"]]])
            try cache.store(entry)
            let file = dir + "/results/pods-uid-1-eth0"
            #expect(cache.path(network: "pods", containerID: "uid-1", ifName: "eth0") == file)
            let stored = try JSONParser().parse(Array(try #require(FileManager.default.contents(atPath: file))))
            #expect(stored["kind"] == "cniCacheV1")
            #expect(stored["containerId"] == "uid-1")
            #expect(stored["config"] == .string(Data(#"{"name":"pods"}"#.utf8).base64EncodedString()))
            #expect(stored["cniArgs"] == [["K8S_POD_UID", "uid-1"]])
            #expect(stored["netns"] == "/run/ns/uid-1")
            let attributes = try FileManager.default.attributesOfItem(atPath: file)
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)

            #expect(cache.entry(network: "pods", containerID: "uid-1", ifName: "eth0") == entry)
            try "not json".write(toFile: dir + "/results/pods-junk-eth0", atomically: true, encoding: .utf8)
            try cache.store(CNIResultCache.Entry(networkName: "cni-loopback", containerID: "uid-2", ifName: "lo", netns: "",
                                                 config: [], cniArgs: [], capabilityArgs: [:], result: nil))
            #expect(cache.entries().map(\.containerID) == ["uid-2", "uid-1"])
            #expect(cache.entries(containerID: "uid-1") == [entry])
            cache.remove(network: "pods", containerID: "uid-1", ifName: "eth0")
            cache.remove(network: "pods", containerID: "uid-1", ifName: "eth0")
            #expect(cache.entries(containerID: "uid-1").isEmpty)
        }
    }

    @Test func hostLocalReservationsNameTheirContainer() async throws {
        try await NetworkTestSupport.withTemporaryDirectory { dir in
            let network = dir + "/pods"
            try FileManager.default.createDirectory(atPath: network, withIntermediateDirectories: true)
            try "uid-1\r\neth0".write(toFile: network + "/10.244.1.2", atomically: true, encoding: .utf8)
            try "old-id".write(toFile: network + "/10.244.1.3", atomically: true, encoding: .utf8)
            try "uid-9\r\neth0".write(toFile: network + "/fd00::9", atomically: true, encoding: .utf8)
            try "10.244.1.3".write(toFile: network + "/last_reserved_ip.0", atomically: true, encoding: .utf8)
            try "".write(toFile: network + "/lock", atomically: true, encoding: .utf8)
            let store = HostLocalReservations(dataDirectory: dir)
            let reservations = store.reservations(network: "pods")
            #expect(reservations.map(\.ip) == ["10.244.1.2", "10.244.1.3", "fd00::9"])
            #expect(reservations.map(\.containerID) == ["uid-1", "old-id", "uid-9"])
            #expect(reservations.map(\.ifName) == ["eth0", nil, "eth0"])
            try store.release(reservations[0])
            try store.release(reservations[0])
            #expect(store.reservations(network: "pods").count == 2)
            #expect(store.reservations(network: "absent").isEmpty)
        }
    }

    @Test func pluginErrorsReadTheSpecErrorObject() {
        let output = CNIPluginProcess.Output(status: 1, stdout: Array(#"{"cniVersion":"1.0.0","code":7,"msg":"bad subnet","details":"10.0.0.0/33"}"#.utf8),
                                             stderr: [], timedOut: false)
        let error = CNIInvoker.pluginFailure("CNI plugin \"bridge\" failed on ADD", output, source: "/etc/cni/net.d/10-x.conflist")
        #expect(error.code == .pluginFailed)
        #expect(error.pluginError == CNIPluginError(code: 7, msg: "bad subnet", details: "10.0.0.0/33"))
        #expect(error.description == "CNI plugin \"bridge\" failed on ADD: code 7 (invalid network config): bad subnet (10.0.0.0/33); "
                + "check the network configuration /etc/cni/net.d/10-x.conflist")

        let crashed = CNIInvoker.pluginFailure("p", CNIPluginProcess.Output(status: 2, stdout: [], stderr: Array("panic: boom\n".utf8), timedOut: false),
                                               source: nil)
        #expect(crashed.pluginError == nil)
        #expect(crashed.message == "p: exit status 2: panic: boom")
    }
}
