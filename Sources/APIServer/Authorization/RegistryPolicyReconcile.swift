import KubeAPI
import Storage

extension Registry {
    /// Creates the upstream bootstrap RBAC policy (`BootstrapPolicy`) and brings existing objects up to date,
    /// without removing anything; safe to call on every start. Runs `bootstrap()` first, because the namespaced
    /// roles live in `kube-system` and `kube-public`.
    /// - Throws: `StatusError` or `StorageError` when an object cannot be written.
    public func reconcileBootstrapPolicy() async throws {
        try await bootstrap()
        try await reconcilePolicy(clusterRoles: BootstrapPolicy.clusterRoles,
                                  clusterRoleBindings: BootstrapPolicy.clusterRoleBindings,
                                  roles: BootstrapPolicy.roles, roleBindings: BootstrapPolicy.roleBindings)
    }

    /// Creates or reconciles RBAC objects (e.g. `KubeadmPolicy`'s at `kubeadm init`). Roles come before bindings so
    /// no binding ever points at a role that is not there yet.
    public func reconcilePolicy(clusterRoles: [JSONValue], clusterRoleBindings: [JSONValue], roles: [JSONValue],
                                roleBindings: [JSONValue]) async throws {
        for role in clusterRoles { try await reconcile(role, plural: "clusterroles", isBinding: false) }
        for role in roles { try await reconcile(role, plural: "roles", isBinding: false) }
        for binding in clusterRoleBindings { try await reconcile(binding, plural: "clusterrolebindings", isBinding: true) }
        for binding in roleBindings { try await reconcile(binding, plural: "rolebindings", isBinding: true) }
    }

    /// Creates `expected`, or reconciles the stored object with it.
    private func reconcile(_ expected: JSONValue, plural: String, isBinding: Bool) async throws {
        let namespace = expected.metadata.namespace
        let name = expected.metadata.name ?? ""
        let create = try RequestContext(group: Rules.rbac, version: "v1", resource: plural, verb: .create,
                                        namespace: namespace, body: expected.jsonBytes, contentType: "application/json")
        do {
            _ = try await createObject(try create.bodyObject(), create)
            return
        } catch let error as StatusError where error.reason == "AlreadyExists" {
            // Reconcile below.
        }
        let update = try RequestContext(group: Rules.rbac, version: "v1", resource: plural, verb: .update,
                                        namespace: namespace, name: name)
        guard let (stored, existing) = try await read(update.key) else { return }
        let action = isBinding ? PolicyReconciliation.binding(existing: existing, expected: expected)
            : PolicyReconciliation.role(existing: existing, expected: expected)
        switch action {
        case .keep:
            return
        case .update:
            // Recomputed from the object read inside the loop, so a concurrent writer's change is kept.
            _ = try await updateLoop(update) { current in
                let again = isBinding ? PolicyReconciliation.binding(existing: current, expected: expected)
                    : PolicyReconciliation.role(existing: current, expected: expected)
                if case .update(let merged) = again { return merged }
                return current
            }
        case .recreate(let merged):
            _ = try await store.delete(update.key, expectedRevision: stored.modRevision)
            var fresh = merged
            for field in ["uid", "resourceVersion", "creationTimestamp", "managedFields"] {
                fresh.metadata.fields[field] = nil
            }
            let recreate = try RequestContext(group: Rules.rbac, version: "v1", resource: plural, verb: .create,
                                              namespace: namespace, body: fresh.jsonBytes,
                                              contentType: "application/json")
            _ = try await createObject(try recreate.bodyObject(), recreate)
        }
    }
}
