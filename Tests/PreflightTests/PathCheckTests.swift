import Testing
@testable import Preflight

@Suite("FileAvailable, DirAvailable, FileExisting")
struct PathCheckTests {
    @Test(arguments: [
        ("/etc/kubernetes/manifests/kube-apiserver.yaml", "FileAvailable--etc-kubernetes-manifests-kube-apiserver.yaml"),
        ("/etc/kubernetes/kubelet.conf", "FileAvailable--etc-kubernetes-kubelet.conf"),
        ("/etc/kubernetes/pki/ca.crt", "FileAvailable--etc-kubernetes-pki-ca.crt"),
    ])
    func fileAvailable(path: String, expectedName: String) {
        let check = FileAvailableCheck(path: path)
        #expect(check.name == expectedName)
        #expect(check.run(on: FakeHost()).isEmpty)

        var host = FakeHost()
        host.files[path] = "x"
        #expect(check.run(on: host) == [Finding(
            check: expectedName, severity: .error,
            message: "\(path) already exists; run 'kubeadm-swift reset' or remove it"
        )])
    }

    @Test func dirAvailableName() {
        #expect(DirAvailableCheck(path: "/var/lib/etcd").name == "DirAvailable--var-lib-etcd")
        #expect(DirAvailableCheck(path: "/etc/kubernetes/manifests").name == "DirAvailable--etc-kubernetes-manifests")
    }

    @Test func dirAvailablePassesWhenAbsentOrEmpty() {
        let check = DirAvailableCheck(path: "/var/lib/etcd")
        #expect(check.run(on: FakeHost()).isEmpty)
        var host = FakeHost()
        host.directories["/var/lib/etcd"] = []
        #expect(check.run(on: host).isEmpty)
    }

    @Test func dirAvailableFailsWhenNotEmpty() {
        var host = FakeHost()
        host.directories["/var/lib/etcd"] = ["member"]
        #expect(DirAvailableCheck(path: "/var/lib/etcd").run(on: host) == [Finding(
            check: "DirAvailable--var-lib-etcd", severity: .error,
            message: "/var/lib/etcd is not empty; run 'kubeadm-swift reset' or empty it"
        )])
    }

    @Test func dirAvailableFailsWhenAFileIsInTheWay() {
        var host = FakeHost()
        host.files["/var/lib/etcd"] = "oops"
        let findings = DirAvailableCheck(path: "/var/lib/etcd").run(on: host)
        #expect(findings.map(\.message) == ["/var/lib/etcd exists but is not a directory; remove it"])
    }

    @Test func fileExisting() {
        let check = FileExistingCheck(path: "/usr/lib/cni/bridge", hint: "install the CNI plugins")
        #expect(check.name == "FileExisting--usr-lib-cni-bridge")
        #expect(check.run(on: FakeHost()).isEmpty)

        var host = FakeHost()
        host.files["/usr/lib/cni/bridge"] = nil
        #expect(check.run(on: host) == [Finding(
            check: "FileExisting--usr-lib-cni-bridge", severity: .error,
            message: "/usr/lib/cni/bridge does not exist; install the CNI plugins"
        )])
    }

    @Test func cniChecksFromTheSetCarryTheInstallHint() throws {
        var host = FakeHost()
        host.files["/usr/lib/cni/portmap"] = nil
        let findings = CheckSets.initChecks(PreflightInput(nodeName: "node-1")).flatMap { $0.run(on: host) }
        let finding = try #require(findings.first)
        #expect(findings.count == 1)
        #expect(finding.check == "FileExisting--usr-lib-cni-portmap")
        #expect(finding.message == "/usr/lib/cni/portmap does not exist; install the CNI plugins: 'apt-get install containernetworking-plugins'")
    }
}
