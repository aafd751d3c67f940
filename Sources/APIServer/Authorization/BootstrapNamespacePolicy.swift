import KubeAPI

/// The Roles and RoleBindings upstream bootstraps into `kube-system` and `kube-public` (`namespace_policy.go`).
extension BootstrapPolicy {
    private typealias R = Rules

    /// The lock rules of the two leader-electing components (the lease plus, since coordinated leader election in
    /// 1.31, lease candidates).
    private static let leaderLockingRules: [PolicyRule] = [
        R.rule(["get", "watch", "list", "create", "update"], R.coordination, ["leases"]),
        R.rule(["get", "watch", "list", "create", "update"], R.coordination, ["leasecandidates"]),
    ]

    static let namespaceRoleTable: [JSONValue] = [
        PolicyObjects.role("extension-apiserver-authentication-reader", namespace: "kube-system", [
            R.rule(R.read, R.core, ["configmaps"], names: ["extension-apiserver-authentication"]),
        ]),
        PolicyObjects.role("system:controller:bootstrap-signer", namespace: "kube-system", [
            R.rule(R.read, R.core, ["secrets"]),
        ]),
        PolicyObjects.role("system:controller:cloud-provider", namespace: "kube-system", [
            R.rule(["create", "get", "list", "watch"], R.core, ["configmaps"]),
        ]),
        PolicyObjects.role("system:controller:token-cleaner", namespace: "kube-system", [
            R.rule(["get", "list", "watch", "delete"], R.core, ["secrets"]),
            R.eventsRule,
        ]),
        PolicyObjects.role("system::leader-locking-kube-controller-manager", namespace: "kube-system",
                           leaderLockingRules),
        PolicyObjects.role("system::leader-locking-kube-scheduler", namespace: "kube-system", leaderLockingRules),
        // The bootstrap signer signs the cluster-info ConfigMap that joining nodes read anonymously.
        PolicyObjects.role("system:controller:bootstrap-signer", namespace: "kube-public", [
            R.rule(R.read, R.core, ["configmaps"]),
            R.rule(["update"], R.core, ["configmaps"], names: ["cluster-info"]),
            R.eventsRule,
        ]),
    ]

    static let namespaceRoleBindingTable: [JSONValue] = [
        PolicyObjects.roleBinding("system::extension-apiserver-authentication-reader", namespace: "kube-system",
                                  role: "extension-apiserver-authentication-reader",
                                  [.user("system:kube-controller-manager"), .user("system:kube-scheduler")]),
        PolicyObjects.roleBinding("system::leader-locking-kube-controller-manager", namespace: "kube-system", [
            .user("system:kube-controller-manager"), .serviceAccount("kube-system", "kube-controller-manager"),
            .serviceAccount("kube-system", "leader-election-controller"),
        ]),
        PolicyObjects.roleBinding("system::leader-locking-kube-scheduler", namespace: "kube-system", [
            .user("system:kube-scheduler"), .serviceAccount("kube-system", "kube-scheduler"),
        ]),
        PolicyObjects.roleBinding("system:controller:bootstrap-signer", namespace: "kube-system",
                                  [.serviceAccount("kube-system", "bootstrap-signer")]),
        PolicyObjects.roleBinding("system:controller:cloud-provider", namespace: "kube-system",
                                  [.serviceAccount("kube-system", "cloud-provider")]),
        PolicyObjects.roleBinding("system:controller:token-cleaner", namespace: "kube-system",
                                  [.serviceAccount("kube-system", "token-cleaner")]),
        PolicyObjects.roleBinding("system:controller:bootstrap-signer", namespace: "kube-public",
                                  [.serviceAccount("kube-system", "bootstrap-signer")]),
    ]
}
