import KubeAPI
import Storage

/// Answers "is this object related to a pod bound to that node?" from the store (upstream keeps an in-memory graph
/// fed by informers; reading the store directly is simpler and always current, and kubeadm-sized clusters keep the
/// pod lists short).
public struct NodeRelations: Sendable {
    let store: any StorageBackend

    public init(store: any StorageBackend) {
        self.store = store
    }

    /// The kinds a node's access is checked against (upstream's vertex types).
    enum Kind {
        case secret, configMap, persistentVolumeClaim, persistentVolume, serviceAccount, pod, volumeAttachment
    }

    /// Whether `name` (in `namespace`, for namespaced kinds) is reachable from `node`.
    func isRelated(_ kind: Kind, namespace: String, name: String, to node: String) async throws -> Bool {
        switch kind {
        case .pod:
            return try await pod(namespace: namespace, name: name)?[path: ["spec", "nodeName"]]?.string == node
        case .volumeAttachment:
            guard let info = Self.info("storage.k8s.io", "volumeattachments") else { return false }
            let attachment = try await object(ResourceKeys.key(info, namespace: nil, name: name))
            return attachment?[path: ["spec", "nodeName"]]?.string == node
        case .persistentVolume:
            return try await persistentVolumeClaimed(name, onNode: node)
        case .secret, .configMap, .persistentVolumeClaim, .serviceAccount:
            for pod in try await pods(onNode: node, namespace: namespace) {
                let references = NodePodReferences(pod: pod)
                let found = switch kind {
                case .secret: references.secrets.contains(name)
                case .configMap: references.configMaps.contains(name)
                case .persistentVolumeClaim: references.persistentVolumeClaims.contains(name)
                default: references.serviceAccount == name
                }
                if found { return true }
            }
            return false
        }
    }

    /// A PV is related when a pod on the node uses a claim bound to it.
    private func persistentVolumeClaimed(_ volume: String, onNode node: String) async throws -> Bool {
        guard let claims = Self.info("", "persistentvolumeclaims") else { return false }
        for pod in try await pods(onNode: node, namespace: nil) {
            let namespace = pod.metadata.namespace ?? ""
            for claim in NodePodReferences(pod: pod).persistentVolumeClaims {
                let object = try await object(ResourceKeys.key(claims, namespace: namespace, name: claim))
                if object?[path: ["spec", "volumeName"]]?.string == volume { return true }
            }
        }
        return false
    }

    /// Pods with `spec.nodeName == node`, in one namespace or all.
    func pods(onNode node: String, namespace: String?) async throws -> [JSONValue] {
        guard let info = Self.info("", "pods") else { return [] }
        let page = try await store.list(prefix: ResourceKeys.prefix(info, namespace: namespace))
        return page.items.compactMap { value in
            guard let pod = try? JSONValue(parsing: value.value),
                  pod[path: ["spec", "nodeName"]]?.string == node else { return nil }
            return pod
        }
    }

    /// One pod, or nil.
    public func pod(namespace: String, name: String) async throws -> JSONValue? {
        guard let info = Self.info("", "pods") else { return nil }
        return try await object(ResourceKeys.key(info, namespace: namespace, name: name))
    }

    private func object(_ key: String) async throws -> JSONValue? {
        guard let value = try await store.get(key) else { return nil }
        return try? JSONValue(parsing: value.value)
    }

    static func info(_ group: String, _ plural: String) -> APIResourceInfo? {
        ResourceTable.resource(group: group, version: "v1", plural: plural)
    }
}
