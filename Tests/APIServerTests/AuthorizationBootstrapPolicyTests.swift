import KubeAPI
import Testing
@testable import APIServer

/// Checks the bootstrap tables against upstream v1.32 `bootstrappolicy/testdata` (feature gates at defaults).
@Suite("Authorization: bootstrap policy data")
struct AuthorizationBootstrapPolicyTests {
    /// A rule as upstream's testdata lists it: groups, resources, verbs (each sorted), optional names.
    func r(_ groups: [String], _ resources: [String], _ verbs: [String], names: [String] = []) -> PolicyRule {
        PolicyRule(verbs: verbs, apiGroups: groups, resources: resources, resourceNames: names)
    }

    func clusterRole(_ name: String) -> JSONValue? {
        BootstrapPolicy.clusterRoles.first { $0.metadata.name == name }
    }

    func rules(_ name: String) -> [PolicyRule] {
        clusterRole(name)?["rules"]?.array?.map(PolicyRule.init(json:)) ?? []
    }

    @Test func clusterRoleNamesMatchUpstream() {
        let names = Set(BootstrapPolicy.clusterRoles.compactMap(\.metadata.name))
        let expected: Set<String> = [
            "admin", "cluster-admin", "edit", "view", "system:aggregate-to-admin", "system:aggregate-to-edit",
            "system:aggregate-to-view", "system:auth-delegator", "system:basic-user",
            "system:certificates.k8s.io:certificatesigningrequests:nodeclient",
            "system:certificates.k8s.io:certificatesigningrequests:selfnodeclient",
            "system:certificates.k8s.io:kube-apiserver-client-approver",
            "system:certificates.k8s.io:kube-apiserver-client-kubelet-approver",
            "system:certificates.k8s.io:kubelet-serving-approver", "system:certificates.k8s.io:legacy-unknown-approver",
            "system:discovery", "system:heapster", "system:kube-aggregator", "system:kube-controller-manager",
            "system:kube-dns", "system:kube-scheduler", "system:kubelet-api-admin", "system:monitoring", "system:node",
            "system:node-bootstrapper", "system:node-problem-detector", "system:node-proxier",
            "system:persistent-volume-provisioner", "system:public-info-viewer",
            "system:service-account-issuer-discovery", "system:volume-scheduler",
        ]
        #expect(expected.isSubset(of: names))
        let controllers = names.subtracting(expected)
        #expect(controllers.allSatisfy { $0.hasPrefix("system:controller:") })
        for controller in ["attachdetach-controller", "certificate-controller", "clusterrole-aggregation-controller",
                           "cronjob-controller", "daemon-set-controller", "deployment-controller",
                           "disruption-controller", "endpoint-controller", "endpointslice-controller",
                           "endpointslicemirroring-controller", "ephemeral-volume-controller", "expand-controller",
                           "generic-garbage-collector", "horizontal-pod-autoscaler", "job-controller",
                           "legacy-service-account-token-cleaner", "namespace-controller", "node-controller",
                           "persistent-volume-binder", "pod-garbage-collector", "pv-protection-controller",
                           "pvc-protection-controller", "replicaset-controller", "replication-controller",
                           "resourcequota-controller", "root-ca-cert-publisher", "route-controller",
                           "service-account-controller", "service-controller", "statefulset-controller",
                           "ttl-after-finished-controller", "ttl-controller",
                           "validatingadmissionpolicy-status-controller"] {
            #expect(controllers.contains("system:controller:" + controller), "\(controller)")
        }
        #expect(controllers.count == 33)
    }

    @Test func systemNodeRules() {
        #expect(rules("system:node") == [
            r(["authentication.k8s.io"], ["tokenreviews"], ["create"]),
            r(["authorization.k8s.io"], ["localsubjectaccessreviews", "subjectaccessreviews"], ["create"]),
            r([""], ["services"], ["get", "list", "watch"]),
            r([""], ["nodes"], ["create", "get", "list", "watch"]),
            r([""], ["nodes/status"], ["patch", "update"]),
            r([""], ["nodes"], ["patch", "update"]),
            r([""], ["events"], ["create", "patch", "update"]),
            r([""], ["pods"], ["get", "list", "watch"]),
            r([""], ["pods"], ["create", "delete"]),
            r([""], ["pods/status"], ["patch", "update"]),
            r([""], ["pods/eviction"], ["create"]),
            r([""], ["configmaps", "secrets"], ["get", "list", "watch"]),
            r([""], ["persistentvolumeclaims", "persistentvolumes"], ["get"]),
            r([""], ["endpoints"], ["get"]),
            r(["certificates.k8s.io"], ["certificatesigningrequests"], ["create", "get", "list", "watch"]),
            r(["coordination.k8s.io"], ["leases"], ["create", "delete", "get", "patch", "update"]),
            r(["storage.k8s.io"], ["volumeattachments"], ["get"]),
            r([""], ["serviceaccounts/token"], ["create"]),
            r([""], ["persistentvolumeclaims/status"], ["get", "patch", "update"]),
            r(["storage.k8s.io"], ["csidrivers"], ["get", "list", "watch"]),
            r(["storage.k8s.io"], ["csinodes"], ["create", "delete", "get", "patch", "update"]),
            r(["node.k8s.io"], ["runtimeclasses"], ["get", "list", "watch"]),
        ])
    }

    @Test func kubeSchedulerRules() {
        let read = ["get", "list", "watch"]
        #expect(rules("system:kube-scheduler") == [
            r(["", "events.k8s.io"], ["events"], ["create", "patch", "update"]),
            r(["coordination.k8s.io"], ["leases"], ["create"]),
            r(["coordination.k8s.io"], ["leases"], ["get", "list", "update", "watch"], names: ["kube-scheduler"]),
            r(["coordination.k8s.io"], ["leasecandidates"],
              ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]),
            r([""], ["nodes"], read),
            r([""], ["pods"], ["delete", "get", "list", "watch"]),
            r([""], ["bindings", "pods/binding"], ["create"]),
            r([""], ["pods/status"], ["patch", "update"]),
            r([""], ["replicationcontrollers", "services"], read),
            r(["apps", "extensions"], ["replicasets"], read),
            r(["apps"], ["statefulsets"], read),
            r(["policy"], ["poddisruptionbudgets"], read),
            r([""], ["persistentvolumeclaims", "persistentvolumes"], read),
            r(["authentication.k8s.io"], ["tokenreviews"], ["create"]),
            r(["authorization.k8s.io"], ["subjectaccessreviews"], ["create"]),
            r(["storage.k8s.io"], ["csinodes"], read),
            r(["storage.k8s.io"], ["volumeattachments"], read),
            r([""], ["namespaces"], read),
            r(["storage.k8s.io"], ["csidrivers"], read),
            r(["storage.k8s.io"], ["csistoragecapacities"], read),
        ])
    }

    @Test func aggregatedRolesCarrySelectorsAndLabels() {
        func selectorLabel(_ name: String) -> String? {
            clusterRole(name)?[path: ["aggregationRule", "clusterRoleSelectors"]]?[0]?["matchLabels"]?.object?.keys.first
        }
        #expect(selectorLabel("admin") == "rbac.authorization.k8s.io/aggregate-to-admin")
        #expect(selectorLabel("edit") == "rbac.authorization.k8s.io/aggregate-to-edit")
        #expect(selectorLabel("view") == "rbac.authorization.k8s.io/aggregate-to-view")
        #expect(clusterRole("edit")?.metadata.labels["rbac.authorization.k8s.io/aggregate-to-admin"] == "true")
        #expect(clusterRole("view")?.metadata.labels["rbac.authorization.k8s.io/aggregate-to-edit"] == "true")
        #expect(clusterRole("system:aggregate-to-view")?.metadata.labels["rbac.authorization.k8s.io/aggregate-to-view"]
            == "true")
        #expect(rules("system:aggregate-to-admin") == [
            r(["authorization.k8s.io"], ["localsubjectaccessreviews"], ["create"]),
            r(["rbac.authorization.k8s.io"], ["rolebindings", "roles"],
              ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]),
        ])
    }

    @Test func basicUserObjectMatchesUpstreamExactly() {
        let expected: JSONValue = [
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
            "metadata": [
                "annotations": ["rbac.authorization.kubernetes.io/autoupdate": "true"],
                "labels": ["kubernetes.io/bootstrapping": "rbac-defaults"],
                "name": "system:basic-user",
            ],
            "rules": [
                ["apiGroups": ["authorization.k8s.io"], "resources": ["selfsubjectaccessreviews", "selfsubjectrulesreviews"],
                 "verbs": ["create"]],
                ["apiGroups": ["authentication.k8s.io"], "resources": ["selfsubjectreviews"], "verbs": ["create"]],
            ],
        ]
        #expect(clusterRole("system:basic-user") == expected)
    }

    @Test func nonResourceRoles() {
        #expect(rules("system:public-info-viewer")
            == [PolicyRule(verbs: ["get"], nonResourceURLs: ["/healthz", "/livez", "/readyz", "/version", "/version/"])])
        #expect(rules("system:discovery") == [PolicyRule(verbs: ["get"], nonResourceURLs: [
            "/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez", "/openapi", "/openapi/*", "/readyz",
            "/version", "/version/",
        ])])
        #expect(rules("cluster-admin") == [r(["*"], ["*"], ["*"]), PolicyRule(verbs: ["*"], nonResourceURLs: ["*"])])
        #expect(rules("system:node-bootstrapper")
            == [r(["certificates.k8s.io"], ["certificatesigningrequests"], ["create", "get", "list", "watch"])])
        #expect(rules("system:certificates.k8s.io:certificatesigningrequests:nodeclient")
            == [r(["certificates.k8s.io"], ["certificatesigningrequests/nodeclient"], ["create"])])
        #expect(rules("system:certificates.k8s.io:certificatesigningrequests:selfnodeclient")
            == [r(["certificates.k8s.io"], ["certificatesigningrequests/selfnodeclient"], ["create"])])
    }

    @Test func kubeControllerManagerRules() {
        #expect(rules("system:kube-controller-manager") == [
            r(["", "events.k8s.io"], ["events"], ["create", "patch", "update"]),
            r(["coordination.k8s.io"], ["leases"], ["create"]),
            r(["coordination.k8s.io"], ["leases"], ["get", "update"], names: ["kube-controller-manager"]),
            r([""], ["secrets", "serviceaccounts"], ["create"]),
            r([""], ["secrets"], ["delete"]),
            r([""], ["configmaps", "namespaces", "secrets", "serviceaccounts"], ["get"]),
            r([""], ["secrets", "serviceaccounts"], ["update"]),
            r(["authentication.k8s.io"], ["tokenreviews"], ["create"]),
            r(["authorization.k8s.io"], ["subjectaccessreviews"], ["create"]),
            r(["*"], ["*"], ["list", "watch"]),
            r([""], ["serviceaccounts/token"], ["create"]),
        ])
    }

    @Test func bindingsMatchUpstream() {
        func subjects(_ name: String) -> [RBACSubject] {
            let binding = BootstrapPolicy.clusterRoleBindings.first { $0.metadata.name == name }
            return binding?["subjects"]?.array?.compactMap(RBACSubject.init(json:)) ?? []
        }
        #expect(subjects("cluster-admin") == [RBACSubject(.group, "system:masters")])
        #expect(subjects("system:discovery") == [RBACSubject(.group, "system:authenticated")])
        #expect(subjects("system:basic-user") == [RBACSubject(.group, "system:authenticated")])
        #expect(subjects("system:public-info-viewer")
            == [RBACSubject(.group, "system:authenticated"), RBACSubject(.group, "system:unauthenticated")])
        #expect(subjects("system:node").isEmpty)
        #expect(subjects("system:kube-scheduler") == [RBACSubject(.user, "system:kube-scheduler")])
        #expect(subjects("system:controller:node-controller")
            == [RBACSubject(.serviceAccount, "node-controller", namespace: "kube-system")])
        // Every bootstrap object opts into reconciliation.
        for object in BootstrapPolicy.clusterRoles + BootstrapPolicy.clusterRoleBindings + BootstrapPolicy.roles
            + BootstrapPolicy.roleBindings {
            #expect(object.metadata.annotations["rbac.authorization.kubernetes.io/autoupdate"] == "true")
            #expect(object.metadata.labels["kubernetes.io/bootstrapping"] == "rbac-defaults")
        }
        // Every controller role has its binding.
        let bindingNames = Set(BootstrapPolicy.clusterRoleBindings.compactMap(\.metadata.name))
        for role in BootstrapPolicy.clusterRoles.compactMap(\.metadata.name) where role.hasPrefix("system:controller:") {
            #expect(bindingNames.contains(role))
        }
    }

    @Test func namespacedObjects() {
        let roles = BootstrapPolicy.roles.map { "\($0.metadata.namespace ?? "")/\($0.metadata.name ?? "")" }
        #expect(Set(roles) == [
            "kube-system/extension-apiserver-authentication-reader", "kube-system/system:controller:bootstrap-signer",
            "kube-system/system:controller:cloud-provider", "kube-system/system:controller:token-cleaner",
            "kube-system/system::leader-locking-kube-controller-manager",
            "kube-system/system::leader-locking-kube-scheduler", "kube-public/system:controller:bootstrap-signer",
        ])
        let bindings = BootstrapPolicy.roleBindings.map { "\($0.metadata.namespace ?? "")/\($0.metadata.name ?? "")" }
        #expect(bindings.count == 7 && bindings.contains("kube-system/system::extension-apiserver-authentication-reader"))
        let signer = BootstrapPolicy.roles.first { $0.metadata.namespace == "kube-public" }
        #expect(signer?["rules"]?[1] == ["verbs": ["update"], "apiGroups": [""], "resources": ["configmaps"],
                                         "resourceNames": ["cluster-info"]])
    }

    @Test func kubeadmObjects() {
        let bindings = Dictionary(uniqueKeysWithValues: KubeadmPolicy.clusterRoleBindings.map {
            ($0.metadata.name ?? "", $0)
        })
        #expect(bindings["kubeadm:kubelet-bootstrap"]?[path: ["roleRef", "name"]] == "system:node-bootstrapper")
        #expect(bindings["kubeadm:kubelet-bootstrap"]?["subjects"]?[0]?["name"]
            == "system:bootstrappers:kubeadm:default-node-token")
        #expect(bindings["kubeadm:node-autoapprove-bootstrap"]?[path: ["roleRef", "name"]]
            == "system:certificates.k8s.io:certificatesigningrequests:nodeclient")
        #expect(bindings["kubeadm:node-autoapprove-certificate-rotation"]?["subjects"]?[0]?["name"] == "system:nodes")
        #expect(bindings["kubeadm:cluster-admins"]?[path: ["roleRef", "name"]] == "cluster-admin")
        #expect(bindings["kubeadm:cluster-admins"]?["subjects"]?[0]?["name"] == "kubeadm:cluster-admins")
        #expect(bindings["kubeadm:get-nodes"] != nil)
        let clusterInfo = KubeadmPolicy.roles.first { $0.metadata.name == "kubeadm:bootstrap-signer-clusterinfo" }
        #expect(clusterInfo?.metadata.namespace == "kube-public")
        #expect(clusterInfo?["rules"]?[0]?["resourceNames"] == ["cluster-info"])
        let clusterInfoBinding = KubeadmPolicy.roleBindings.first { $0.metadata.name == "kubeadm:bootstrap-signer-clusterinfo" }
        #expect(clusterInfoBinding?["subjects"]?[0] == ["apiGroup": "rbac.authorization.k8s.io", "kind": "User",
                                                        "name": "system:anonymous"])
        // kubeadm's objects are not reconciled by the server.
        #expect((KubeadmPolicy.clusterRoleBindings + KubeadmPolicy.roles).allSatisfy {
            $0.metadata.annotations["rbac.authorization.kubernetes.io/autoupdate"] == nil
        })
    }
}
