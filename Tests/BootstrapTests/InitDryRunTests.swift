import Foundation
import Synchronization
import Testing
@testable import Bootstrap
@testable import Manifests

final class Lines: Sendable {
    let lines = Mutex<[String]>([])
    var output: Output { Output { line in self.lines.withLock { $0.append(line) } } }
    var text: String { lines.withLock { $0.joined(separator: "\n") } }
}

@Suite(.serialized) struct InitDryRunTests {
    let host = HostFacts(hostname: "cp-1", defaultRouteAddress: "10.1.2.3")

    func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("kubeadm-swift-test-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func dryRunWritesEverythingUnderATemporaryRootAndPrintsNoKeys() async throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        var flags = InitFlags()
        flags.dryRun = true
        flags.ignorePreflightErrors = ["all"]
        let lines = Lines()
        try await InitRunner.run(flags: flags, phase: nil, output: lines.output, host: host, dryRunRoot: root)
        let text = lines.text
        for file in ["/etc/kubernetes/pki/ca.crt", "/etc/kubernetes/pki/ca.key", "/etc/kubernetes/admin.conf",
                     "/etc/kubernetes/manifests/kube-apiserver.yaml", "/var/lib/kubelet/config.yaml"] {
            #expect(text.contains("[dryrun] Would write file \"\(file)\""), "\(file) not listed")
            #expect(FileManager.default.fileExists(atPath: root + file))
        }
        #expect(!text.contains("PRIVATE KEY"))
        #expect(!text.contains("client-key-data"))
        #expect(text.contains("[certs] Generating \"ca\" certificate and key"))
        #expect(text.contains("[kubeconfig] Writing \"admin.conf\" kubeconfig file"))
        #expect(text.contains("[dryrun] Would start the kubelet: "))
        #expect(text.contains("[dryrun] Would wait for the kubelet and the control plane to become healthy"))
    }

    /// wait-control-plane without a kubelet: after `timeouts.kubeletHealthCheck` it fails naming the kubelet, what
    /// its healthz last answered and where its log is.
    @Test func waitControlPlaneWithoutAKubeletSaysWhereToLook() async throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        var flags = InitFlags()
        flags.certificatesDir = root + "/pki"
        flags.kubeconfigDir = root
        let lines = Lines()
        // certs and kubeconfig can run anywhere.
        try await InitRunner.run(flags: flags, phase: ["certs", "all"], output: lines.output, host: host)
        try await InitRunner.run(flags: flags, phase: ["kubeconfig", "all"], output: lines.output, host: host)
        #expect(FileManager.default.fileExists(atPath: root + "/admin.conf"))
        #expect(FileManager.default.fileExists(atPath: root + "/pki/sa.pub"))
        let config = root + "/init.yaml"
        try """
            apiVersion: kubeadm.k8s.io/v1beta4
            kind: InitConfiguration
            timeouts:
              kubeletHealthCheck: 1s
            """.write(toFile: config, atomically: true, encoding: .utf8)
        var wait = InitFlags()
        wait.configFile = config
        wait.kubeconfigDir = root
        let error = await #expect(throws: PhaseError.self) {
            try await InitRunner.run(flags: wait, phase: ["wait-control-plane"], output: lines.output, host: host)
        }
        let message = error.map { "\($0.underlying)" } ?? ""
        #expect(message.contains("kubelet is not healthy after 1s"), "\(message)")
        #expect(message.contains("http://127.0.0.1:10248/healthz"))
        #expect(message.contains("/var/log/kubeadm-swift/kubelet.log"))
        if let error { #expect(ErrorReport(error).exitCode == 1) }
    }

    @Test func existingKubeconfigIsReusedOrRejected() async throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        var flags = InitFlags()
        flags.certificatesDir = root + "/pki"
        flags.kubeconfigDir = root
        let lines = Lines()
        try await InitRunner.run(flags: flags, phase: ["certs", "ca"], output: lines.output, host: host)
        try await InitRunner.run(flags: flags, phase: ["kubeconfig", "admin"], output: lines.output, host: host)
        let first = try String(contentsOfFile: root + "/admin.conf", encoding: .utf8)
        try await InitRunner.run(flags: flags, phase: ["kubeconfig", "admin"], output: lines.output, host: host)
        #expect(try String(contentsOfFile: root + "/admin.conf", encoding: .utf8) == first)
        #expect(lines.text.contains("[kubeconfig] Using existing kubeconfig file: \"\(root)/admin.conf\""))
        var moved = flags
        moved.advertiseAddress = "10.9.9.9"
        let error = await #expect(throws: PhaseError.self) {
            try await InitRunner.run(flags: moved, phase: ["kubeconfig", "admin"], output: lines.output, host: host)
        }
        #expect(error?.description.contains("unexpected API Server URL") == true)
    }

    @Test func exitCodesFollowKubeadm() {
        #expect(ErrorReport(ConfigError(source: "f", "bad")).exitCode == 3)
        #expect(ErrorReport(PhaseError(path: "preflight", underlying: Preflight.PreflightError(errors: []))).exitCode == 2)
        #expect(ErrorReport(NotBuiltError(what: "x", arrivesWith: "y")).exitCode == 1)
        #expect(ErrorReport(JoinValidationError(errors: [])).exitCode == 3)
        #expect(ErrorReport(NotBuiltError(what: "x", arrivesWith: "y")).message.hasSuffix("To see the stack trace of this error execute with --v=5 or higher"))
    }
}

import Preflight
