import Foundation
import Testing

@Suite(.serialized) struct ConfigE2ETests {
    @Test func printedInitDefaultsAreAcceptedByInit() throws {
        try Harness.withTemporaryDirectory { dir in
            let printed = try Harness.kubeadm("config", "print", "init-defaults")
            #expect(printed.status == 0)
            #expect(printed.stdout.contains("kind: InitConfiguration") && printed.stdout.contains("kind: ClusterConfiguration"))
            try printed.stdout.write(toFile: dir + "/defaults.yaml", atomically: true, encoding: .utf8)
            #expect(try Harness.kubeadm("config", "validate", "--config", dir + "/defaults.yaml").status == 0)
            let run = try Harness.kubeadm("init", "--config", dir + "/defaults.yaml", "--dry-run", "--ignore-preflight-errors=all",
                                          environment: ["KUBEADM_INIT_DRYRUN_DIR": dir + "/dry"])
            #expect(run.status == 0, "\(run.combined)")
            #expect(FileManager.default.fileExists(atPath: dir + "/dry/etc/kubernetes/pki/ca.crt"))
        }
    }

    @Test(arguments: [
        ("networking:\n  podSubnett: 10.0.0.0/16\n", "networking.podSubnett", "unknown field"),
        ("networking:\n  podSubnet: 10.0.0.0/99\n", "networking.podSubnet", "couldn't parse subnet"),
    ])
    func badConfigsExitThreeWithTheFieldPath(body: String, path: String, message: String) throws {
        try Harness.withTemporaryDirectory { dir in
            let file = dir + "/bad.yaml"
            try ("apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\n" + body).write(toFile: file, atomically: true, encoding: .utf8)
            for arguments in [["config", "validate", "--config", file], ["init", "--config", file, "--dry-run", "--apiserver-advertise-address", "10.1.2.3"]] {
                let run = try Harness.kubeadm(args: arguments)
                #expect(run.status == 3, "\(arguments): \(run.combined)")
                #expect(run.stderr.contains(path) && run.stderr.contains(message), "\(run.stderr)")
                #expect(run.stderr.contains(file), "the message names the file")
            }
        }
    }

    @Test func badFlagsExitThree() throws {
        let run = try Harness.kubeadm("init", "--pod-network-cidr", "10.0.0.0/99", "--dry-run", "--apiserver-advertise-address", "10.1.2.3")
        #expect(run.status == 3)
        #expect(run.stderr.contains("networking.podSubnet: Invalid value: \"10.0.0.0/99\""), "\(run.stderr)")
        #expect(run.stderr.contains("--pod-network-cidr"))
    }

    @Test func dryRunTouchesNothingUnderEtcAndPrintsNoKeys() throws {
        try Harness.withTemporaryDirectory { dir in
            let etcBefore = (try? FileManager.default.subpathsOfDirectory(atPath: "/etc/kubernetes")) ?? []
            let run = try Harness.kubeadm("init", "--dry-run", "--ignore-preflight-errors=all", "--apiserver-advertise-address", "10.1.2.3",
                                          environment: ["TMPDIR": dir])
            #expect(run.status == 0, "\(run.combined)")
            #expect(run.stdout.contains("[dryrun] Would write file \"/etc/kubernetes/pki/ca.key\""))
            #expect(run.stdout.contains("[dryrun] Would write file \"/etc/kubernetes/manifests/kube-apiserver.yaml\""))
            #expect(!run.combined.contains("PRIVATE KEY") && !run.combined.contains("client-key-data"))
            let etcAfter = (try? FileManager.default.subpathsOfDirectory(atPath: "/etc/kubernetes")) ?? []
            #expect(etcAfter == etcBefore)
            let written = try FileManager.default.contentsOfDirectory(atPath: dir)
            #expect(written.contains { $0.hasPrefix("kubeadm-swift-init-dryrun-") })
        }
    }

    @Test func unknownPhaseAndSkipNamesAreUsageErrors() throws {
        let phase = try Harness.kubeadm("init", "phase", "certz")
        #expect(phase.status == 1 && phase.stderr.contains("unknown phase"))
        let skip = try Harness.kubeadm("init", "--dry-run", "--skip-phases", "nope", "--apiserver-advertise-address", "10.1.2.3")
        #expect(skip.status == 1 && skip.stderr.contains("--skip-phases"))
    }

    @Test func versionFormats() throws {
        let short = try Harness.kubeadm("version", "-o", "short")
        #expect(short.stdout.trimmingCharacters(in: .whitespacesAndNewlines).hasPrefix("v1.32."))
        let json = try Harness.kubeadm("version", "-o", "json")
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: [String: String]]
        #expect(object?["clientVersion"]?["minor"] == "32")
    }

    @Test func joinWithoutAPinIsAValidationError() throws {
        let run = try Harness.kubeadm("join", "10.0.0.1:6443", "--token", "abcdef.0123456789abcdef")
        #expect(run.status == 3)
        #expect(run.stderr.contains("using token-based discovery without caCertHashes can be unsafe"))
    }

    @Test func componentsNameTheirMissingOrUnknownFlags() throws {
        let scheduler = try Harness.kubeadm("kube-scheduler", "--secure-port=10259")
        #expect(scheduler.status == 1 && scheduler.stderr.contains("--kubeconfig is required"), "\(scheduler.stderr)")
        let manager = try Harness.kubeadm("kube-controller-manager", "--secure-port=10257")
        #expect(manager.status == 1 && manager.stderr.contains("--kubeconfig is required"), "\(manager.stderr)")
        let kubelet = try Harness.kubeadm("kubelet", "--bogus=1")
        #expect(kubelet.status == 1 && kubelet.stderr.contains("unknown flag: --bogus"), "\(kubelet.stderr)")
    }

    @Test func apiServerWithoutCertificatesSaysWhatIsMissing() throws {
        let run = try Harness.kubeadm("kube-apiserver", "--secure-port=6443")
        #expect(run.status == 1)
        #expect(run.stderr.contains("--tls-cert-file is required"), "\(run.stderr)")
        let unknown = try Harness.kubeadm("kube-apiserver", "--no-such-flag=1")
        #expect(unknown.status == 1 && unknown.stderr.contains("unknown flag: --no-such-flag"), "\(unknown.stderr)")
    }

    @Test func tokenGenerate() throws {
        let run = try Harness.kubeadm("token", "generate")
        #expect(run.stdout.range(of: #"^[a-z0-9]{6}\.[a-z0-9]{16}\n$"#, options: .regularExpression) != nil)
        let key = try Harness.kubeadm("certs", "certificate-key")
        #expect(key.stdout.range(of: #"^[0-9a-f]{64}\n$"#, options: .regularExpression) != nil)
    }
}
