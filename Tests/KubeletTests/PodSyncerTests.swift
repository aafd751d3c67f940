import Foundation
import KubeAPI
import Testing
@testable import Kubelet

/// The sync loop against a fake runtime, network and image store.
struct PodSyncerTests {
    actor FakeEngine: ContainerEngine {
        var records: [ContainerRecord] = []
        var launches: [ContainerLaunch] = []
        var stopped: [String] = []
        var counter = 0
        func start(_ launch: ContainerLaunch) async throws -> String {
            counter += 1
            let id = "c\(counter)"
            launches.append(launch)
            records.append(ContainerRecord(id: id, podUID: launch.podUID, containerName: launch.containerName, attempt: launch.attempt,
                                           state: .running(startedAt: KubeTime(seconds: 1000)), imageID: "sha256:img"))
            return id
        }
        func containers() async -> [ContainerRecord] { records }
        func stop(id: String, grace: Duration) async {
            stopped.append(id)
            exit(id, code: 137, reason: "Error")
        }
        func remove(id: String) async { records.removeAll { $0.id == id } }
        func exec(id: String, command: [String], timeout: Duration) async -> Int32 { command == ["true"] ? 0 : 1 }
        func exit(_ id: String, code: Int32, reason: String) {
            guard let index = records.firstIndex(where: { $0.id == id }) else { return }
            records[index].state = .exited(code: code, reason: reason, startedAt: KubeTime(seconds: 1000), finishedAt: KubeTime(seconds: 1001))
        }
        func latest(_ name: String) -> ContainerRecord? { records.filter { $0.containerName == name }.max { $0.attempt < $1.attempt } }
    }

    actor FakeNetwork: PodNetworkEngine {
        var torn: [String] = []
        func setUp(podUID: String, namespace: String, name: String, portMappings: [JSONValue]) async throws -> (netns: String, ips: [String]) {
            ("/run/netns/\(podUID)", ["10.244.0.7"])
        }
        func tearDown(podUID: String, namespace: String, name: String) async { torn.append(podUID) }
        func cleanUp(keeping podUIDs: Set<String>) async {}
    }

    struct FakeImages: ImageResolver {
        func configuration(of image: String) async throws -> ImageDefaults {
            guard image.hasPrefix("busybox") else {
                throw ImageUnavailable(reason: "ErrImageNeverPull", message: "Container image \"\(image)\" is not present with pull policy of Never")
            }
            return ImageDefaults(entrypoint: ["/bin/sh"], cmd: ["-c", "echo hi"], env: ["PATH=/bin"], workingDir: "/", imageID: "sha256:img")
        }
    }

    final class Clock: @unchecked Sendable {
        private let lock = NSLock()
        private var current = Date(timeIntervalSince1970: 1001)
        var now: Date { lock.withLock { current } }
        func advance(_ seconds: TimeInterval) { lock.withLock { current += seconds } }
    }

    static func syncer(_ engine: FakeEngine, _ network: FakeNetwork, _ clock: Clock, root: String) -> PodSyncer {
        let lookup: EnvironmentResolver.Lookup = { _, _ in nil }
        let volumes = VolumeManager(kubeletRoot: root, configMap: lookup, secret: lookup, persistentVolumeClaim: lookup,
                                    persistentVolume: { _ in nil }, token: nil, useTmpfs: false)
        return PodSyncer(.init(engine: engine, network: network, images: FakeImages(), volumes: volumes,
                               environment: EnvironmentResolver(configMap: lookup, secret: lookup), podLogsDir: root + "/logs",
                               hostIP: "10.0.0.2", now: { clock.now }))
    }

    static func pod(_ policy: String = "Always", image: String = "busybox:1.36", inits: [JSONValue] = [], probes: JSONValue = .emptyObject) -> JSONValue {
        var container: JSONValue = ["name": "c", "image": .string(image), "args": ["sleep", "1"]]
        for (key, value) in probes.object ?? [:] { container[key] = value }
        return ["metadata": ["name": "p", "namespace": "default", "uid": "u1"],
                "spec": ["restartPolicy": .string(policy), "initContainers": .array(inits), "containers": [container],
                         "terminationGracePeriodSeconds": 5]]
    }

    static func state(_ status: JSONValue) -> JSONValue? { status["containerStatuses"]?[0]?["state"] }

    @Test func startsRunsRestartsWithBackoffAndTerminates() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("sync-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let (engine, network, clock) = (FakeEngine(), FakeNetwork(), Clock())
        let syncer = Self.syncer(engine, network, clock, root: root)
        var status = await syncer.sync(Self.pod())
        #expect(status["phase"]?.string == "Running")
        #expect(status["podIP"]?.string == "10.244.0.7")
        let launch = try #require(await engine.launches.first)
        #expect(launch.command == ["/bin/sh"] && launch.args == ["sleep", "1"])
        #expect(launch.networkNamespace == "/run/netns/u1")
        #expect(launch.logPath.hasSuffix("/logs/default_p_u1/c/0.log"))
        #expect(launch.environment.first?.0 == "PATH")
        // First crash: restarted at once.
        await engine.exit("c1", code: 1, reason: "Error")
        status = await syncer.sync(Self.pod())
        #expect(await engine.latest("c")?.attempt == 1)
        // Second crash: CrashLoopBackOff for 10 s, then a restart.
        await engine.exit("c2", code: 1, reason: "Error")
        status = await syncer.sync(Self.pod())
        #expect(Self.state(status)?["waiting"]?["reason"]?.string == "CrashLoopBackOff")
        #expect(status["containerStatuses"]?[0]?["lastState"]?["terminated"]?["exitCode"]?.int == 1)
        #expect(status["containerStatuses"]?[0]?["restartCount"]?.int == 1)
        clock.advance(11)
        status = await syncer.sync(Self.pod())
        #expect(await engine.latest("c")?.attempt == 2)
        #expect(Self.state(status)?["running"] != nil)
        #expect(await engine.records.count == 2, "only the current and previous runs are kept")
        await syncer.terminate(uid: "u1", namespace: "default", name: "p", grace: .seconds(5))
        #expect(await engine.records.isEmpty)
        #expect(await network.torn == ["u1"])
    }

    @Test func restartPolicyNeverSucceedsOrFails() async {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("sync-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let (engine, network, clock) = (FakeEngine(), FakeNetwork(), Clock())
        let syncer = Self.syncer(engine, network, clock, root: root)
        _ = await syncer.sync(Self.pod("Never"))
        await engine.exit("c1", code: 0, reason: "Completed")
        let status = await syncer.sync(Self.pod("Never"))
        #expect(status["phase"]?.string == "Succeeded")
        #expect(await engine.launches.count == 1)
    }

    @Test func initContainersRunFirstInOrder() async {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("sync-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let (engine, network, clock) = (FakeEngine(), FakeNetwork(), Clock())
        let syncer = Self.syncer(engine, network, clock, root: root)
        let pod = Self.pod(inits: [["name": "i1", "image": "busybox"], ["name": "i2", "image": "busybox"]])
        var status = await syncer.sync(pod)
        #expect(await engine.launches.map(\.containerName) == ["i1"])
        #expect(status["phase"]?.string == "Pending")
        await engine.exit("c1", code: 0, reason: "Completed")
        _ = await syncer.sync(pod)
        await engine.exit("c2", code: 0, reason: "Completed")
        status = await syncer.sync(pod)
        #expect(await engine.launches.map(\.containerName) == ["i1", "i2", "c"])
        #expect(status["phase"]?.string == "Running")
    }

    @Test func missingImageAndFailingLiveness() async {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("sync-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let (engine, network, clock) = (FakeEngine(), FakeNetwork(), Clock())
        let syncer = Self.syncer(engine, network, clock, root: root)
        let missing = await syncer.sync(Self.pod(image: "example.invalid/web:1"))
        #expect(Self.state(missing)?["waiting"]?["reason"]?.string == "ErrImageNeverPull")
        #expect(missing["phase"]?.string == "Pending")

        let probed = Self.pod(probes: ["livenessProbe": ["exec": ["command": ["false"]], "failureThreshold": 1, "periodSeconds": 1],
                                       "readinessProbe": ["exec": ["command": ["true"]], "periodSeconds": 1]])
        let other = FakeEngine()
        let probing = Self.syncer(other, network, clock, root: root)
        _ = await probing.sync(probed)
        _ = await probing.sync(probed)
        #expect(await other.stopped == ["c1"], "a failed liveness probe stops the container")
        let after = await probing.sync(probed)
        #expect(await other.latest("c")?.attempt == 1)
        #expect(after["containerStatuses"]?[0]?["restartCount"]?.int == 1)
    }

    /// A container with a readiness probe is not ready before the probe first succeeds (a Deployment with
    /// maxUnavailable 0 counted such pods available and removed old ones too early), and a failing probe keeps it
    /// unready; without a probe, running means ready.
    @Test func readinessWaitsForItsProbe() async {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("sync-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        func ready(_ status: JSONValue) -> Bool? { status["containerStatuses"]?[0]?["ready"]?.bool }
        for (command, expected) in [("true", [false, true, true]), ("false", [false, false, false])] {
            let (engine, network, clock) = (FakeEngine(), FakeNetwork(), Clock())
            let syncer = Self.syncer(engine, network, clock, root: root)
            let pod = Self.pod(probes: ["readinessProbe": ["exec": ["command": [.string(command)]], "periodSeconds": 1]])
            var seen: [Bool?] = []
            for _ in 0..<3 {
                seen.append(ready(await syncer.sync(pod)))
                clock.advance(1)
            }
            #expect(seen == expected.map { $0 }, "readiness probe `\(command)`")
        }
        let (engine, network, clock) = (FakeEngine(), FakeNetwork(), Clock())
        let plain = await Self.syncer(engine, network, clock, root: root).sync(Self.pod())
        #expect(ready(plain) == true)
    }
}

/// The daemon's pass over static pods with the fakes: a manifest runs, its removal stops it.
struct KubeletDaemonTests {
    /// A daemon over the fakes with one static pod, `kube-system/web` (container `c`, mirror name `web-n1`) in
    /// `manifests`, before its first pass; the directory is removed afterwards.
    static func withStaticPod(_ body: (KubeletDaemon, PodSyncerTests.FakeEngine, _ manifests: String) async throws -> Void) async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("daemon-\(UUID().uuidString)").path
        let manifests = root + "/manifests"
        try FileManager.default.createDirectory(atPath: manifests, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        try """
            apiVersion: v1
            kind: Pod
            metadata: {name: web, namespace: kube-system}
            spec:
              hostNetwork: true
              containers: [{name: c, image: busybox:1.36}]
            """.write(toFile: manifests + "/web.yaml", atomically: true, encoding: .utf8)
        let (engine, network, clock) = (PodSyncerTests.FakeEngine(), PodSyncerTests.FakeNetwork(), PodSyncerTests.Clock())
        let daemon = KubeletDaemon(staticPods: StaticPodSource(directory: manifests, nodeName: "n1"),
                                   syncer: PodSyncerTests.syncer(engine, network, clock, root: root), api: nil, log: { _ in })
        try await body(daemon, engine, manifests)
    }

    @Test func staticPodsComeAndGo() async throws {
        try await Self.withStaticPod { daemon, engine, manifests in
            await daemon.syncOnce(cleanUpOrphans: true)
            #expect(await engine.launches.map(\.podName) == ["web-n1"])
            #expect(await engine.launches.first?.networkNamespace == nil, "hostNetwork pods use the host's network")
            #expect(await daemon.healthy())
            try FileManager.default.removeItem(atPath: manifests + "/web.yaml")
            await daemon.syncOnce()
            await daemon.waitForTerminations()
            #expect(await engine.records.isEmpty, "a removed manifest stops its pod")
        }
    }
}
