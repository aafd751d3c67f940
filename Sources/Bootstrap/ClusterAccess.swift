import APIServer
import Foundation
import KubeAPI
import KubeClient
import Manifests
import Synchronization

/// The API connection the phases after wait-control-plane share: admin.conf, whose group `kubeadm:cluster-admins`
/// is bound to cluster-admin on first use through super-admin.conf (system:masters), as kubeadm does since 1.29.
final class ClusterAccess: Sendable {
    private let client = Mutex<RESTClient?>(nil)

    func admin(_ data: InitData) async throws -> RESTClient {
        if let existing = client.withLock({ $0 }) { return existing }
        let admin = try RESTClient(kubeconfig: data.kubeconfigPath(.admin), component: "kubeadm-swift")
        let info = try Resources.info("rbac.authorization.k8s.io", "clusterrolebindings")
        do {
            _ = try await admin.get(info, name: "kubeadm:cluster-admins")
        } catch let error as KubeClientError where error.isForbidden || error.isNotFound {
            let superAdmin = try RESTClient(kubeconfig: data.kubeconfigPath(.superAdmin), component: "kubeadm-swift")
            defer { Task { await superAdmin.shutdown() } }
            for binding in KubeadmPolicy.clusterRoleBindings where binding.metadata.name == "kubeadm:cluster-admins" {
                try await ObjectApply.createOrUpdate(superAdmin, info, binding)
            }
            // The API server's authorizer learns of the binding through its watch: wait until admin.conf works.
            _ = try await ClusterPhases.poll(timeout: WellKnown.Timeouts.kubernetesAPICall,
                                             what: "the kubeadm:cluster-admins binding to take effect for admin.conf") {
                try? await admin.get(info, name: "kubeadm:cluster-admins")
            }
        }
        client.withLock { $0 = admin }
        return admin
    }

    func shutdown() async {
        let current = client.withLock { value -> RESTClient? in defer { value = nil }; return value }
        await current?.shutdown()
    }
}

/// Resource lookups by group and plural, failing clearly instead of force-unwrapping the table.
enum Resources {
    static func info(_ group: String, _ plural: String) throws -> APIResourceInfo {
        guard let info = ResourceTable.resource(group: group, version: "v1", plural: plural) else {
            throw KubeClientError.invalidRequest("no resource \(plural) in group \"\(group)\" in this build")
        }
        return info
    }

    /// The resource of an object, from its apiVersion and kind.
    static func info(of object: JSONValue) throws -> APIResourceInfo {
        let apiVersion = object["apiVersion"]?.string ?? "v1"
        let parts = apiVersion.split(separator: "/").map(String.init)
        let group = parts.count == 2 ? parts[0] : ""
        let version = parts.last ?? "v1"
        let kind = object["kind"]?.string ?? ""
        guard let info = ResourceTable.resource(kind: kind, group: group, version: version) else {
            throw KubeClientError.invalidRequest("no resource for \(apiVersion) \(kind) in this build")
        }
        return info
    }
}

/// Create, or replace what is there (kubeadm's CreateOrUpdate): init may run again over a half-done cluster.
enum ObjectApply {
    static func createOrUpdate(_ client: RESTClient, _ info: APIResourceInfo, _ object: JSONValue) async throws {
        do {
            _ = try await client.create(info, object)
        } catch let error as KubeClientError where error.isAlreadyExists {
            guard let name = object.metadata.name else { throw error }
            let current = try await client.get(info, namespace: info.namespaced ? object.metadata.namespace : nil, name: name)
            var replacement = object
            replacement.metadata.resourceVersion = current.metadata.resourceVersion
            _ = try await client.update(info, replacement)
        }
    }

    static func createOrUpdate(_ client: RESTClient, _ objects: [JSONValue]) async throws {
        for object in objects { try await createOrUpdate(client, try Resources.info(of: object), object) }
    }
}
