import KubeAPI
import Manifests

/// The volumes the built-in `local-path` provisioner makes (the same design as k3s's local-path-provisioner): a
/// hostPath PersistentVolume backed by a directory under `/var/lib/kubeadm-swift/storage` on the node the claim's
/// first pod was scheduled to, pinned there by node affinity, pre-bound to the claim. The kubelet creates the
/// directory when it first mounts the volume (`DirectoryOrCreate`).
public enum LocalPathVolume {
    /// Access modes a single node's directory can honour.
    static let supportedAccessModes: Set<String> = ["ReadWriteOnce", "ReadWriteOncePod"]

    /// Why the claim cannot be provisioned, nil when it can.
    public static func refusal(_ claim: JSONValue, storageClass: JSONValue) -> String? {
        if storageClass["volumeBindingMode"]?.string != "WaitForFirstConsumer" {
            return "the \(WellKnown.localPathProvisioner) provisioner needs a StorageClass with volumeBindingMode WaitForFirstConsumer: "
                + "a directory lives on one node, which is only known once a pod using the claim is scheduled"
        }
        let modes = (claim[path: ["spec", "accessModes"]]?.array ?? []).compactMap(\.string)
        if let unsupported = modes.first(where: { !supportedAccessModes.contains($0) }) {
            return "access mode \(unsupported) is not supported by \(WellKnown.localPathProvisioner) (a node-local directory); use ReadWriteOnce"
        }
        if claim[path: ["spec", "volumeMode"]]?.string == "Block" {
            return "volumeMode Block is not supported by \(WellKnown.localPathProvisioner); use Filesystem"
        }
        return nil
    }

    /// The volume's name: upstream's provisioners name volumes `pvc-<claim uid>`.
    public static func name(for claim: JSONValue) -> String { "pvc-" + (claim.metadata.uid ?? "") }

    /// The node directory of a claim's volume: one directory per volume, named so an operator can tell whose it is.
    public static func path(for claim: JSONValue) -> String {
        "\(WellKnown.localPathStorageDir)/\(name(for: claim))_\(claim.metadata.namespace ?? "default")_\(claim.metadata.name ?? "")"
    }

    /// The PersistentVolume for a claim on a node.
    public static func volume(for claim: JSONValue, storageClass: JSONValue, node: JSONValue) -> JSONValue {
        let nodeName = node.metadata.name ?? ""
        let hostname = node.metadata.labels["kubernetes.io/hostname"] ?? nodeName
        let modes = claim[path: ["spec", "accessModes"]]?.array ?? ["ReadWriteOnce"]
        return [
            "apiVersion": "v1", "kind": "PersistentVolume",
            "metadata": ["name": .string(name(for: claim)),
                         "annotations": [VolumeMatching.provisionedByAnnotation: .string(WellKnown.localPathProvisioner)]],
            "spec": [
                "capacity": ["storage": VolumeMatching.requested(claim).json],
                "accessModes": .array(modes),
                "persistentVolumeReclaimPolicy": .string(storageClass["reclaimPolicy"]?.string ?? "Delete"),
                "storageClassName": .string(storageClass.metadata.name ?? ""),
                "volumeMode": "Filesystem",
                "hostPath": ["path": .string(path(for: claim)), "type": "DirectoryOrCreate"],
                "nodeAffinity": ["required": ["nodeSelectorTerms": [["matchExpressions": [
                    ["key": "kubernetes.io/hostname", "operator": "In", "values": [.string(hostname)]],
                ]]]]],
                "claimRef": ["apiVersion": "v1", "kind": "PersistentVolumeClaim", "namespace": .string(claim.metadata.namespace ?? "default"),
                             "name": .string(claim.metadata.name ?? ""), "uid": .string(claim.metadata.uid ?? "")],
            ],
        ]
    }

    /// Whether this provisioner made the volume.
    public static func isProvisioned(_ volume: JSONValue) -> Bool {
        volume.metadata.annotations[VolumeMatching.provisionedByAnnotation] == WellKnown.localPathProvisioner
    }
}
