import Foundation
import KubeAPI
import KubeClient

/// Two per-namespace controllers: `serviceaccount` (a `default` ServiceAccount in every namespace) and
/// `root-ca-cert-publisher` (the `kube-root-ca.crt` ConfigMap with the cluster CA, which in-cluster clients mount).
public enum NamespaceDefaultsController {
    static func info(_ group: String, _ plural: String) -> APIResourceInfo { SharedInformers.info(group, plural) }

    /// One loop over namespaces serving both controllers; the CA bundle is only published when
    /// `root-ca-cert-publisher` is enabled.
    static func loops(_ context: ControllerContext) async throws -> [ControllerLoop] {
        let namespaces = context.informers.informer("", "namespaces")
        let serviceAccounts = try await context.clientFor("service-account-controller")
        let configMaps = try await context.clientFor("root-ca-cert-publisher")
        let rootCA = context.options.enabled("root-ca-cert-publisher") ? context.rootCA : nil
        let reader = context.reader
        return [ControllerLoop(name: "namespace-defaults", informers: [namespaces]) { key in
            try await reconcile(namespace: key, namespaces: namespaces, reader: reader, serviceAccounts: serviceAccounts,
                                configMaps: configMaps, rootCA: rootCA)
        }]
    }

    /// Ensures the namespace's default objects exist (and the CA bundle is current); skips terminating namespaces.
    public static func reconcile(namespace name: String, namespaces: Informer, reader: RESTClient, serviceAccounts: RESTClient,
                                 configMaps client: RESTClient, rootCA: String?) async throws {
        guard let namespace = namespaces.cache.get(namespace: nil, name: name),
              namespace[path: ["status", "phase"]]?.string != "Terminating", !namespace.metadata.isBeingDeleted else { return }
        do {
            _ = try await serviceAccounts.create(info("", "serviceaccounts"), namespace: name,
                                        ["apiVersion": "v1", "kind": "ServiceAccount", "metadata": ["name": "default", "namespace": .string(name)]])
        } catch let error as KubeClientError where error.isAlreadyExists {}
        guard let rootCA else { return }
        let configMaps = info("", "configmaps")
        let wanted: JSONValue = ["apiVersion": "v1", "kind": "ConfigMap",
                                 "metadata": ["name": "kube-root-ca.crt", "namespace": .string(name),
                                              "annotations": ["kubernetes.io/description": "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters."]],
                                 "data": ["ca.crt": .string(rootCA)]]
        do {
            let current = try await reader.get(configMaps, namespace: name, name: "kube-root-ca.crt")
            if current[path: ["data", "ca.crt"]]?.string != rootCA {
                var updated = current
                updated["data"] = wanted["data"]
                _ = try await client.update(configMaps, updated)
            }
        } catch let error as KubeClientError where error.isNotFound {
            _ = try await client.create(configMaps, namespace: name, wanted)
        }
    }
}
