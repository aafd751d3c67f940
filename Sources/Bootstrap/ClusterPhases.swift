import APIServer
import Foundation
import KubeAPI
import KubeClient
import Manifests
import PKI

/// The phases that write to the running cluster (kubeadm.md sections 1.1, 6, 7, 10, 11), each through admin.conf.
enum ClusterPhases {
    // MARK: upload-config

    @Sendable static func uploadKubeadmConfig(_ data: InitData) async throws {
        data.say("[upload-config] Storing the configuration used in ConfigMap \"kubeadm-config\" in the \"kube-system\" Namespace")
        guard !data.isDryRun else { return }
        let client = try await data.cluster.admin(data)
        let yaml = try ConfigPrinter.yaml([data.settings.clusterConfiguration])
        try await ObjectApply.createOrUpdate(client, try Resources.info("", "configmaps"),
                                             configMap("kubeadm-config", namespace: "kube-system", ["ClusterConfiguration": yaml]))
        try await ObjectApply.createOrUpdate(client, policy(named: ["kubeadm:nodes-kubeadm-config"]))
    }

    @Sendable static func uploadKubeletConfig(_ data: InitData) async throws {
        data.say("[kubelet] Creating a ConfigMap \"kubelet-config\" in namespace kube-system with the configuration for the kubelets in the cluster")
        guard !data.isDryRun else { return }
        let client = try await data.cluster.admin(data)
        let kubelet = try String(contentsOfFile: data.writePaths.kubeletConfigFile, encoding: .utf8)
        var object = configMap("kubelet-config", namespace: "kube-system", ["kubelet": kubelet])
        object.metadata.annotations = ["kubeadm.kubernetes.io/component-config.hash": (try? Digest.sha256Hex(Array(kubelet.utf8))).map { "sha256:" + $0 } ?? ""]
        try await ObjectApply.createOrUpdate(client, try Resources.info("", "configmaps"), object)
        try await ObjectApply.createOrUpdate(client, policy(named: ["kubeadm:kubelet-config"]))
    }

    // MARK: addon/local-path-storage

    /// The default StorageClass: claims without a class get it (the API server's DefaultStorageClass admission), and
    /// kube-controller-manager's local-path provisioner makes a directory-backed volume on the node where the
    /// claim's first pod is scheduled. An existing class of that name is left as the administrator set it.
    @Sendable static func localPathStorage(_ data: InitData) async throws {
        data.say("[addons] Applied essential addon: local-path storage (StorageClass \"\(WellKnown.localPathStorageClass)\", the default)")
        guard !data.isDryRun else { return }
        let client = try await data.cluster.admin(data)
        let info = try Resources.info("storage.k8s.io", "storageclasses")
        let storageClass: JSONValue = [
            "apiVersion": "storage.k8s.io/v1", "kind": "StorageClass",
            "metadata": ["name": .string(WellKnown.localPathStorageClass),
                         "annotations": ["storageclass.kubernetes.io/is-default-class": "true"]],
            "provisioner": .string(WellKnown.localPathProvisioner),
            "reclaimPolicy": "Delete", "volumeBindingMode": "WaitForFirstConsumer",
        ]
        do {
            _ = try await client.create(info, namespace: nil, storageClass)
        } catch let error as KubeClientError where error.isAlreadyExists {}
    }

    // MARK: mark-control-plane

    @Sendable static func markControlPlane(_ data: InitData) async throws {
        let s = data.settings
        let labels = [WellKnown.controlPlaneLabel, WellKnown.excludeLBLabel]
        data.say("[mark-control-plane] Marking the node \(s.nodeName) as control-plane by adding the labels: [\(labels.joined(separator: " "))]")
        let taints = s.taints.map { "\($0.key)\($0.value.map { "=" + $0 } ?? ""):\($0.effect)" }
        if !taints.isEmpty {
            data.say("[mark-control-plane] Marking the node \(s.nodeName) as control-plane by adding the taints [\(taints.joined(separator: " "))]")
        }
        guard !data.isDryRun else { return }
        let client = try await data.cluster.admin(data)
        let nodes = try Resources.info("", "nodes")
        // The kubelet registers the Node shortly after the API server is up; wait for it as kubeadm does.
        let node = try await poll(timeout: s.timeouts.kubernetesAPICall?.seconds ?? WellKnown.Timeouts.kubernetesAPICall, what: "the Node \"\(s.nodeName)\" to be registered by the kubelet") {
            try? await client.get(nodes, name: s.nodeName)
        }
        var existing = node[path: ["spec", "taints"]]?.array ?? []
        for taint in s.taints where !existing.contains(where: { $0["key"]?.string == taint.key && $0["effect"]?.string == taint.effect }) {
            var entry: JSONObject = ["key": JSONValue.string(taint.key), "effect": JSONValue.string(taint.effect)]
            if let value = taint.value { entry["value"] = .string(value) }
            existing.append(.object(entry))
        }
        let patch: JSONValue = [
            "metadata": ["labels": .object(JSONObject(uniqueKeysWithValues: labels.map { ($0, JSONValue.string("")) }))],
            "spec": ["taints": .array(existing)],
        ]
        _ = try await client.patch(nodes, name: s.nodeName, patch, type: .merge)
    }

    // MARK: bootstrap-token

    @Sendable static func bootstrapToken(_ data: InitData) async throws {
        let tokens = data.settings.bootstrapTokens
        for token in tokens { data.say("[bootstrap-token] Using token: \(token.token)") }
        data.say("[bootstrap-token] Configuring bootstrap tokens, cluster-info ConfigMap, RBAC Roles")
        let client = data.isDryRun ? nil : try await data.cluster.admin(data)
        if let client {
            for token in tokens {
                try await ObjectApply.createOrUpdate(client, try Resources.info("", "secrets"), tokenSecret(token, now: Date()))
            }
        }
        let steps: [(names: [String], line: String)] = [
            (["kubeadm:get-nodes"], "Configured RBAC rules to allow Node Bootstrap tokens to get nodes"),
            (["kubeadm:kubelet-bootstrap"], "Configured RBAC rules to allow Node Bootstrap tokens to post CSRs in order for nodes to get long term certificate credentials"),
            (["kubeadm:node-autoapprove-bootstrap"], "Configured RBAC rules to allow the csrapprover controller automatically approve CSRs from a Node Bootstrap Token"),
            (["kubeadm:node-autoapprove-certificate-rotation"], "Configured RBAC rules to allow certificate rotation for all node client certificates in the cluster"),
            ([KubeadmPolicy.nodePeersName], "Configured RBAC rules to allow kubelets to read every Node's podCIDR and address (pod routes between nodes)"),
        ]
        for step in steps {
            if let client {
                try await ObjectApply.createOrUpdate(client, policy(named: step.names))
            }
            data.say("[bootstrap-token] \(step.line)")
        }
        data.say("[bootstrap-token] Creating the \"cluster-info\" ConfigMap in the \"kube-public\" namespace")
        guard let client else { return }
        try await ObjectApply.createOrUpdate(client, try Resources.info("", "configmaps"),
                                             configMap("cluster-info", namespace: "kube-public", ["kubeconfig": try clusterInfoKubeconfig(data)]))
        try await ObjectApply.createOrUpdate(client, policy(named: ["kubeadm:bootstrap-signer-clusterinfo"]))
    }

    /// The token Secret (kubeadm.md section 6): `bootstrap-token-<id>` of type bootstrap.kubernetes.io/token.
    static func tokenSecret(_ token: ResolvedBootstrapToken, now: Date) -> JSONValue {
        var data: [String: String] = ["token-id": token.token.id, "token-secret": token.token.secret]
        for usage in token.usages { data["usage-bootstrap-\(usage)"] = "true" }
        if !token.groups.isEmpty { data["auth-extra-groups"] = token.groups.joined(separator: ",") }
        if let description = token.description { data["description"] = description }
        if let ttl = token.ttl {
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withInternetDateTime]
            data["expiration"] = formatter.string(from: now.addingTimeInterval(ttl))
        }
        return [
            "apiVersion": "v1", "kind": "Secret", "type": "bootstrap.kubernetes.io/token",
            "metadata": ["name": .string("bootstrap-token-\(token.token.id)"), "namespace": "kube-system"],
            "data": .object(JSONObject(uniqueKeysWithValues: data.sorted { $0.key < $1.key }
                .map { ($0.key, JSONValue.string(Data($0.value.utf8).base64EncodedString())) })),
        ]
    }

    /// cluster-info's kubeconfig: admin.conf's current cluster only (server and CA), under the name "".
    static func clusterInfoKubeconfig(_ data: InitData) throws -> String {
        let admin = try Kubeconfig.parse(String(contentsOfFile: data.kubeconfigPath(.admin), encoding: .utf8))
        let current = admin.contexts.first { $0.name == admin.currentContext }?.context.cluster
        guard let cluster = admin.clusters.first(where: { $0.name == current }) ?? admin.clusters.first else {
            throw Manifests.ConfigError(source: data.kubeconfigPath(.admin), "it has no cluster entry to publish in cluster-info")
        }
        var published = Kubeconfig()
        var unnamed = cluster
        unnamed.name = ""
        published.clusters = [unnamed]
        return try published.yaml()
    }

    // MARK: kubelet-finalize

    @Sendable static func kubeletFinalize(_ data: InitData) async throws {
        let rotated = data.writePaths.kubeletPKIDir + "/kubelet-client-current.pem"
        // kubeadm only acts when the kubelet has a rotatable certificate; kubelet.conf keeps its embedded one otherwise.
        guard FileManager.default.fileExists(atPath: rotated) else { return }
        data.say("[kubelet-finalize] Updating \"\(data.kubeconfigDisplayDir)/kubelet.conf\" to point to a rotatable kubelet client certificate and key")
        guard !data.isDryRun else { return }
        let path = data.kubeconfigPath(.kubelet)
        var config = try Kubeconfig.parse(String(contentsOfFile: path, encoding: .utf8))
        let shown = data.realPaths.kubeletPKIDir + "/kubelet-client-current.pem"
        for index in config.users.indices {
            config.users[index].user.clientCertificateData = nil
            config.users[index].user.clientKeyData = nil
            config.users[index].user.clientCertificate = shown
            config.users[index].user.clientKey = shown
        }
        try AtomicFile.write(try config.yaml(), to: path, mode: 0o600)
    }

    // MARK: helpers

    /// kubeadm's RBAC objects with these names, roles before bindings (a binding's role must exist first).
    static func policy(named names: [String]) -> [JSONValue] {
        (KubeadmPolicy.clusterRoles + KubeadmPolicy.roles + KubeadmPolicy.clusterRoleBindings + KubeadmPolicy.roleBindings)
            .filter { names.contains($0.metadata.name ?? "") }
    }

    static func configMap(_ name: String, namespace: String, _ data: [String: String]) -> JSONValue {
        ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": .string(name), "namespace": .string(namespace)],
         "data": .object(JSONObject(uniqueKeysWithValues: data.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.string($0.value)) }))]
    }

    /// Polls `body` every 250 ms until it yields a value or `timeout` seconds pass.
    static func poll<T>(timeout: Double, what: String, _ body: () async -> T?) async throws -> T {
        let deadline = ContinuousClock.now + .milliseconds(Int(timeout * 1000))
        while true {
            if let value = await body() { return value }
            guard ContinuousClock.now < deadline else {
                throw KubeClientError.invalidRequest("timed out after \(GoDuration(seconds: timeout)) waiting for \(what)")
            }
            try await Task.sleep(for: .milliseconds(250))
        }
    }
}
