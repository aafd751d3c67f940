import Foundation
import KubeAPI
import Testing
@testable import Kubelet

/// The kubelet API's view of a running kubelet: pods by namespace and name to the newest run of a container, and the
/// self-signed serving certificate it falls back to.
struct DaemonAPIBackendTests {
    @Test func podsAndContainersAreFoundThroughTheDaemon() async throws {
        try await KubeletDaemonTests.withStaticPod { daemon, engine, _ in
            await daemon.syncOnce(cleanUpOrphans: true)
            let backend = DaemonAPIBackend(daemon: daemon, engine: engine)
            #expect(await backend.pods().compactMap(\.metadata.name) == ["web-n1"])

            func status(_ pod: String, _ container: String) async -> Int? {
                do {
                    _ = try await backend.streaming(namespace: "kube-system", pod: pod, container: container)
                    return 200
                } catch let error as RemoteCommandError {
                    return error.status
                } catch {
                    return nil
                }
            }
            #expect(await status("web-n1", "c") == 500, "found and running; the fake engine just cannot exec")
            #expect(await status("nope", "c") == 404)
            #expect(await status("web-n1", "x") == 404)
            let id = try #require(await engine.latest("c")?.id)
            await engine.exit(id, code: 0, reason: "Completed")
            #expect(await status("web-n1", "c") == 400, "a container that is not running cannot exec")
        }
    }

    @Test func theSelfSignedServingCertificateIsMadeOnceAndReused() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kubelet-pki-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (certificatePath, keyPath) = try KubeletMain.selfSignedServingCertificate(in: directory, nodeName: "n1", nodeIP: "10.0.0.5")
        let first = try String(contentsOfFile: certificatePath, encoding: .utf8)
        #expect(try FileManager.default.attributesOfItem(atPath: keyPath)[.posixPermissions] as? Int == 0o600)
        _ = try KubeletMain.selfSignedServingCertificate(in: directory, nodeName: "n1", nodeIP: "10.0.0.5")
        #expect(try String(contentsOfFile: certificatePath, encoding: .utf8) == first)
    }
}
