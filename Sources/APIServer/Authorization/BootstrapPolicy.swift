import KubeAPI

/// The RBAC objects kube-apiserver v1.32 creates and reconciles at start (upstream
/// `plugin/pkg/auth/authorizer/rbac/bootstrappolicy`), as API objects ready to store. Kubeadm's own objects are
/// in `KubeadmPolicy`; the server never creates those itself.
public enum BootstrapPolicy {
    /// Every bootstrap ClusterRole: the component and user-facing roles, then the `system:controller:*` roles.
    public static var clusterRoles: [JSONValue] {
        clusterRoleTable + controllerRoleTable.map { role in
            PolicyObjects.clusterRole(controllerRolePrefix + role.name, role.rules)
        }
    }

    /// Every bootstrap ClusterRoleBinding, including one per controller role to its service account.
    public static var clusterRoleBindings: [JSONValue] {
        clusterRoleBindingTable + controllerRoleTable.map { role in
            PolicyObjects.clusterRoleBinding(controllerRolePrefix + role.name,
                                             [.serviceAccount("kube-system", role.name)])
        }
    }

    /// Namespaced Roles (each with `metadata.namespace`, all in `kube-system` or `kube-public`).
    public static var roles: [JSONValue] { namespaceRoleTable }

    /// Namespaced RoleBindings (each with `metadata.namespace`).
    public static var roleBindings: [JSONValue] { namespaceRoleBindingTable }

    static let clusterRoleBindingTable: [JSONValue] = [
        PolicyObjects.clusterRoleBinding("cluster-admin", [.group(WellKnownGroups.masters)]),
        PolicyObjects.clusterRoleBinding("system:monitoring", [.group(WellKnownGroups.monitoring)]),
        PolicyObjects.clusterRoleBinding("system:discovery", [.group(WellKnownGroups.authenticated)]),
        PolicyObjects.clusterRoleBinding("system:basic-user", [.group(WellKnownGroups.authenticated)]),
        PolicyObjects.clusterRoleBinding("system:public-info-viewer",
                                         [.group(WellKnownGroups.authenticated), .group(WellKnownGroups.unauthenticated)]),
        PolicyObjects.clusterRoleBinding("system:node-proxier", [.user("system:kube-proxy")]),
        PolicyObjects.clusterRoleBinding("system:kube-controller-manager", [.user("system:kube-controller-manager")]),
        PolicyObjects.clusterRoleBinding("system:kube-dns", [.serviceAccount("kube-system", "kube-dns")]),
        PolicyObjects.clusterRoleBinding("system:kube-scheduler", [.user("system:kube-scheduler")]),
        PolicyObjects.clusterRoleBinding("system:volume-scheduler", [.user("system:kube-scheduler")]),
        // Bound to nobody since the Node authorizer (1.8): kubelets get node rules only through it, so a node
        // cannot reach other nodes' secrets. The binding stays so that reconciliation keeps it empty.
        PolicyObjects.clusterRoleBinding("system:node", []),
        // In-cluster workloads may read the service-account issuer's OIDC discovery documents.
        PolicyObjects.clusterRoleBinding("system:service-account-issuer-discovery",
                                         [.group(WellKnownGroups.serviceAccounts)]),
    ]
}
