import Foundation
import Testing

/// The shared acceptance script `kubectl-cluster.sh` (everyday kubectl on a whole cluster: generators with protobuf
/// bodies, tokens, auth checks with impersonation, rollouts, logs, exec, cp, explain, cascading deletes, cordon) and
/// our `kubectl-cluster-more.sh` (the rest of the compatibility list) on a two-node cluster made by `init` and
/// `join` in test hosts.
@Suite(.serialized, .enabled(if: TestHosts.available && FileManager.default.fileExists(atPath: "/bin/busybox")))
struct KubectlClusterE2ETests {
    @Test func kubectlClusterAcceptanceScriptPasses() throws {
        let hosts = try TestHosts()
        defer { hosts.down() }
        try TestCluster.make(hosts, workers: ["w1"])
        let archive = hosts.root + "/busybox.tar"
        let built = try Harness.run("python3", [TestHosts.directory + "/make-busybox-oci.py", archive, "busybox:local"])
        #expect(built.status == 0, "\(built.combined)")
        for host in ["cp", "w1"] {
            #expect(try hosts.exec(host, "$KS images import \(archive)").status == 0)
        }
        let run = try hosts.exec("cp", "IMAGE=busybox:local bash \(AcceptanceScripts.directory)/kubectl-cluster.sh")
        #expect(run.stdout.contains(" passed, 0 failed"), "\(run.combined)")
        // The rest of the compatibility list: apply/diff/edit/set image, SSA conflicts, force delete, drain, tokens,
        // anonymous access.
        let more = try hosts.exec("cp", "IMAGE=busybox:local SERVER=https://\(TestCluster.addresses["cp"] ?? ""):6443 DRAIN_NODE=w1 "
            + "bash \(AcceptanceScripts.directory)/kubectl-cluster-more.sh")
        #expect(more.stdout.contains(" passed, 0 failed"), "\(more.combined)")
        for host in ["w1", "cp"] {
            let reset = try hosts.exec(host, "$KS reset -f")
            #expect(reset.status == 0, "\(host): \(reset.combined)")
        }
    }
}
