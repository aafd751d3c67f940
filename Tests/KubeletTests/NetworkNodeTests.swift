import Foundation
import KubeAPI
import Manifests
import Testing
@testable import Kubelet

#if canImport(Glibc)
import Glibc
#endif

/// The real plugins (bridge + host-local + portmap + loopback from /usr/lib/cni) on a private test node.
///
/// The node is this test binary re-executed under `unshare --net --mount`: a fresh network namespace holds the
/// node's `cni0`, veths and iptables rules, and a private mount namespace holds the pod namespace mounts, so
/// nothing can reach the machine's own network or mount table, and everything vanishes with the child even if
/// it crashes. A second namespace on a veth "LAN" plays another host. Traffic only ever flows from inside the
/// node or the LAN host to addresses inside them (the harness's network rule).
@Suite(.serialized)
struct NetworkNodeTests {
    static let rootVariable = "KUBELET_NETWORK_TEST_NODE_ROOT"

    static var available: Bool {
        let tools = ["/usr/lib/cni/bridge", "/usr/lib/cni/host-local", "/usr/lib/cni/portmap", "/usr/lib/cni/loopback",
                     "/usr/bin/unshare", "/usr/bin/nsenter", "/usr/bin/socat"]
        return geteuid() == 0 && tools.allSatisfy { FileManager.default.isExecutableFile(atPath: $0) }
            && NetworkTestSupport.which("iptables-save") && NetworkTestSupport.which("ip")
    }

    /// The parent: runs ``privateNodeScenario()`` in a fresh node and checks the machine was not touched.
    @Test(.enabled(if: available, "needs root, unshare, socat, iptables and containernetworking-plugins"), .timeLimit(.minutes(3)))
    func podNetworkOnAPrivateNode() async throws {
        guard ProcessInfo.processInfo.environment[Self.rootVariable] == nil else { return }
        try await NetworkTestSupport.withTemporaryDirectory { root in
            var environment = ProcessInfo.processInfo.environment
            environment[Self.rootVariable] = root
            let binary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
            // lo comes up before the child starts: Foundation's Process needs a loopback socket pair for its
            // exit notifications, and a namespace whose lo is down makes waitUntilExit hang. `timeout` bounds a
            // stuck child, since a time limit cannot stop a thread blocked in a wait.
            let child = try await NetworkTestSupport.runDetached(
                "/usr/bin/timeout", ["--kill-after=10", "170", "/usr/bin/unshare", "--net", "--mount", "--propagation", "private",
                                     "/bin/sh", "-c", #"PATH=/usr/sbin:/sbin:$PATH; ip link set lo up && exec "$0" "$@""#, binary,
                                     "--testing-library", "swift-testing", "--filter", "privateNodeScenario"],
                environment: environment)
            #expect(child.status == 0, "the private node failed:\n\(child.stdout)\n\(child.stderr)")
            #expect((child.stdout + child.stderr).contains("privateNodeScenario() passed"),
                    "the scenario did not run:\n\(child.stdout)\n\(child.stderr)")
            // The machine's own namespace never saw the bridge, and no mount outlived the child.
            #expect(try NetworkTestSupport.run("/bin/sh", ["-c", "ip link show cni0"]).status != 0)
            #expect(!(try String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8)).contains(root))
        }
    }

    /// The child: the acceptance scenario on the private node. A no-op in a normal run.
    @Test(.timeLimit(.minutes(3)))
    func privateNodeScenario() async throws {
        guard let root = ProcessInfo.processInfo.environment[Self.rootVariable] else { return }
        let node = try await PrivateNode(root: root)
        defer { node.stop() }
        try await node.run()
    }
}

/// The node side of the scenario; lives only inside the `unshare`d child.
private final class PrivateNode: Sendable {
    let paths: HostPaths
    let network: CNIPodNetwork
    let lan: NetworkNamespaceStore
    let client: NetworkNamespace
    let reports = Reports()
    let listeners = Listeners()
    let nodeAddress = "10.99.0.1"

    init(root: String) async throws {
        paths = HostPaths(root: root)
        var configuration = CNIRuntimeConfiguration(paths: paths)
        configuration.pluginDirectories = ["/usr/lib/cni"]
        let reports = reports
        network = CNIPodNetwork(runtime: CNIRuntime(configuration: configuration),
                                namespaces: NetworkNamespaceStore(directory: paths.podNetnsDir), report: { reports.append($0) })
        lan = NetworkNamespaceStore(directory: root + "/run/test-lan")
        // The node's LAN: lan0 here (10.99.0.1), eth0 in the "client" host (10.99.0.2). No default routes.
        client = try await lan.create(named: "client")
        try NetworkTestSupport.sh("""
            ip link add lan0 type veth peer name eth0 netns \(client.path) && ip addr add \(nodeAddress)/24 dev lan0 && ip link set lan0 up &&
            nsenter --net=\(client.path) sh -c 'ip link set lo up && ip addr add 10.99.0.2/24 dev eth0 && ip link set eth0 up'
            """)
        try CNIDefaultConfig(podCIDRs: ["10.244.1.0/24"], ipamDataDir: configuration.hostLocalDataDirectory).installIfMissing(in: paths.cniConfDir)
    }

    /// Best effort; the namespaces and mounts die with the child process anyway.
    func stop() {
        listeners.stopAll()
        try? network.namespaces.deleteAll()
        try? lan.deleteAll()
    }

    func run() async throws {
        let uidA = "a" + UUID().uuidString.lowercased().dropFirst()
        let uidB = "b" + UUID().uuidString.lowercased().dropFirst()
        let podA = try await network.setUp(podUID: uidA, namespace: "default", name: "web-a",
                                           portMappings: [["containerPort": 80, "hostPort": 8080, "protocol": "TCP", "name": "http"]])
        let podB = try await network.setUp(podUID: uidB, namespace: "default", name: "web-b", portMappings: [])

        // Addresses from the podCIDR, wired as the result says, lo up, default route via the bridge.
        #expect(podA.netns == paths.podNetnsDir + "/" + uidA)
        let ipA = try #require(podA.ips.first), ipB = try #require(podB.ips.first)
        #expect(ipA.hasPrefix("10.244.1.") && ipB.hasPrefix("10.244.1.") && ipA != ipB, "\(podA.ips) \(podB.ips)")
        #expect(try NetworkTestSupport.sh("nsenter --net=\(podA.netns) ip -o -4 addr show dev eth0").contains(ipA + "/24"))
        #expect(try NetworkTestSupport.sh("nsenter --net=\(podA.netns) ip -o addr show dev lo").contains("127.0.0.1"))
        #expect(try NetworkTestSupport.sh("nsenter --net=\(podA.netns) ip route").contains("default via 10.244.1.1"))
        #expect(network.runtime.status(podUID: uidA)?.ips == podA.ips)
        #expect(reservations().sorted() == [uidA, uidB].sorted())

        // Two pods reach each other by pod IP.
        try listeners.start(in: podA.netns, port: 80, reply: "hello-from-a")
        try listeners.start(in: podB.netns, port: 80, reply: "hello-from-b")
        try await waitUntil { self.fetch(from: podB.netns, ipA, 80) == "hello-from-a" }
        try await waitUntil { self.fetch(from: podA.netns, ipB, 80) == "hello-from-b" }

        // hostPort 8080 answers on the node's address: from another host, from the node, from a pod.
        #expect(fetch(from: client.path, nodeAddress, 8080) == "hello-from-a")
        #expect(fetch(from: nil, nodeAddress, 8080) == "hello-from-a")
        #expect(fetch(from: podB.netns, nodeAddress, 8080) == "hello-from-a")
        #expect(try NetworkTestSupport.sh("iptables-save -t nat").contains(uidA))

        // A kubelet restart asks again: same namespace and IPs, no second ADD.
        let again = try await network.setUp(podUID: uidA, namespace: "default", name: "web-a", portMappings: [])
        #expect(again.netns == podA.netns && again.ips == podA.ips)
        #expect(reservations().count == 2)

        // Deleting pod A leaves no namespace, veth, reservation, cache entry, iptables rule or hostPort.
        listeners.stop(in: podA.netns)
        await network.tearDown(podUID: uidA, namespace: "default", name: "web-a")
        #expect(reports.lines.isEmpty, "\(reports.lines)")
        #expect(!FileManager.default.fileExists(atPath: podA.netns))
        #expect(reservations() == [uidB])
        #expect(network.runtime.invoker.cache.entries(containerID: uidA).isEmpty)
        #expect(!(try NetworkTestSupport.sh("iptables-save")).contains(uidA))
        #expect(try podVeths().count == 1)
        #expect(fetch(from: client.path, nodeAddress, 8080) == nil)

        try await orphansOfADeadKubeletAreRemoved(keeping: uidB, ipB: ipB)
        try await aPodWhoseNamespaceVanishedStillReleasesItsAddress()

        // The last pod goes: only the shared pieces remain (cni0, the CNI-HOSTPORT-* chains), as upstream intends.
        listeners.stop(in: podB.netns)
        await network.tearDown(podUID: uidB, namespace: "default", name: "web-b")
        #expect(reports.lines.isEmpty, "\(reports.lines)")
        #expect(try network.namespaces.list().isEmpty)
        #expect(reservations().isEmpty)
        #expect(network.runtime.invoker.cache.entries().isEmpty)
        #expect(try podVeths().isEmpty)
        #expect(!(try NetworkTestSupport.sh("iptables-save")).contains(uidB))
        #expect(try NetworkTestSupport.sh("ip -o link show cni0").contains("cni0"))
    }

    /// A pod the kubelet forgot (it restarted and the pod is gone), a namespace created just before a crash and
    /// a reservation whose cache entry was lost: one cleanup run removes all of them and keeps the live pod.
    private func orphansOfADeadKubeletAreRemoved(keeping uidB: String, ipB: String) async throws {
        let uidC = "c" + UUID().uuidString.lowercased().dropFirst()
        let podC = try await network.setUp(podUID: uidC, namespace: "default", name: "web-c",
                                           portMappings: [["containerPort": 80, "hostPort": 9090]])
        #expect(podC.ips.count == 1)
        _ = try await network.namespaces.create(named: "ghost-namespace")
        try "ghost-pod\r\neth0".write(toFile: network.runtime.configuration.hostLocalDataDirectory + "/kubeadm-swift/10.244.1.250",
                                      atomically: true, encoding: .utf8)

        let restarted = CNIPodNetwork(runtime: network.runtime, namespaces: network.namespaces, report: network.report)
        await restarted.cleanUp(keeping: [uidB])
        #expect(reports.lines.isEmpty, "\(reports.lines)")
        #expect(try network.namespaces.list().map(\.name) == [uidB])
        #expect(reservations() == [uidB])
        #expect(Set(network.runtime.invoker.cache.entries().map(\.containerID)) == [uidB])
        #expect(!(try NetworkTestSupport.sh("iptables-save")).contains(uidC))
        #expect(try podVeths().count == 1)
        #expect(fetch(from: nil, ipB, 80) == "hello-from-b")
    }

    /// Teardown tolerates a namespace that is already gone (kubelet's behaviour): the address is still released.
    private func aPodWhoseNamespaceVanishedStillReleasesItsAddress() async throws {
        let uidD = "d" + UUID().uuidString.lowercased().dropFirst()
        _ = try await network.setUp(podUID: uidD, namespace: "default", name: "web-d", portMappings: [])
        try network.namespaces.delete(named: uidD)
        await network.tearDown(podUID: uidD, namespace: "default", name: "web-d")
        #expect(reports.lines.isEmpty, "\(reports.lines)")
        #expect(!reservations().contains(uidD))
        #expect(network.runtime.invoker.cache.entries(containerID: uidD).isEmpty)
        // Without the namespace, bridge cannot learn the pod's address, so its masquerade chain stays behind
        // (upstream behaviour); teardown with the namespace still alive, the normal order, removes it.
    }

    // MARK: - Probes

    /// The container IDs host-local holds addresses for.
    private func reservations() -> [String] {
        HostLocalReservations(dataDirectory: network.runtime.configuration.hostLocalDataDirectory)
            .reservations(network: CNIDefaultConfig.networkName).map(\.containerID)
    }

    /// The node-side veths of pods (everything but the LAN link).
    private func podVeths() throws -> [String] {
        try NetworkTestSupport.sh("ip -o link show type veth").split(separator: "\n").map(String.init).filter { !$0.contains("lan0") }
    }

    /// What a TCP server at `host:port` sends, connecting from inside `netns` (nil: the node itself); nil if
    /// the connection fails.
    private func fetch(from netns: String?, _ host: String, _ port: Int) -> String? {
        let enter = netns.map { "nsenter --net=\($0) " } ?? ""
        let output = try? NetworkTestSupport.shell("\(enter)socat -T3 -u TCP:\(host):\(port),connect-timeout=3 -")
        guard let output, output.status == 0 else { return nil }
        let text = output.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }

    /// Polls `condition` until it holds, for a listener that is still starting; fails after 10 s.
    private func waitUntil(_ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while !condition() {
            guard ContinuousClock.now < deadline else {
                Issue.record("condition not met within 10 s")
                return
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// Report lines from the pod network.
    final class Reports: @unchecked Sendable {
        private let lock = NSLock()
        private var storage: [String] = []
        func append(_ line: String) { lock.withLock { storage.append(line) } }
        var lines: [String] { lock.withLock { storage } }
    }

    /// socat servers running inside pod namespaces, by namespace.
    final class Listeners: @unchecked Sendable {
        private let lock = NSLock()
        private var processes: [String: [Process]] = [:]

        func start(in netns: String, port: Int, reply: String) throws {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/nsenter")
            process.arguments = ["--net=\(netns)", "socat", "TCP-LISTEN:\(port),fork,reuseaddr", "SYSTEM:echo \(reply)"]
            process.standardInput = FileHandle.nullDevice
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            lock.withLock { processes[netns, default: []].append(process) }
        }

        func stop(in netns: String) {
            for process in lock.withLock({ processes.removeValue(forKey: netns) ?? [] }) {
                // SIGKILL, not terminate(): a child spawned from a Dispatch worker inherits its blocked SIGTERM.
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
            }
        }

        func stopAll() {
            for netns in lock.withLock({ Array(processes.keys) }) { stop(in: netns) }
        }
    }
}
