import KubeAPI

/// What every namespace gets from the controller manager: the `default` ServiceAccount (upstream
/// `serviceaccounts-controller`) and the `kube-root-ca.crt` ConfigMap with the cluster CA (upstream
/// `root-ca-cert-publisher`), so pods can mount a token and verify `kubernetes.default.svc`.
public enum NamespaceDefaults {
    /// The ServiceAccount every namespace has.
    public static let serviceAccountName = "default"
    /// The ConfigMap with the API server's CA.
    public static let rootCAConfigMapName = "kube-root-ca.crt"
    /// The annotation key and text upstream puts on that ConfigMap.
    public static let descriptionAnnotation = "kubernetes.io/description"
    public static let rootCADescription = "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints "
        + "such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters."

    /// Whether a namespace accepts new objects (not terminating).
    /// - Parameters:
    ///   - namespace: the Namespace.
    public static func isActive(_ namespace: JSONValue) -> Bool {
        !namespace.metadata.isBeingDeleted && namespace[path: ["status", "phase"]]?.string != "Terminating"
    }

    /// The create of the `default` ServiceAccount when the namespace is active and lacks it.
    /// - Parameters:
    ///   - namespace: the Namespace.
    ///   - serviceAccounts: the ServiceAccounts in it.
    public static func serviceAccount(namespace: JSONValue, serviceAccounts: [JSONValue]) -> ControllerAction? {
        let name = namespace.metadata.name ?? ""
        guard isActive(namespace),
              !serviceAccounts.contains(where: { $0.metadata.namespace == name && $0.metadata.name == serviceAccountName }) else { return nil }
        return .create(["apiVersion": "v1", "kind": "ServiceAccount",
                        "metadata": ["name": .string(serviceAccountName), "namespace": .string(name)]])
    }

    /// Upstream `Publisher.syncNamespace`: create the ConfigMap, or update it when its data differs from the
    /// CA or the description annotation is missing (other data keys are dropped, as upstream replaces `data`).
    /// - Parameters:
    ///   - namespace: the Namespace.
    ///   - existing: the current `kube-root-ca.crt` ConfigMap there, if any.
    ///   - caPEM: the CA bundle in PEM.
    public static func rootCAConfigMap(namespace: JSONValue, existing: JSONValue?, caPEM: String) -> ControllerAction? {
        let data: JSONValue = ["ca.crt": .string(caPEM)]
        guard let existing else {
            guard isActive(namespace) else { return nil }
            return .create(["apiVersion": "v1", "kind": "ConfigMap",
                            "metadata": ["name": .string(rootCAConfigMapName), "namespace": .string(namespace.metadata.name ?? ""),
                                         "annotations": [descriptionAnnotation: .string(rootCADescription)]],
                            "data": data])
        }
        if existing["data"] == data && !(existing.metadata.annotations[descriptionAnnotation] ?? "").isEmpty { return nil }
        var updated = existing
        updated["data"] = data
        updated.metadata.annotations[descriptionAnnotation] = rootCADescription
        return .update(updated)
    }
}
