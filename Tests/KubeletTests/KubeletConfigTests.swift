import Foundation
import KubeAPI
import Manifests
import Testing
@testable import Kubelet

struct KubeletConfigTests {
    @Test func flagsFromKubeadmsDropInParse() throws {
        let options = try KubeletOptions.parse([
            "--config=/var/lib/kubelet/config.yaml", "--kubeconfig", "/etc/kubernetes/kubelet.conf",
            "--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf", "--hostname-override=node-a",
            "--node-labels=a=b,c=d", "--container-runtime-endpoint=unix:///x",
        ])
        #expect(options.configFile == "/var/lib/kubelet/config.yaml")
        #expect(options.kubeconfig == "/etc/kubernetes/kubelet.conf")
        #expect(options.hostnameOverride == "node-a")
        #expect(options.nodeLabels == ["a": "b", "c": "d"])
        #expect(options.ignored == ["container-runtime-endpoint"])
        #expect(throws: KubeletOptionsError.self) { try KubeletOptions.parse(["--bogus=1"]) }
        #expect(throws: KubeletOptionsError.self) { try KubeletOptions.parse(["--node-labels=novalue"]) }
    }

    @Test func theConfigKubeadmWritesIsRead() throws {
        let text = try KubeletConfig.configuration(dnsServiceIP: "10.96.0.10", dnsDomain: "cluster.local", certificatesDir: "/etc/kubernetes/pki")
        let config = try KubeletConfiguration(yaml: text)
        #expect(config.staticPodPath == "/etc/kubernetes/manifests")
        #expect(config.clusterDNS == ["10.96.0.10"])
        #expect(config.clientCAFile == "/etc/kubernetes/pki/ca.crt")
        #expect(config.healthzPort == 10248)
        #expect(config.authorizationMode == "Webhook")
        #expect(config.rotateCertificates)
        #expect(!config.anonymousAuth)
        #expect(throws: KubeletOptionsError.self) { try KubeletConfiguration(yaml: "kind: Pod\n") }
        #expect(throws: KubeletOptionsError.self) { try KubeletConfiguration(yaml: "maxPods: many\n") }
    }

    @Test func yamlScalarsFollowKubectlsRules() throws {
        let documents = try YAMLToJSON.documents("a: 1\nb: \"1\"\nc: true\nd: 'true'\ne: 1.5\nf: ~\ng: [x, 2]\n---\nh: 3\n")
        #expect(documents.count == 2)
        let first = documents[0]
        #expect(first["a"] == .integer(1) && first["b"] == .string("1") && first["c"] == .bool(true))
        #expect(first["d"] == .string("true") && first["e"] == .float(1.5) && first["f"] == .null)
        #expect(first["g"] == .array([.string("x"), .integer(2)]))
    }
}

struct StaticPodSourceTests {
    static func withFolder(_ files: [String: String], _ body: (String) throws -> Void) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("static-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for (name, text) in files { try text.write(toFile: dir + "/" + name, atomically: true, encoding: .utf8) }
        try body(dir)
    }

    static let manifest = """
        apiVersion: v1
        kind: Pod
        metadata: {name: kube-apiserver, namespace: kube-system, labels: {component: kube-apiserver}}
        spec:
          hostNetwork: true
          containers:
          - name: kube-apiserver
            image: kubeadm-swift.local/kubeadm-swift:v1.32.4
            command: [kubeadm-swift, kube-apiserver]
        """

    @Test func manifestsBecomeNodeBoundPodsWithStableUIDs() throws {
        try Self.withFolder(["kube-apiserver.yaml": Self.manifest, "broken.yaml": "kind: [", ".hidden": "x"]) { dir in
            let source = StaticPodSource(directory: dir, nodeName: "node-a")
            let (pods, errors) = source.scan()
            #expect(pods.count == 1)
            #expect(errors.count == 1 && errors[0].path.hasSuffix("broken.yaml"))
            let pod = pods[0]
            #expect(pod.metadata.name == "kube-apiserver-node-a")
            #expect(pod.metadata.namespace == "kube-system")
            #expect(pod[path: ["spec", "nodeName"]]?.string == "node-a")
            #expect(pod[path: ["spec", "restartPolicy"]]?.string == "Always")
            #expect(pod.metadata.annotations[StaticPodSource.configSourceAnnotation] == "file")
            let uid = pod.metadata.uid ?? ""
            #expect(uid.count == 32 && pod.metadata.annotations[StaticPodSource.configHashAnnotation] == uid)
            #expect(source.scan().pods.first?.metadata.uid == uid, "the same file is the same pod")
            try Self.manifest.replacingOccurrences(of: "v1.32.4", with: "v1.32.5").write(toFile: dir + "/kube-apiserver.yaml", atomically: true, encoding: .utf8)
            #expect(source.scan().pods.first?.metadata.uid != uid, "a changed file is a new pod")
        }
    }
}

struct NodeObjectTests {
    static let machine = MachineInfo(cpuCores: 2, memoryBytes: 4 << 30, ephemeralStorageBytes: 100 << 30, machineID: "m", bootID: "b",
                                     kernelVersion: "6.1.0", osImage: "Debian GNU/Linux 12 (bookworm)", architecture: "amd64",
                                     containerRuntimeVersion: "runc://1.1.5")

    @Test func registrationCarriesLabelsCapacityAndNodeInfo() {
        let node = NodeObject(name: "n1", hostname: "n1", internalIP: "10.0.0.2", machine: Self.machine, maxPods: 110,
                              labels: ["node-role.kubernetes.io/control-plane": ""])
        let object = node.registration(now: KubeTime(seconds: 1_700_000_000))
        #expect(object.metadata.labels["kubernetes.io/hostname"] == "n1")
        #expect(object.metadata.labels["node-role.kubernetes.io/control-plane"] == "")
        #expect(object[path: ["status", "capacity", "cpu"]]?.string == "2")
        #expect(object[path: ["status", "capacity", "memory"]]?.string == "4194304Ki")
        #expect(object[path: ["status", "nodeInfo", "kubeletVersion"]]?.string == "v1.32.4")
        let ready = object[path: ["status", "conditions"]]?.array?.first { $0["type"]?.string == "Ready" }
        #expect(ready?["status"]?.string == "True")
    }

    @Test func transitionTimesOnlyMoveOnChange() {
        let node = NodeObject(name: "n1", hostname: "n1", internalIP: "10.0.0.2", machine: Self.machine, maxPods: 110)
        let first = node.status(ready: true, reason: "KubeletReady", message: "", now: KubeTime(seconds: 100), previous: nil)
        let second = node.status(ready: true, reason: "KubeletReady", message: "", now: KubeTime(seconds: 200), previous: first)
        let third = node.status(ready: false, reason: "KubeletNotReady", message: "", now: KubeTime(seconds: 300), previous: second)
        func transition(_ status: JSONValue) -> String? {
            status["conditions"]?.array?.first { $0["type"]?.string == "Ready" }?["lastTransitionTime"]?.string
        }
        #expect(transition(second) == transition(first))
        #expect(transition(third) != transition(second))
    }
}
