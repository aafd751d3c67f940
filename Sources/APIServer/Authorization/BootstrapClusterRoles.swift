import KubeAPI

/// The ClusterRoles kube-apiserver v1.32 creates at start (upstream `bootstrappolicy.ClusterRoles()` with the
/// feature gates at their 1.32 defaults: DynamicResourceAllocation, ClusterTrustBundle, KubeletFineGrainedAuthz,
/// MultiCIDRServiceAllocator and the z-pages gates off).
extension BootstrapPolicy {
    private typealias R = Rules

    static let aggregateToAdmin = "rbac.authorization.k8s.io/aggregate-to-admin"
    static let aggregateToEdit = "rbac.authorization.k8s.io/aggregate-to-edit"
    static let aggregateToView = "rbac.authorization.k8s.io/aggregate-to-view"

    /// The kubelet's rules (upstream `NodeRules()`); the Node authorizer grants them, narrowed to the node's own
    /// objects, and the `system:node` ClusterRole carries them (bound to nobody since 1.8).
    public static let nodeRules: [PolicyRule] = [
        R.rule(["create"], R.authentication, ["tokenreviews"]),
        R.rule(["create"], R.authorization, ["subjectaccessreviews", "localsubjectaccessreviews"]),
        R.rule(R.read, R.core, ["services"]),
        R.rule(["create", "get", "list", "watch"], R.core, ["nodes"]),
        R.rule(["update", "patch"], R.core, ["nodes/status"]),
        R.rule(["update", "patch"], R.core, ["nodes"]),
        R.rule(["create", "update", "patch"], R.core, ["events"]),
        R.rule(R.read, R.core, ["pods"]),
        R.rule(["create", "delete"], R.core, ["pods"]),
        R.rule(["update", "patch"], R.core, ["pods/status"]),
        R.rule(["create"], R.core, ["pods/eviction"]),
        R.rule(["get", "list", "watch"], R.core, ["secrets", "configmaps"]),
        R.rule(["get"], R.core, ["persistentvolumeclaims", "persistentvolumes"]),
        R.rule(["get"], R.core, ["endpoints"]),
        R.rule(["create", "get", "list", "watch"], R.certificates, ["certificatesigningrequests"]),
        R.rule(["get", "create", "update", "patch", "delete"], R.coordination, ["leases"]),
        R.rule(["get"], R.storage, ["volumeattachments"]),
        R.rule(["create"], R.core, ["serviceaccounts/token"]),
        R.rule(["get", "update", "patch"], R.core, ["persistentvolumeclaims/status"]),
        R.rule(["get", "watch", "list"], R.storage, ["csidrivers"]),
        R.rule(["get", "create", "update", "patch", "delete"], R.storage, ["csinodes"]),
        R.rule(["get", "list", "watch"], "node.k8s.io", ["runtimeclasses"]),
    ]

    static let kubeSchedulerRules: [PolicyRule] = [
        R.eventsRule,
        // Leader election.
        R.rule(["create"], R.coordination, ["leases"]),
        R.rule(["get", "update", "list", "watch"], R.coordination, ["leases"], names: ["kube-scheduler"]),
        R.rule(R.readWrite, R.coordination, ["leasecandidates"]),
        // Fundamental resources.
        R.rule(R.read, R.core, ["nodes"]),
        R.rule(["get", "list", "watch", "delete"], R.core, ["pods"]),
        R.rule(["create"], R.core, ["pods/binding", "bindings"]),
        R.rule(["patch", "update"], R.core, ["pods/status"]),
        // Things that select pods.
        R.rule(R.read, R.core, ["services", "replicationcontrollers"]),
        R.rule(R.read, [R.apps, R.extensions], ["replicasets"]),
        R.rule(R.read, R.apps, ["statefulsets"]),
        // Things pods use or that apply to them.
        R.rule(R.read, R.policy, ["poddisruptionbudgets"]),
        R.rule(R.read, R.core, ["persistentvolumeclaims", "persistentvolumes"]),
        R.rule(["create"], R.authentication, ["tokenreviews"]),
        R.rule(["create"], R.authorization, ["subjectaccessreviews"]),
        // Volume limits (volumeattachments since 1.32).
        R.rule(R.read, R.storage, ["csinodes"]),
        R.rule(R.read, R.storage, ["volumeattachments"]),
        // namespaceSelector in pod affinity.
        R.rule(R.read, R.core, ["namespaces"]),
        R.rule(R.read, R.storage, ["csidrivers"]),
        R.rule(R.read, R.storage, ["csistoragecapacities"]),
    ]

    static let clusterRoleTable: [JSONValue] = [
        PolicyObjects.clusterRole("cluster-admin", [
            R.rule(["*"], "*", ["*"]),
            R.urls(["*"], ["*"]),
        ]),
        PolicyObjects.clusterRole("system:discovery", [
            R.urls(["get"], ["/livez", "/readyz", "/healthz", "/version", "/version/", "/openapi", "/openapi/*",
                             "/api", "/api/*", "/apis", "/apis/*"]),
        ]),
        PolicyObjects.clusterRole("system:monitoring", [
            R.urls(["get"], ["/metrics", "/metrics/slis", "/livez", "/readyz", "/healthz", "/livez/*", "/readyz/*",
                             "/healthz/*"]),
        ]),
        PolicyObjects.clusterRole("system:basic-user", [
            R.rule(["create"], R.authorization, ["selfsubjectaccessreviews", "selfsubjectrulesreviews"]),
            R.rule(["create"], R.authentication, ["selfsubjectreviews"]),
        ]),
        PolicyObjects.clusterRole("system:public-info-viewer", [
            R.urls(["get"], ["/livez", "/readyz", "/healthz", "/version", "/version/"]),
        ]),
        PolicyObjects.clusterRole("admin", aggregateFrom: [aggregateToAdmin], []),
        PolicyObjects.clusterRole("edit", labels: [aggregateToAdmin: "true"], aggregateFrom: [aggregateToEdit], []),
        PolicyObjects.clusterRole("view", labels: [aggregateToEdit: "true"], aggregateFrom: [aggregateToView], []),
        PolicyObjects.clusterRole("system:aggregate-to-admin", labels: [aggregateToAdmin: "true"], [
            R.rule(["create"], R.authorization, ["localsubjectaccessreviews"]),
            R.rule(R.readWrite, R.rbac, ["roles", "rolebindings"]),
        ]),
        PolicyObjects.clusterRole("system:aggregate-to-edit", labels: [aggregateToEdit: "true"], [
            R.rule(R.read, R.core, ["pods/attach", "pods/proxy", "pods/exec", "pods/portforward", "secrets",
                                    "services/proxy"]),
            R.rule(["impersonate"], R.core, ["serviceaccounts"]),
            R.rule(R.write, R.core, ["pods", "pods/attach", "pods/proxy", "pods/exec", "pods/portforward"]),
            R.rule(["create"], R.core, ["pods/eviction"]),
            R.rule(R.write, R.core, ["replicationcontrollers", "replicationcontrollers/scale", "serviceaccounts",
                                     "services", "services/proxy", "persistentvolumeclaims", "configmaps", "secrets",
                                     "events"]),
            R.rule(["create"], R.core, ["serviceaccounts/token"]),
            R.rule(R.write, R.apps, ["statefulsets", "statefulsets/scale", "daemonsets", "deployments",
                                     "deployments/scale", "deployments/rollback", "replicasets", "replicasets/scale"]),
            R.rule(R.write, R.autoscaling, ["horizontalpodautoscalers"]),
            R.rule(R.write, R.batch, ["jobs", "cronjobs"]),
            R.rule(R.write, R.extensions, ["daemonsets", "deployments", "deployments/scale", "deployments/rollback",
                                           "ingresses", "replicasets", "replicasets/scale",
                                           "replicationcontrollers/scale", "networkpolicies"]),
            R.rule(R.write, R.policy, ["poddisruptionbudgets"]),
            R.rule(R.write, R.networking, ["networkpolicies", "ingresses"]),
            R.rule(R.readWrite, R.coordination, ["leases"]),
        ]),
        PolicyObjects.clusterRole("system:aggregate-to-view", labels: [aggregateToView: "true"], [
            R.rule(R.read, R.core, ["pods", "replicationcontrollers", "replicationcontrollers/scale", "serviceaccounts",
                                    "services", "services/status", "endpoints", "persistentvolumeclaims",
                                    "persistentvolumeclaims/status", "configmaps"]),
            R.rule(R.read, R.core, ["limitranges", "resourcequotas", "bindings", "events", "pods/status",
                                    "resourcequotas/status", "namespaces/status", "replicationcontrollers/status",
                                    "pods/log"]),
            // Reading namespaces at namespace scope tells a user which namespaces they can use.
            R.rule(R.read, R.core, ["namespaces"]),
            R.rule(R.read, R.discovery, ["endpointslices"]),
            R.rule(R.read, R.apps, ["controllerrevisions", "statefulsets", "statefulsets/status", "statefulsets/scale",
                                    "daemonsets", "daemonsets/status", "deployments", "deployments/status",
                                    "deployments/scale", "replicasets", "replicasets/status", "replicasets/scale"]),
            R.rule(R.read, R.autoscaling, ["horizontalpodautoscalers", "horizontalpodautoscalers/status"]),
            R.rule(R.read, R.batch, ["jobs", "cronjobs", "cronjobs/status", "jobs/status"]),
            R.rule(R.read, R.extensions, ["daemonsets", "daemonsets/status", "deployments", "deployments/scale",
                                          "deployments/status", "ingresses", "ingresses/status", "replicasets",
                                          "replicasets/scale", "replicasets/status", "replicationcontrollers/scale",
                                          "networkpolicies"]),
            R.rule(R.read, R.policy, ["poddisruptionbudgets", "poddisruptionbudgets/status"]),
            R.rule(R.read, R.networking, ["networkpolicies", "ingresses", "ingresses/status"]),
        ]),
        PolicyObjects.clusterRole("system:heapster", [
            R.rule(R.read, R.core, ["events", "pods", "nodes", "namespaces"]),
            R.rule(R.read, R.extensions, ["deployments"]),
        ]),
        PolicyObjects.clusterRole("system:node", nodeRules),
        PolicyObjects.clusterRole("system:node-problem-detector", [
            R.rule(["get"], R.core, ["nodes"]),
            R.rule(["patch"], R.core, ["nodes/status"]),
            R.eventsRule,
        ]),
        PolicyObjects.clusterRole("system:node-bootstrapper", [
            R.rule(["create", "get", "list", "watch"], R.certificates, ["certificatesigningrequests"]),
        ]),
        PolicyObjects.clusterRole("system:auth-delegator", [
            R.rule(["create"], R.authentication, ["tokenreviews"]),
            R.rule(["create"], R.authorization, ["subjectaccessreviews"]),
        ]),
        PolicyObjects.clusterRole("system:kube-aggregator", [
            R.rule(R.read, R.core, ["services", "endpoints"]),
        ]),
        PolicyObjects.clusterRole("system:kube-controller-manager", [
            R.eventsRule,
            R.rule(["create"], R.coordination, ["leases"]),
            R.rule(["get", "update"], R.coordination, ["leases"], names: ["kube-controller-manager"]),
            R.rule(["create"], R.core, ["secrets", "serviceaccounts"]),
            R.rule(["delete"], R.core, ["secrets"]),
            R.rule(["get"], R.core, ["namespaces", "secrets", "serviceaccounts", "configmaps"]),
            R.rule(["update"], R.core, ["secrets", "serviceaccounts"]),
            R.rule(["create"], R.authentication, ["tokenreviews"]),
            R.rule(["create"], R.authorization, ["subjectaccessreviews"]),
            // Every shared informer.
            R.rule(["list", "watch"], "*", ["*"]),
            R.rule(["create"], R.core, ["serviceaccounts/token"]),
        ]),
        PolicyObjects.clusterRole("system:kube-dns", [
            R.rule(["list", "watch"], R.core, ["endpoints", "services"]),
        ]),
        PolicyObjects.clusterRole("system:persistent-volume-provisioner", [
            R.rule(["get", "list", "watch", "create", "delete"], R.core, ["persistentvolumes"]),
            R.rule(["get", "list", "watch", "update"], R.core, ["persistentvolumeclaims"]),
            R.rule(R.read, R.storage, ["storageclasses"]),
            R.rule(["watch"], R.core, ["events"]),
            R.eventsRule,
        ]),
        PolicyObjects.clusterRole("system:certificates.k8s.io:certificatesigningrequests:nodeclient", [
            R.rule(["create"], R.certificates, ["certificatesigningrequests/nodeclient"]),
        ]),
        PolicyObjects.clusterRole("system:certificates.k8s.io:certificatesigningrequests:selfnodeclient", [
            R.rule(["create"], R.certificates, ["certificatesigningrequests/selfnodeclient"]),
        ]),
        PolicyObjects.clusterRole("system:volume-scheduler", [
            R.rule(R.readUpdate, R.core, ["persistentvolumes"]),
            R.rule(R.read, R.storage, ["storageclasses"]),
            R.rule(R.readUpdate, R.core, ["persistentvolumeclaims"]),
        ]),
        signerApprover("legacy-unknown-approver", signer: "kubernetes.io/legacy-unknown"),
        signerApprover("kubelet-serving-approver", signer: "kubernetes.io/kubelet-serving"),
        signerApprover("kube-apiserver-client-approver", signer: "kubernetes.io/kube-apiserver-client"),
        signerApprover("kube-apiserver-client-kubelet-approver", signer: "kubernetes.io/kube-apiserver-client-kubelet"),
        // Trailing-slash variants: clients generated from the published OpenAPI ask for them.
        PolicyObjects.clusterRole("system:service-account-issuer-discovery", [
            R.urls(["get"], ["/.well-known/openid-configuration", "/.well-known/openid-configuration/",
                             "/openid/v1/jwks", "/openid/v1/jwks/"]),
        ]),
        PolicyObjects.clusterRole("system:kubelet-api-admin", [
            R.rule(["get", "list", "watch"], R.core, ["nodes"]),
            R.rule(["proxy"], R.core, ["nodes"]),
            R.rule(["*"], R.core, ["nodes/proxy", "nodes/metrics", "nodes/stats", "nodes/log"]),
        ]),
        PolicyObjects.clusterRole("system:node-proxier", [
            R.rule(["list", "watch"], R.core, ["services", "endpoints"]),
            R.rule(["get", "list", "watch"], R.core, ["nodes"]),
            R.eventsRule,
            R.rule(["list", "watch"], R.discovery, ["endpointslices"]),
        ]),
        PolicyObjects.clusterRole("system:kube-scheduler", kubeSchedulerRules),
    ]

    /// `system:certificates.k8s.io:<name>`: may approve CSRs for one signer.
    private static func signerApprover(_ name: String, signer: String) -> JSONValue {
        PolicyObjects.clusterRole("system:certificates.k8s.io:" + name, [
            R.rule(["approve"], R.certificates, ["signers"], names: [signer]),
        ])
    }
}
