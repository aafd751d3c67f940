import Foundation
import Testing

/// `init` and `reset` on the real node paths (/etc/kubernetes, /var/lib/kubelet, ...), isolated from this machine:
/// a private mount namespace with overlays over /etc, /var/lib and /run (so every write lands in a temporary
/// directory), inside a private network namespace (so port checks see only their own ports). Root only.
@Suite(.serialized, .enabled(if: Harness.isRoot && Harness.which("unshare")))
struct PrivateHostE2ETests {
    /// Runs a shell script as a private host; `$KS` is the binary. Everything the host wrote is under `dir`.
    func privateHost(_ dir: String, _ script: String) throws -> Run {
        var setup = "set -e; mount --make-rprivate /\n"
        for (index, path) in ["/etc", "/var/lib", "/run"].enumerated() {
            setup += "mkdir -p \(dir)/u\(index) \(dir)/w\(index); "
            setup += "mount -t overlay overlay -o lowerdir=\(path),upperdir=\(dir)/u\(index),workdir=\(dir)/w\(index) \(path)\n"
        }
        return try Harness.run("unshare", ["--mount", "--net", "bash", "-c", setup + "set +e\n" + script],
                               environment: ["KS": Harness.binary])
    }

    /// The file-writing phases only (the phases that start and use the cluster are InitClusterE2ETests').
    @Test func initWritesTheNodeThenResetLeavesNothing() throws {
        try Harness.withTemporaryDirectory { dir in
            let run = try privateHost(dir, """
                $KS init --apiserver-advertise-address 10.1.2.3 --node-name cp-1 --ignore-preflight-errors=all \
                    --skip-phases=kubelet-start,wait-control-plane,upload-config,mark-control-plane,bootstrap-token,addon/local-path-storage,show-join-command
                echo "init-rc=$?"
                stat -c '%a %n' /etc/kubernetes/admin.conf /etc/kubernetes/pki/ca.key /etc/kubernetes/pki/ca.crt /etc/kubernetes/manifests /etc/kubernetes/manifests/kube-apiserver.yaml
                $KS init phase certs all --apiserver-advertise-address 10.1.2.3 --node-name cp-1 | grep -c 'Using existing'
                $KS reset -f; echo "reset-rc=$?"
                ls -A /etc/kubernetes /var/lib/kubelet /var/lib/kubeadm-swift 2>&1 | grep -c 'No such file'
                """)
            let out = run.stdout
            #expect(out.contains("init-rc=0"), "the file-writing phases succeed on their own: \(run.combined)")
            #expect(out.contains("[kubeconfig] Writing \"admin.conf\" kubeconfig file"))
            #expect(out.contains("[control-plane] Creating static Pod manifest for \"kube-apiserver\""))
            #expect(out.contains("600 /etc/kubernetes/admin.conf"))
            #expect(out.contains("600 /etc/kubernetes/pki/ca.key"))
            #expect(out.contains("644 /etc/kubernetes/pki/ca.crt"))
            #expect(out.contains("700 /etc/kubernetes/manifests\n"))
            #expect(out.contains("600 /etc/kubernetes/manifests/kube-apiserver.yaml"))
            #expect(out.contains("\n5\n"), "a second certs run reuses all 5 certificates (no etcd ones with the embedded store): \(out)")
            #expect(out.contains("reset-rc=0"), "\(run.combined)")
            #expect(out.hasSuffix("3\n"), "reset removes /etc/kubernetes, /var/lib/kubelet and /var/lib/kubeadm-swift: \(out)")
        }
    }

    @Test func preflightOnAFreshHostNamesEveryProblem() throws {
        try Harness.withTemporaryDirectory { dir in
            // A fresh network namespace has ip_forward=0; preflight must say so and how to fix it.
            let run = try privateHost(dir, "$KS init phase preflight --apiserver-advertise-address 10.1.2.3")
            #expect(run.status == 2, "\(run.combined)")
            #expect(run.stderr.contains("[ERROR FileContent--proc-sys-net-ipv4-ip_forward]"), "\(run.stderr)")
            #expect(run.stderr.contains("sysctl -w net.ipv4.ip_forward=1"))
        }
    }
}
