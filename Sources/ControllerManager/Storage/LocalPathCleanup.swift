import Foundation
import KubeAPI
import Manifests

/// How a released local-path volume's directory is removed from its node: the directory lives on that node only,
/// so the provisioner runs a short helper pod there (as k3s's local-path-provisioner does) with the bundled image
/// and the storage root mounted, which runs `kubeadm-swift local-path-cleanup`; once it succeeds the
/// PersistentVolume is deleted, and the garbage collector removes the pod with it.
public enum LocalPathCleanup {
    public static let nameLabel = "app.kubernetes.io/name"
    public static let labelValue = "local-path-cleanup"
    public static let volumeAnnotation = "kubeadm-swift.io/volume"
    public static let namespace = "kube-system"

    public static func podName(_ volume: JSONValue) -> String { "local-path-cleanup-" + (volume.metadata.name ?? "") }

    /// The Node that holds a provisioned volume: the one its hostname affinity names.
    public static func node(of volume: JSONValue, nodes: [String: JSONValue]) -> JSONValue? {
        let term = volume[path: ["spec", "nodeAffinity", "required", "nodeSelectorTerms"]]?.array?.first
        guard let hostname = term?["matchExpressions"]?.array?.first?["values"]?.array?.first?.string else { return nil }
        return nodes[hostname] ?? nodes.values.first { $0.metadata.labels["kubernetes.io/hostname"] == hostname }
    }

    /// The helper pod for a volume on a node.
    public static func pod(for volume: JSONValue, node: String) -> JSONValue {
        let root = WellKnown.localPathStorageDir
        let path = volume[path: ["spec", "hostPath", "path"]]?.string ?? ""
        return [
            "apiVersion": "v1", "kind": "Pod",
            "metadata": ["name": .string(podName(volume)), "namespace": .string(namespace),
                         "labels": [nameLabel: .string(labelValue)],
                         "annotations": [volumeAnnotation: .string(volume.metadata.name ?? "")],
                         "ownerReferences": [OwnerReference(apiVersion: "v1", kind: "PersistentVolume", name: volume.metadata.name ?? "",
                                                            uid: volume.metadata.uid ?? "").json]],
            "spec": [
                "nodeName": .string(node), "restartPolicy": "Never", "automountServiceAccountToken": false,
                "tolerations": [["operator": "Exists"]],
                "containers": [["name": "cleanup", "image": .string(WellKnown.bundledImage()), "imagePullPolicy": "IfNotPresent",
                                "command": ["/usr/local/bin/kubeadm-swift", "local-path-cleanup", "--root", .string(root), .string(path)],
                                "volumeMounts": [["name": "storage", "mountPath": .string(root)]]]],
                "volumes": [["name": "storage", "hostPath": ["path": .string(root), "type": "DirectoryOrCreate"]]],
            ],
        ]
    }

    public struct Refusal: Error, CustomStringConvertible {
        public var description: String
    }

    /// Removes one volume directory: only a direct child of `root` named like a provisioned volume, never a
    /// symlink's target, so a crafted PersistentVolume cannot make the helper delete anything else. A directory
    /// that is already gone is success (the cleanup may run twice).
    public static func remove(_ path: String, root: String) throws {
        let standardRoot = (root as NSString).standardizingPath
        let standardPath = (path as NSString).standardizingPath
        let name = (standardPath as NSString).lastPathComponent
        guard (standardPath as NSString).deletingLastPathComponent == standardRoot, name.hasPrefix("pvc-"), !name.contains("/") else {
            throw Refusal(description: "\(path) is not a volume directory directly under \(root); refusing to remove it")
        }
        let manager = FileManager.default
        guard let attributes = try? manager.attributesOfItem(atPath: standardPath) else { return }
        guard attributes[.type] as? FileAttributeType == .typeDirectory else {
            throw Refusal(description: "\(path) is not a directory; refusing to remove it")
        }
        try manager.removeItem(atPath: standardPath)
    }
}
