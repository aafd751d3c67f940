import Foundation
import KubeAPI
import Testing
@testable import Kubelet

/// The sync loop on the real runc runtime: a hostNetwork pod from a busybox rootfs runs, logs, is restarted after
/// exiting, and is stopped and removed without leftovers (RuntimeTestHost checks runc, cgroups and mounts).
@Suite(.serialized, .enabled(if: RuntimeTestHost.available, "needs root, runc, busybox-static and cgroups"))
struct RuncEngineTests {
    /// Copies the test's busybox rootfs per container, as the image store's overlay would provide one.
    struct CopiedRootfs: RootfsProvider {
        let source: String
        let directory: String
        func prepare(containerID: String, image: String) async throws -> String {
            let target = directory + "/" + containerID
            try? FileManager.default.removeItem(atPath: target)
            try FileManager.default.copyItem(atPath: source, toPath: target)
            return target
        }
        func release(containerID: String) async { try? FileManager.default.removeItem(atPath: directory + "/" + containerID) }
    }

    struct HostNetwork: PodNetworkEngine {
        func setUp(podUID: String, namespace: String, name: String, portMappings: [JSONValue]) async throws -> (netns: String, ips: [String]) {
            throw RuntimeError(.invalidSpec, "only hostNetwork pods in this test")
        }
        func tearDown(podUID: String, namespace: String, name: String) async {}
        func cleanUp(keeping podUIDs: Set<String>) async {}
    }

    struct BusyboxImage: ImageResolver {
        func configuration(of image: String) async throws -> ImageDefaults {
            ImageDefaults(entrypoint: [], cmd: ["/bin/sh"], env: ["PATH=/bin"], workingDir: "/", imageID: "busybox@test")
        }
    }

    @Test func aPodRunsLogsRestartsAndIsRemoved() async throws {
        try await RuntimeTestHost.with { host in
            let engine = RuncEngine(runtime: host.runtime, rootfs: CopiedRootfs(source: host.rootfs, directory: host.directory + "/roots"))
            let lookup: EnvironmentResolver.Lookup = { _, _ in nil }
            let syncer = PodSyncer(.init(
                engine: engine, network: HostNetwork(), images: BusyboxImage(),
                volumes: VolumeManager(kubeletRoot: host.directory + "/kubelet", configMap: lookup, secret: lookup,
                                       persistentVolumeClaim: lookup, persistentVolume: { _ in nil }, token: nil),
                environment: EnvironmentResolver(configMap: lookup, secret: lookup), podLogsDir: host.directory + "/pods",
                hostIP: "127.0.0.1"))
            let pod: JSONValue = [
                "metadata": ["name": "web", "namespace": "default", "uid": .string(host.pod.uid)],
                "spec": ["hostNetwork": true, "restartPolicy": "Always", "terminationGracePeriodSeconds": 2,
                         "containers": [["name": "c", "image": "busybox", "command": ["/bin/sh", "-c", "echo hello from $HOSTNAME_VAR; exit 3"],
                                         "env": [["name": "HOSTNAME_VAR", "value": "the pod"]]]]],
            ]
            var status = await syncer.sync(pod)
            try await host.eventually("the first run to exit") {
                (try host.runtime.list()).contains { $0.state == .exited }
            }
            status = await syncer.sync(pod)
            try await host.eventually("the restart") { (try host.runtime.list()).contains { $0.restartCount == 1 } }
            status = await syncer.sync(pod)
            let log = try String(contentsOfFile: host.directory + "/pods/default_web_\(host.pod.uid)/c/0.log", encoding: .utf8)
            #expect(log.contains("stdout F hello from the pod"), "\(log)")
            #expect(status["containerStatuses"]?[0]?["lastState"]?["terminated"]?["exitCode"]?.int == 3
                    || status["containerStatuses"]?[0]?["state"]?["terminated"]?["exitCode"]?.int == 3, "\(status)")
            await syncer.terminate(uid: host.pod.uid, namespace: "default", name: "web", grace: .seconds(2))
            #expect((try host.runtime.list()).isEmpty)
        }
    }
}
