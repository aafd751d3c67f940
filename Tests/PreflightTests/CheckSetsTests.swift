import Testing
@testable import Preflight

@Suite("CheckSets")
struct CheckSetsTests {
    static let binaryChecks = [
        "FileExisting-runc", "FileExisting-ip", "FileExisting-iptables", "FileExisting-mount", "FileExisting-nsenter",
        "FileExisting-ebtables", "FileExisting-ethtool", "FileExisting-socat", "FileExisting-tc", "FileExisting-touch",
        "FileExisting--usr-lib-cni-bridge", "FileExisting--usr-lib-cni-host-local",
        "FileExisting--usr-lib-cni-loopback", "FileExisting--usr-lib-cni-portmap",
    ]

    @Test func initSetInOrder() {
        let names = CheckSets.initChecks(PreflightInput(nodeName: "node-1")).map(\.name)
        #expect(names == [
            "IsPrivilegedUser", "NumCPU", "Mem", "SystemVerification",
            "Port-6443", "Port-10259", "Port-10257",
            "FileAvailable--etc-kubernetes-manifests-kube-apiserver.yaml",
            "FileAvailable--etc-kubernetes-manifests-kube-controller-manager.yaml",
            "FileAvailable--etc-kubernetes-manifests-kube-scheduler.yaml",
            "FileContent--proc-sys-net-ipv4-ip_forward", "FileContent--proc-sys-net-bridge-bridge-nf-call-iptables",
            "Swap",
        ] + Self.binaryChecks + ["Hostname", "Port-10250"])
    }

    @Test func initWithLocalEtcdAndCustomBindPort() {
        let names = CheckSets.initChecks(PreflightInput(nodeName: "n", apiServerBindPort: 7443, localEtcd: true)).map(\.name)
        #expect(names.contains("Port-7443"))
        #expect(!names.contains("Port-6443"))
        #expect(names.contains("FileAvailable--etc-kubernetes-manifests-etcd.yaml"))
        #expect(names.suffix(3) == ["Port-2379", "Port-2380", "DirAvailable--var-lib-etcd"])
        #expect(Set(names).count == names.count)
    }

    @Test func initSecondPassForControlPlaneJoinSkipsNodeChecks() {
        let names = CheckSets.initChecks(PreflightInput(nodeName: "n", localEtcd: true, isControlPlaneJoin: true)).map(\.name)
        #expect(names == [
            "NumCPU", "Mem", "Port-6443", "Port-10259", "Port-10257",
            "FileAvailable--etc-kubernetes-manifests-kube-apiserver.yaml",
            "FileAvailable--etc-kubernetes-manifests-kube-controller-manager.yaml",
            "FileAvailable--etc-kubernetes-manifests-kube-scheduler.yaml",
            "FileAvailable--etc-kubernetes-manifests-etcd.yaml",
            "Port-2379", "Port-2380", "DirAvailable--var-lib-etcd",
        ])
    }

    @Test func workerJoinSet() {
        let names = CheckSets.joinChecks(PreflightInput(nodeName: "node-1")).map(\.name)
        #expect(names == [
            "IsPrivilegedUser", "DirAvailable--etc-kubernetes-manifests",
            "FileAvailable--etc-kubernetes-kubelet.conf", "FileAvailable--etc-kubernetes-bootstrap-kubelet.conf",
            "Swap",
        ] + Self.binaryChecks + [
            "SystemVerification", "Hostname", "Port-10250",
            "FileAvailable--etc-kubernetes-pki-ca.crt",
            "FileContent--proc-sys-net-ipv4-ip_forward", "FileContent--proc-sys-net-bridge-bridge-nf-call-iptables",
        ])
    }

    @Test func controlPlaneJoinSetSkipsCACheck() {
        let names = CheckSets.joinChecks(PreflightInput(nodeName: "n", isControlPlaneJoin: true)).map(\.name)
        #expect(!names.contains("FileAvailable--etc-kubernetes-pki-ca.crt"))
        #expect(names.first == "IsPrivilegedUser")
    }

    @Test func resetSetIsRootOnly() {
        #expect(CheckSets.resetChecks().map(\.name) == ["IsPrivilegedUser"])
    }

    @Test func pathsFollowTheInput() {
        let input = PreflightInput(
            nodeName: "n", localEtcd: true, etcdDataDir: "/tmp/r/etcd", manifestsDir: "/tmp/r/manifests/",
            kubernetesDir: "/tmp/r", caCertPath: "/tmp/r/pki/ca.crt", cniBinDir: "/opt/cni/bin", cniPlugins: ["bridge"],
            requiredBinaries: ["runc"], optionalBinaries: []
        )
        let initNames = CheckSets.initChecks(input).map(\.name)
        #expect(initNames.contains("FileAvailable--tmp-r-manifests-kube-apiserver.yaml"))
        #expect(initNames.contains("DirAvailable--tmp-r-etcd"))
        #expect(initNames.contains("FileExisting--opt-cni-bin-bridge"))
        #expect(initNames.filter { $0.hasPrefix("FileExisting-") } == ["FileExisting-runc", "FileExisting--opt-cni-bin-bridge"])
        let joinNames = CheckSets.joinChecks(input).map(\.name)
        #expect(joinNames.contains("FileAvailable--tmp-r-kubelet.conf"))
        #expect(joinNames.contains("FileAvailable--tmp-r-pki-ca.crt"))
    }
}
