import KubeAPI

/// The RBAC objects `kubeadm init` creates (not the API server): what lets a bootstrap token join a node and
/// lets the `kubeadm:cluster-admins` group administer the cluster. The init workflow applies these after the API
/// server is up; they carry no autoupdate annotation, as kubeadm's objects do not.
///
/// Grouped by the kubeadm phase that creates them upstream.
public enum KubeadmPolicy {
    /// The group a kubeadm bootstrap token authenticates into (besides `system:bootstrappers`).
    public static let defaultNodeTokenGroup = "system:bootstrappers:kubeadm:default-node-token"
    /// The group of the `admin.conf` client certificate since 1.29; bound to cluster-admin.
    public static let clusterAdminsGroup = "kubeadm:cluster-admins"
    /// The role and binding that let kubelets list Nodes for pod routes between nodes.
    public static let nodePeersName = "kubeadm-swift:node-peers"

    private typealias R = Rules

    public static var clusterRoles: [JSONValue] {
        [
            // bootstrap-token phase: a joining node may read Node objects to check for a name clash.
            PolicyObjects.clusterRole("kubeadm:get-nodes", bootstrap: false, [R.rule(["get"], R.core, ["nodes"])]),
            // kubeadm-swift (no kubeadm counterpart): kubelets route pod traffic to their peers' podCIDRs (host-gw),
            // so they read every Node's podCIDR and address; 1.32's Node authorizer alone limits them to their own.
            PolicyObjects.clusterRole(nodePeersName, bootstrap: false, [R.rule(["get", "list", "watch"], R.core, ["nodes"])]),
            // addon/coredns
            PolicyObjects.clusterRole("system:coredns", bootstrap: false, [
                R.rule(["list", "watch"], R.core, ["endpoints", "services", "pods", "namespaces"]),
                R.rule(["list", "watch"], R.discovery, ["endpointslices"]),
            ]),
        ]
    }

    public static var clusterRoleBindings: [JSONValue] {
        [
            // kubeconfig phase: admin.conf's group.
            PolicyObjects.clusterRoleBinding("kubeadm:cluster-admins", role: "cluster-admin", bootstrap: false,
                                             [.group(clusterAdminsGroup)]),
            // bootstrap-token phase: tokens may post CSRs, and node client CSRs are approved automatically.
            PolicyObjects.clusterRoleBinding("kubeadm:kubelet-bootstrap", role: "system:node-bootstrapper",
                                             bootstrap: false, [.group(defaultNodeTokenGroup)]),
            PolicyObjects.clusterRoleBinding("kubeadm:node-autoapprove-bootstrap",
                                             role: "system:certificates.k8s.io:certificatesigningrequests:nodeclient",
                                             bootstrap: false, [.group(defaultNodeTokenGroup)]),
            PolicyObjects.clusterRoleBinding("kubeadm:node-autoapprove-certificate-rotation",
                                             role: "system:certificates.k8s.io:certificatesigningrequests:selfnodeclient",
                                             bootstrap: false, [.group(WellKnownGroups.nodes)]),
            PolicyObjects.clusterRoleBinding("kubeadm:get-nodes", bootstrap: false, [.group(defaultNodeTokenGroup)]),
            PolicyObjects.clusterRoleBinding(nodePeersName, bootstrap: false, [.group(WellKnownGroups.nodes)]),
            // addon/kube-proxy and addon/coredns
            PolicyObjects.clusterRoleBinding("kubeadm:node-proxier", role: "system:node-proxier", bootstrap: false,
                                             [.serviceAccount("kube-system", "kube-proxy")]),
            PolicyObjects.clusterRoleBinding("system:coredns", bootstrap: false,
                                             [.serviceAccount("kube-system", "coredns")]),
        ]
    }

    public static var roles: [JSONValue] {
        [
            // bootstrap-token phase: anyone may read the signed cluster-info ConfigMap to discover the cluster.
            PolicyObjects.role("kubeadm:bootstrap-signer-clusterinfo", namespace: "kube-public", bootstrap: false, [
                R.rule(["get"], R.core, ["configmaps"], names: ["cluster-info"]),
            ]),
            // upload-config phase: joining nodes read the cluster and kubelet configuration.
            PolicyObjects.role("kubeadm:nodes-kubeadm-config", namespace: "kube-system", bootstrap: false, [
                R.rule(["get"], R.core, ["configmaps"], names: ["kubeadm-config"]),
            ]),
            PolicyObjects.role("kubeadm:kubelet-config", namespace: "kube-system", bootstrap: false, [
                R.rule(["get"], R.core, ["configmaps"], names: ["kubelet-config"]),
            ]),
            // addon/kube-proxy
            PolicyObjects.role("kube-proxy", namespace: "kube-system", bootstrap: false, [
                R.rule(["get"], R.core, ["configmaps"], names: ["kube-proxy"]),
            ]),
        ]
    }

    public static var roleBindings: [JSONValue] {
        let joiners: [RBACSubject] = [.group(defaultNodeTokenGroup), .group(WellKnownGroups.nodes)]
        return [
            PolicyObjects.roleBinding("kubeadm:bootstrap-signer-clusterinfo", namespace: "kube-public",
                                      bootstrap: false, [.user(UserInfo.anonymous.name)]),
            PolicyObjects.roleBinding("kubeadm:nodes-kubeadm-config", namespace: "kube-system", bootstrap: false,
                                      joiners),
            PolicyObjects.roleBinding("kubeadm:kubelet-config", namespace: "kube-system", bootstrap: false, joiners),
            PolicyObjects.roleBinding("kube-proxy", namespace: "kube-system", bootstrap: false,
                                      [.group(defaultNodeTokenGroup)]),
        ]
    }
}
