import KubeAPI
import Testing
@testable import Scheduler

/// The VolumeBinding filter: claims that are missing or unbound (Immediate) keep a pod off every node, a bound
/// volume's node affinity picks the node, and a WaitForFirstConsumer claim fits wherever it can be provisioned or a
/// free volume's affinity allows.
struct VolumeBindingFilterTests {
    static func claim(_ name: String, className: String = "local-path", volumeName: String? = nil) -> JSONValue {
        var claim: JSONValue = ["metadata": ["name": .string(name), "namespace": "default", "uid": .string("uid-" + name)],
                                "spec": ["storageClassName": .string(className), "accessModes": ["ReadWriteOnce"],
                                         "resources": ["requests": ["storage": "1Gi"]]]]
        if let volumeName { claim[path: ["spec", "volumeName"]] = .string(volumeName) }
        return claim
    }

    static func volume(_ name: String, node: String, className: String = "local-path") -> JSONValue {
        ["metadata": ["name": .string(name)],
         "spec": ["storageClassName": .string(className), "capacity": ["storage": "1Gi"], "accessModes": ["ReadWriteOnce"],
                  "nodeAffinity": ["required": ["nodeSelectorTerms": [["matchExpressions": [
                      ["key": "kubernetes.io/hostname", "operator": "In", "values": [.string(node)]]]]]]]],
         "status": ["phase": "Available"]]
    }

    static let classes: [String: JSONValue] = [
        "local-path": ["metadata": ["name": "local-path"], "provisioner": "kubeadm-swift.io/local-path", "volumeBindingMode": "WaitForFirstConsumer"],
        "static": ["metadata": ["name": "static"], "provisioner": "kubernetes.io/no-provisioner", "volumeBindingMode": "WaitForFirstConsumer"],
        "immediate": ["metadata": ["name": "immediate"], "provisioner": "kubeadm-swift.io/local-path", "volumeBindingMode": "Immediate"],
    ]

    static func schedule(claims: [JSONValue], volumes: [JSONValue] = []) -> Result<String, SchedulingAlgorithm.FitError> {
        let spec: JSONValue = ["volumes": .array(claims.map { ["name": .string($0.metadata.name ?? ""),
                                                                "persistentVolumeClaim": ["claimName": .string($0.metadata.name ?? "")]] })]
        var pod = PodInfo(SchedulingAlgorithmTests.pod(spec: spec))
        pod.volumes = PodVolumes(claimNames: pod.claimNames + ["absent"].filter { _ in claims.isEmpty }, namespace: "default",
                                 claim: { _, name in claims.first { $0.metadata.name == name } }, volumes: volumes,
                                 storageClass: { classes[$0] })
        let nodes = ["n1", "n2"].map { NodeInfo(node: SchedulingAlgorithmTests.node($0)) }
        return SchedulingAlgorithm().schedule(pod, nodes: nodes)
    }

    static func failure(_ result: Result<String, SchedulingAlgorithm.FitError>) -> String {
        if case .failure(let error) = result { return error.description }
        return ""
    }

    @Test func boundVolumesPinThePodToTheirNode() throws {
        let result = Self.schedule(claims: [Self.claim("data", volumeName: "pv-2")], volumes: [Self.volume("pv-2", node: "n2")])
        #expect(try result.get() == "n2")
    }

    @Test func missingAndUnboundImmediateClaimsFitNowhere() {
        #expect(Self.failure(Self.schedule(claims: [])).hasPrefix("0/2 nodes are available: 2 persistentvolumeclaim \"absent\" not found."))
        #expect(Self.failure(Self.schedule(claims: [Self.claim("data", className: "immediate")]))
            .hasPrefix("0/2 nodes are available: 2 pod has unbound immediate PersistentVolumeClaims."))
    }

    @Test func delayedClaimsNeedAProvisionerOrAFreeVolumeThere() throws {
        let provisioned = Self.schedule(claims: [Self.claim("data")])
        #expect((try? provisioned.get()) != nil)
        let staticOnly = Self.schedule(claims: [Self.claim("data", className: "static")], volumes: [Self.volume("pv-1", node: "n1", className: "static")])
        #expect(try staticOnly.get() == "n1")
        #expect(Self.failure(Self.schedule(claims: [Self.claim("data", className: "static")]))
            .hasPrefix("0/2 nodes are available: 2 node(s) didn't find available persistent volumes to bind."))
        let podVolumes = PodVolumes(claimNames: ["data"], namespace: "default", claim: { _, _ in Self.claim("data") }, volumes: [],
                                    storageClass: { Self.classes[$0] })
        #expect(podVolumes.needsBinding)
    }
}
