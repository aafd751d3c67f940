import Foundation
import KubeAPI
import Manifests
import Testing
@testable import Kubelet

/// libcni's ADD/DEL semantics, checked with fake plugins (shell scripts that log their stdin and environment):
/// order, prevResult chaining, runtimeConfig, the cache, errors and timeouts. No root needed.
struct NetworkInvokerTests {
    /// A plugin directory with fakes, a log directory and a state directory under one temporary root.
    struct Fixture {
        var root: String
        var bin: String { root + "/bin" }
        var log: String { root + "/log" }
        var state: String { root + "/state" }

        func invoker(timeout: Duration = .seconds(20)) -> CNIInvoker {
            CNIInvoker(pluginDirectories: [root + "/empty", bin], cache: CNIResultCache(stateDirectory: state), timeout: timeout,
                       environment: ["PATH": "/usr/bin:/bin", "FAKE_CNI_LOG": log])
        }

        static func with(plugins: [String: String?], _ body: (Fixture) async throws -> Void) async throws {
            try await NetworkTestSupport.withTemporaryDirectory { root in
                let fixture = Fixture(root: root)
                for directory in [fixture.bin, fixture.log] {
                    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                }
                for (type, behaviour) in plugins { try NetworkTestSupport.writeFakePlugin(type, in: fixture.bin, behaviour: behaviour) }
                try await body(fixture)
            }
        }
    }

    private static func list(_ version: String = "1.0.0") throws -> CNINetworkConfigList {
        try CNINetworkConfigList(name: "pods", cniVersion: version, plugins: [
            ["type": "fake-a", "ipam": ["type": "host-local"]],
            ["type": "fake-b", "capabilities": ["portMappings": true]],
        ])
    }

    private static let runtime = CNIRuntimeConf(
        containerID: "uid-1", netns: "/run/ns/uid-1", ifName: "eth0",
        args: CNIRuntimeConf.kubernetesArgs(namespace: "default", name: "web", infraContainerID: "uid-1", podUID: "uid-1"),
        capabilityArgs: ["portMappings": [["hostPort": 8080, "containerPort": 80, "protocol": "tcp"]]])

    @Test func addRunsPluginsInOrderChainingPrevResultAndCachesTheLast() async throws {
        try await Fixture.with(plugins: ["fake-a": nil, "fake-b": nil]) { fixture in
            let result = try await fixture.invoker().addNetworkList(try Self.list(), Self.runtime)
            #expect(NetworkTestSupport.fakeCalls(fixture.log) == ["ADD-fake-a", "ADD-fake-b"])

            let first = try NetworkTestSupport.fakeInput(fixture.log, 1)
            #expect(first["prevResult"] == nil)
            #expect(first["runtimeConfig"] == nil)
            #expect(first["name"] == "pods")
            let second = try NetworkTestSupport.fakeInput(fixture.log, 2)
            #expect(second[path: ["prevResult", "from"]] == "fake-a")
            #expect(second["runtimeConfig"] == ["portMappings": [["hostPort": 8080, "containerPort": 80, "protocol": "tcp"]]])
            #expect(second["cniVersion"] == "1.0.0")

            let environment = try NetworkTestSupport.fakeEnvironment(fixture.log, 1)
            #expect(environment["CNI_COMMAND"] == "ADD")
            #expect(environment["CNI_CONTAINERID"] == "uid-1")
            #expect(environment["CNI_NETNS"] == "/run/ns/uid-1")
            #expect(environment["CNI_IFNAME"] == "eth0")
            #expect(environment["CNI_PATH"] == fixture.root + "/empty:" + fixture.bin)
            #expect(environment["CNI_ARGS"]
                    == "IgnoreUnknown=1;K8S_POD_NAMESPACE=default;K8S_POD_NAME=web;K8S_POD_INFRA_CONTAINER_ID=uid-1;K8S_POD_UID=uid-1")

            #expect(result.raw["from"] == "fake-b")
            #expect(result.podIPs(interfaceName: "eth0") == ["10.244.1.7"])
            let cached = try #require(fixture.invoker().cache.entry(network: "pods", containerID: "uid-1", ifName: "eth0"))
            #expect(cached.result == result.raw)
            #expect(cached.config == (try Self.list()).bytes)
            #expect(cached.cniArgs == Self.runtime.args)
            #expect(cached.capabilityArgs == Self.runtime.capabilityArgs)
        }
    }

    @Test func deleteRunsInReverseWithTheCachedResultThenDropsTheCache() async throws {
        try await Fixture.with(plugins: ["fake-a": nil, "fake-b": nil]) { fixture in
            let invoker = fixture.invoker()
            _ = try await invoker.addNetworkList(try Self.list(), Self.runtime)
            try await invoker.deleteNetworkList(try Self.list(), Self.runtime)
            #expect(NetworkTestSupport.fakeCalls(fixture.log) == ["ADD-fake-a", "ADD-fake-b", "DEL-fake-b", "DEL-fake-a"])
            for index in [3, 4] {
                #expect(try NetworkTestSupport.fakeInput(fixture.log, index)[path: ["prevResult", "from"]] == "fake-b")
            }
            #expect(try NetworkTestSupport.fakeEnvironment(fixture.log, 3)["CNI_COMMAND"] == "DEL")
            #expect(invoker.cache.entries().isEmpty)
            // DEL again (nothing cached) still runs, without prevResult: plugins' DEL is idempotent.
            try await invoker.deleteNetworkList(try Self.list(), Self.runtime)
            #expect(try NetworkTestSupport.fakeInput(fixture.log, 5)["prevResult"] == nil)
        }
    }

    @Test func deleteBefore040PassesNoPrevResult() async throws {
        try await Fixture.with(plugins: ["fake-a": nil, "fake-b": nil]) { fixture in
            let invoker = fixture.invoker()
            _ = try await invoker.addNetworkList(try Self.list("0.3.1"), Self.runtime)
            try await invoker.deleteNetworkList(try Self.list("0.3.1"), Self.runtime)
            #expect(try NetworkTestSupport.fakeInput(fixture.log, 3)["prevResult"] == nil)
        }
    }

    @Test func aFailingPluginStopsTheChainWithItsErrorObject() async throws {
        let failing = #"printf '%s' '{"cniVersion":"1.0.0","code":11,"msg":"no free address","details":"range full"}'; exit 1"#
        try await Fixture.with(plugins: ["fake-a": failing, "fake-b": nil]) { fixture in
            let error = try await #require(throws: CNIError.self) {
                try await fixture.invoker().addNetworkList(try Self.list(), Self.runtime)
            }
            #expect(error.code == .pluginFailed)
            #expect(error.pluginError == CNIPluginError(code: 11, msg: "no free address", details: "range full"))
            #expect(error.message.contains(#"CNI plugin "fake-a" of network "pods" failed on ADD for container uid-1"#))
            #expect(error.message.contains("code 11 (try again later): no free address (range full)"))
            #expect(NetworkTestSupport.fakeCalls(fixture.log) == ["ADD-fake-a"])
            #expect(fixture.invoker().cache.entries().isEmpty)
        }
    }

    @Test func missingPluginsInvalidResultsAndBadIDsAreClearErrors() async throws {
        try await Fixture.with(plugins: ["fake-a": "echo 'this is not json'"]) { fixture in
            let missing = try await #require(throws: CNIError.self) {
                try await fixture.invoker().addNetworkList(try CNINetworkConfigList(name: "n", cniVersion: "1.0.0", plugins: [["type": "nope"]]), Self.runtime)
            }
            #expect(missing.code == .pluginNotFound)
            #expect(missing.description.contains("\"nope\" not found in \(fixture.root)/empty:\(fixture.bin)"))
            #expect(missing.description.contains("apt-get install containernetworking-plugins"))

            let garbage = try await #require(throws: CNIError.self) {
                try await fixture.invoker().addNetworkList(try CNINetworkConfigList(name: "n", cniVersion: "1.0.0", plugins: [["type": "fake-a"]]), Self.runtime)
            }
            #expect(garbage.code == .invalidResult, "\(garbage)")

            var badID = Self.runtime
            badID.containerID = "-bad/id"
            let invalid = try await #require(throws: CNIError.self) { try await fixture.invoker().addNetworkList(try Self.list(), badID) }
            #expect(invalid.code == .invalidArgument)
            var badInterface = Self.runtime
            badInterface.ifName = "a-very-long-interface-name"
            await #expect(throws: CNIError.self) { try await fixture.invoker().addNetworkList(try Self.list(), badInterface) }
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func aHungPluginIsKilledAtTheTimeout() async throws {
        try await Fixture.with(plugins: ["fake-a": "exec sleep 60"]) { fixture in
            let started = ContinuousClock.now
            let error = try await #require(throws: CNIError.self) {
                try await fixture.invoker(timeout: .milliseconds(300)).addNetworkList(
                    try CNINetworkConfigList(name: "n", cniVersion: "1.0.0", plugins: [["type": "fake-a"]]), Self.runtime)
            }
            #expect(error.code == .pluginTimedOut, "\(error)")
            #expect(ContinuousClock.now - started < .seconds(20))
        }
    }

    @Test func runtimeAttachesLoopbackThenThePodNetworkAndDetachesInReverse() async throws {
        try await Fixture.with(plugins: ["fake-a": nil, "fake-b": nil, "loopback": nil]) { fixture in
            let paths = HostPaths(root: fixture.root + "/node")
            try AtomicFile.write(String(decoding: (try Self.list()).bytes, as: UTF8.self), to: paths.cniConfDir + "/10-pods.conflist", mode: 0o644)
            var configuration = CNIRuntimeConfiguration(paths: paths)
            configuration.pluginDirectories = [fixture.bin]
            let runtime = CNIRuntime(configuration: configuration, environment: ["PATH": "/usr/bin:/bin", "FAKE_CNI_LOG": fixture.log])
            let mapping = try CNIPortMapping(hostPort: 8080, containerPort: 80)
            let status = try await runtime.setUpPod(podUID: "uid-1", namespace: "default", name: "web", netnsPath: "/no/such/netns",
                                                    portMappings: [mapping])
            #expect(status.ips == ["10.244.1.7"])
            #expect(status.networkName == "pods")
            #expect(runtime.status(podUID: "uid-1") == PodNetworkStatus(
                podUID: "uid-1", networkName: "pods", netnsPath: "/no/such/netns", interfaceName: "eth0", ips: ["10.244.1.7"],
                result: status.result))
            #expect(try NetworkTestSupport.fakeEnvironment(fixture.log, 1)["CNI_IFNAME"] == "lo")
            #expect(try NetworkTestSupport.fakeInput(fixture.log, 1)["name"] == "cni-loopback")
            #expect(try NetworkTestSupport.fakeInput(fixture.log, 3)["runtimeConfig"] == ["portMappings": [mapping.json]])

            try await runtime.tearDownPod(podUID: "uid-1", namespace: "default", name: "web", netnsPath: "/no/such/netns")
            #expect(NetworkTestSupport.fakeCalls(fixture.log)
                    == ["ADD-loopback", "ADD-fake-a", "ADD-fake-b", "DEL-fake-b", "DEL-fake-a", "DEL-loopback"])
            // The namespace is gone (it never existed here): DEL gets an empty CNI_NETNS, as the kubelet passes.
            #expect(try NetworkTestSupport.fakeEnvironment(fixture.log, 4)["CNI_NETNS"] == "")
            #expect(runtime.invoker.cache.entries().isEmpty)
            #expect(runtime.status(podUID: "uid-1") == nil)
        }
    }

    @Test func aFailedSetUpDeletesWhatItAdded() async throws {
        try await Fixture.with(plugins: ["fake-a": nil, "fake-b": #"[ "$CNI_COMMAND" = ADD ] && { echo '{"code":999,"msg":"portmap broke"}'; exit 1; }; true"#,
                                         "loopback": nil]) { fixture in
            let paths = HostPaths(root: fixture.root + "/node")
            try AtomicFile.write(String(decoding: (try Self.list()).bytes, as: UTF8.self), to: paths.cniConfDir + "/10-pods.conflist", mode: 0o644)
            var configuration = CNIRuntimeConfiguration(paths: paths)
            configuration.pluginDirectories = [fixture.bin]
            let runtime = CNIRuntime(configuration: configuration, environment: ["PATH": "/usr/bin:/bin", "FAKE_CNI_LOG": fixture.log])
            let error = try await #require(throws: CNIError.self) {
                try await runtime.setUpPod(podUID: "uid-1", namespace: "default", name: "web", netnsPath: "/no/such/netns", portMappings: [])
            }
            #expect(error.pluginError?.msg == "portmap broke")
            #expect(NetworkTestSupport.fakeCalls(fixture.log)
                    == ["ADD-loopback", "ADD-fake-a", "ADD-fake-b", "DEL-fake-b", "DEL-fake-a", "DEL-loopback"])
            #expect(runtime.invoker.cache.entries().isEmpty)
        }
    }

    @Test func noNetworkConfigurationFailsSetUpClearly() async throws {
        try await NetworkTestSupport.withTemporaryDirectory { root in
            let runtime = CNIRuntime(configuration: CNIRuntimeConfiguration(paths: HostPaths(root: root)))
            let error = try await #require(throws: CNIError.self) {
                try await runtime.setUpPod(podUID: "u", namespace: "n", name: "p", netnsPath: "/x", portMappings: [])
            }
            #expect(error.code == .noNetworkConfig)
        }
    }
}
