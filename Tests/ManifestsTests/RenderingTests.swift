import Foundation
import Testing
import Yams
@testable import Manifests

@Suite struct StaticPodTests {
    func settings(_ yaml: String = "") throws -> InitSettings {
        let docs = try ConfigLoader.load(yaml: "apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\n" + yaml, source: "t")
        var flags = InitFlags()
        flags.advertiseAddress = "10.1.2.3"
        return try InitSettings.resolve(flags: flags, documents: docs, host: TestHost.facts)
    }

    @Test func apiServerManifest() throws {
        let pods = StaticPods(settings: try settings()) { _ in false }
        let pod = pods.manifest(.apiServer)
        #expect(pod.metadata.name == "kube-apiserver" && pod.metadata.namespace == "kube-system")
        #expect(pod.metadata.labels == ["component": "kube-apiserver", "tier": "control-plane"])
        #expect(pod.metadata.annotations?[WellKnown.apiServerEndpointAnnotation] == "10.1.2.3:6443")
        #expect(pod.spec.hostNetwork == true && pod.spec.priorityClassName == "system-node-critical" && pod.spec.priority == 2_000_001_000)
        let container = try #require(pod.spec.containers.first)
        #expect(container.command.prefix(2) == ["kubeadm-swift", "kube-apiserver"])
        let flags = Array(container.command.dropFirst(2))
        #expect(flags == flags.sorted(), "flags are sorted by name like kubeadm's")
        #expect(flags.contains("--secure-port=6443"))
        #expect(flags.contains("--client-ca-file=/etc/kubernetes/pki/ca.crt"))
        #expect(flags.contains("--service-cluster-ip-range=10.96.0.0/12"))
        #expect(flags.contains("--authorization-mode=Node,RBAC"))
        #expect(container.image == "kubeadm-swift.local/kubeadm-swift:\(WellKnown.kubernetesVersion)")
        #expect(container.livenessProbe?.httpGet.path == "/livez" && container.readinessProbe?.httpGet.path == "/readyz")
        #expect(container.startupProbe?.failureThreshold == 240 && container.startupProbe?.periodSeconds == 1)
        #expect(container.livenessProbe?.httpGet.host == "10.1.2.3")
        #expect(pod.spec.volumes?.map(\.name) == ["ca-certs", "datastore", "k8s-certs"])
    }

    @Test func extraArgsOverrideDefaults() throws {
        let s = try settings("scheduler:\n  extraArgs:\n  - name: leader-elect\n    value: \"false\"\n  - name: v\n    value: \"3\"\n")
        let command = StaticPods(settings: s) { _ in false }.manifest(.scheduler).spec.containers[0].command
        #expect(command.contains("--leader-elect=false") && !command.contains("--leader-elect=true"))
        #expect(command.contains("--v=3"))
    }

    /// kubeadm-swift defaults the pod subnet (its kubelets wire pods from each node's podCIDR); a given one wins.
    @Test func controllerManagerAllocatesNodeCIDRsFromThePodSubnet() throws {
        let plain = StaticPods(settings: try settings()) { _ in false }.manifest(.controllerManager).spec.containers[0].command
        #expect(plain.contains("--cluster-cidr=\(WellKnown.podSubnet)") && plain.contains("--allocate-node-cidrs=true"))
        #expect(plain.contains("--controllers=*,bootstrapsigner,tokencleaner"))
        let withPods = StaticPods(settings: try settings("networking:\n  podSubnet: 10.32.0.0/16\n")) { _ in false }
            .manifest(.controllerManager).spec.containers[0].command
        #expect(withPods.contains("--cluster-cidr=10.32.0.0/16") && withPods.contains("--allocate-node-cidrs=true"))
    }

    @Test func probesAndPortsPerComponent() throws {
        let pods = StaticPods(settings: try settings()) { _ in false }
        let cm = pods.manifest(.controllerManager).spec.containers[0]
        #expect(cm.livenessProbe?.httpGet.path == "/healthz" && cm.readinessProbe == nil)
        #expect(cm.ports?.first?.containerPort == 10257 && cm.livenessProbe?.httpGet.host == "127.0.0.1")
        let sched = pods.manifest(.scheduler).spec.containers[0]
        #expect(sched.ports?.first?.containerPort == 10259 && sched.readinessProbe?.httpGet.path == "/readyz")
    }

    @Test func optionalCADirectoriesFollowTheHost() throws {
        let pods = StaticPods(settings: try settings()) { $0 == "/etc/pki" }
        #expect(pods.manifest(.apiServer).spec.volumes?.map(\.name).contains("etc-pki") == true)
    }

    @Test func yamlIsAPod() throws {
        let yaml = try StaticPods(settings: try settings()) { _ in false }.yaml(.apiServer)
        let node = try #require(try Yams.load(yaml: yaml) as? [String: Any])
        #expect(node["kind"] as? String == "Pod")
        #expect(node["apiVersion"] as? String == "v1")
    }
}

@Suite struct KubeconfigTests {
    @Test func kubeadmShape() throws {
        let config = Kubeconfig.withClientCertificate(clusterName: "kubernetes", server: "https://10.0.0.1:6443", caPEM: "CA",
                                                      userName: "kubernetes-admin", certificatePEM: "CERT", keyPEM: "KEY")
        let yaml = try config.yaml()
        #expect(yaml.contains("current-context: kubernetes-admin@kubernetes"))
        #expect(yaml.contains("certificate-authority-data: \(Kubeconfig.base64("CA"))"))
        let back = try Kubeconfig.parse(yaml)
        #expect(back == config)
        #expect(back.currentCluster?.server == "https://10.0.0.1:6443")
        #expect(Kubeconfig.decodeData(back.currentUser?.clientKeyData) == "KEY")
    }

    @Test(arguments: KubeconfigFile.allCases)
    func identities(file: KubeconfigFile) {
        let identity = file.clientIdentity(nodeName: "n1")
        let expected: [KubeconfigFile: (String, [String])] = [
            .admin: ("kubernetes-admin", ["kubeadm:cluster-admins"]), .superAdmin: ("kubernetes-super-admin", ["system:masters"]),
            .kubelet: ("system:node:n1", ["system:nodes"]), .controllerManager: ("system:kube-controller-manager", []),
            .scheduler: ("system:kube-scheduler", []),
        ]
        #expect(identity.commonName == expected[file]?.0)
        #expect(identity.organizations == expected[file]?.1)
    }

    @Test func kubeletConfigMergesUserOverrides() throws {
        let yaml = try KubeletConfig.configuration(dnsServiceIP: "10.96.0.10", dnsDomain: "cluster.local", certificatesDir: "/etc/kubernetes/pki",
                                                   userOverrides: "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nmaxPods: 50\ncgroupDriver: systemd\n")
        let node = try #require(try Yams.load(yaml: yaml) as? [String: Any])
        #expect(node["maxPods"] as? Int == 50)
        #expect(node["cgroupDriver"] as? String == "systemd")
        #expect(node["staticPodPath"] as? String == "/etc/kubernetes/manifests")
        #expect((node["clusterDNS"] as? [String]) == ["10.96.0.10"])
    }
}
