import KubeAPI
import Storage

/// Upstream's `DefaultStorageClass` admission plugin: a PersistentVolumeClaim created without
/// `spec.storageClassName` gets the cluster's default StorageClass (the one annotated
/// `storageclass.kubernetes.io/is-default-class: "true"`; the newest when several are, as upstream since 1.26), so
/// a StatefulSet's claim templates and a bare `kubectl apply` of a claim are provisioned without naming a class. An
/// explicit `""` asks for no class and is left alone.
extension Registry {
    static let defaultClassAnnotation = "storageclass.kubernetes.io/is-default-class"

    func defaultStorageClass(_ object: inout JSONValue, _ info: APIResourceInfo) async throws {
        guard info.group.isEmpty, info.plural == "persistentvolumeclaims", object[path: ["spec", "storageClassName"]] == nil,
              let classes = ResourceTable.resource(group: "storage.k8s.io", version: "v1", plural: "storageclasses") else { return }
        let page = try await store.list(prefix: ResourceKeys.prefix(classes))
        let defaults = try page.items.map(Self.decode).filter { $0.metadata.annotations[Self.defaultClassAnnotation] == "true" }
        let newest = defaults.max { lhs, rhs in
            let (left, right) = (lhs.metadata.creationTimestamp, rhs.metadata.creationTimestamp)
            if let left, let right, left != right { return left < right }
            return (lhs.metadata.name ?? "") > (rhs.metadata.name ?? "")
        }
        if let name = newest?.metadata.name { object[path: ["spec", "storageClassName"]] = .string(name) }
    }
}
