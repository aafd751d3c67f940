import KubeAPI

/// The API objects a pod uses, by name in the pod's namespace: what makes them readable by the node the pod is
/// bound to (upstream's graph edges, filled from `podutil.VisitPodSecretNames` / `VisitPodConfigmapNames`).
struct NodePodReferences {
    var secrets: Set<String> = []
    var configMaps: Set<String> = []
    var persistentVolumeClaims: Set<String> = []
    var serviceAccount: String?

    /// Volume types whose secret reference is `<type>.secretRef.name`.
    static let secretRefVolumes = ["cephfs", "cinder", "flexVolume", "iscsi", "rbd", "scaleIO", "storageos"]

    init(pod: JSONValue) {
        let spec = pod["spec"] ?? .null
        for secret in spec["imagePullSecrets"]?.array ?? [] { insert(secret["name"], into: &secrets) }
        for list in ["containers", "initContainers", "ephemeralContainers"] {
            for container in spec[list]?.array ?? [] { visit(container: container) }
        }
        let podName = pod.metadata.name ?? ""
        for volume in spec["volumes"]?.array ?? [] { visit(volume: volume, podName: podName) }
        if let account = spec["serviceAccountName"]?.string, !account.isEmpty { serviceAccount = account }
    }

    private mutating func visit(container: JSONValue) {
        for source in container["envFrom"]?.array ?? [] {
            insert(source[path: ["secretRef", "name"]], into: &secrets)
            insert(source[path: ["configMapRef", "name"]], into: &configMaps)
        }
        for variable in container["env"]?.array ?? [] {
            insert(variable[path: ["valueFrom", "secretKeyRef", "name"]], into: &secrets)
            insert(variable[path: ["valueFrom", "configMapKeyRef", "name"]], into: &configMaps)
        }
    }

    private mutating func visit(volume: JSONValue, podName: String) {
        insert(volume[path: ["secret", "secretName"]], into: &secrets)
        insert(volume[path: ["azureFile", "secretName"]], into: &secrets)
        insert(volume[path: ["csi", "nodePublishSecretRef", "name"]], into: &secrets)
        for type in Self.secretRefVolumes { insert(volume[path: [type, "secretRef", "name"]], into: &secrets) }
        insert(volume[path: ["configMap", "name"]], into: &configMaps)
        for source in volume[path: ["projected", "sources"]]?.array ?? [] {
            insert(source[path: ["secret", "name"]], into: &secrets)
            insert(source[path: ["configMap", "name"]], into: &configMaps)
        }
        insert(volume[path: ["persistentVolumeClaim", "claimName"]], into: &persistentVolumeClaims)
        // A generic ephemeral volume's claim is named `<pod>-<volume>` by the ephemeral-volume controller.
        if volume["ephemeral"] != nil, let name = volume["name"]?.string {
            persistentVolumeClaims.insert(podName + "-" + name)
        }
    }

    private func insert(_ value: JSONValue?, into set: inout Set<String>) {
        if let name = value?.string, !name.isEmpty { set.insert(name) }
    }

    /// Whether the pod references anything at all that a mirror pod must not (upstream forbids secrets,
    /// configmaps, PVCs and service accounts in pods a node creates).
    var isEmpty: Bool {
        secrets.isEmpty && configMaps.isEmpty && persistentVolumeClaims.isEmpty && serviceAccount == nil
    }
}
