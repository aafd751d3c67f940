import Foundation
import Testing
@testable import Bootstrap
@testable import Manifests

@Suite struct ResetTests {
    @Test func removesWhatInitWroteAndOnlyThat() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("kubeadm-swift-reset-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        var flags = InitFlags()
        flags.dryRun = true
        flags.ignorePreflightErrors = ["all"]
        let lines = Lines()
        try await InitRunner.run(flags: flags, phase: nil, output: lines.output, host: HostFacts(hostname: "n", defaultRouteAddress: "10.1.2.3"), dryRunRoot: root)
        // Something kubeadm-swift does not own must survive.
        try "keep".write(toFile: root + "/etc/kubernetes/other.conf", atomically: true, encoding: .utf8)

        var request = ResetRequest()
        request.root = root
        request.dryRun = true
        request.ignorePreflightErrors = ["IsPrivilegedUser"]
        try await ResetRunner.run(request, output: lines.output)
        #expect(FileManager.default.fileExists(atPath: root + "/etc/kubernetes/admin.conf"), "a dry run deletes nothing")

        request.dryRun = false
        request.force = true
        try await ResetRunner.run(request, output: lines.output)
        let left = DryRunReport.listFiles(root).map { String($0.dropFirst(root.count)) }
        #expect(left == ["/etc/kubernetes/other.conf"])
        #expect(lines.text.contains("[reset] Deleting files: ["))
        let dirs = (try? FileManager.default.subpathsOfDirectory(atPath: root)) ?? []
        #expect(!dirs.contains("etc/kubernetes/manifests") && !dirs.contains("var/lib/kubelet"), "owned directories are removed: \(dirs)")
    }

    @Test func withoutForceItAsksAndAbortsOnNo() async {
        let lines = Lines()
        var request = ResetRequest()
        request.root = "/nonexistent-root"
        let error = await #expect(throws: (any Error).self) {
            try await ResetRunner.run(request, output: lines.output, confirm: { "n" })
        }
        #expect("\(error.map { "\($0)" } ?? "")".contains("aborted"))
        #expect(lines.text.contains("Are you sure you want to proceed? [y/N]"))
    }
}

@Suite struct ResetConfigTests {
    @Test func resetConfigurationIsMergedUnderFlags() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("reset-\(UUID().uuidString).yaml").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        try "apiVersion: kubeadm.k8s.io/v1beta4\nkind: ResetConfiguration\nforce: true\ncertificatesDir: /srv/pki\nignorePreflightErrors: [IsPrivilegedUser]\n"
            .write(toFile: file, atomically: true, encoding: .utf8)
        var request = ResetRequest()
        request.configFile = file
        request.certificatesDir = "/flag/pki"
        let merged = try request.resolved()
        #expect(merged.force)
        #expect(merged.certificatesDir == "/flag/pki")
        #expect(merged.ignorePreflightErrors == ["IsPrivilegedUser"])
    }
}
