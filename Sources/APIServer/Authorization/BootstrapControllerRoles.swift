import KubeAPI

/// The `system:controller:<name>` ClusterRoles, one per kube-controller-manager controller, each bound to the
/// service account `kube-system/<name>` the controller runs as with `--use-service-account-credentials`
/// (upstream `controller_policy.go`). Roles behind feature gates that are off by default in 1.32
/// (resource-claim, selinux-warning, service-cidrs, volumeattributesclass-protection) are left out.
extension BootstrapPolicy {
    private typealias R = Rules

    static let controllerRoleTable: [(name: String, rules: [PolicyRule])] = [
        ("attachdetach-controller", [
            R.rule(["list", "watch"], R.core, ["persistentvolumes", "persistentvolumeclaims"]),
            R.rule(["get", "list", "watch"], R.core, ["nodes"]),
            R.rule(["patch", "update"], R.core, ["nodes/status"]),
            R.rule(["list", "watch"], R.core, ["pods"]),
            R.eventsRule,
            R.rule(["get", "create", "delete", "list", "watch"], R.storage, ["volumeattachments"]),
            R.rule(["get", "watch", "list"], R.storage, ["csidrivers"]),
            R.rule(["get", "watch", "list"], R.storage, ["csinodes"]),
        ]),
        ("certificate-controller", [
            R.rule(["get", "list", "watch", "delete"], R.certificates, ["certificatesigningrequests"]),
            R.rule(["update"], R.certificates, ["certificatesigningrequests/status",
                                                "certificatesigningrequests/approval"]),
            R.rule(["approve"], R.certificates, ["signers"], names: ["kubernetes.io/kube-apiserver-client-kubelet"]),
            R.rule(["sign"], R.certificates, ["signers"], names: [
                "kubernetes.io/legacy-unknown", "kubernetes.io/kube-apiserver-client",
                "kubernetes.io/kube-apiserver-client-kubelet", "kubernetes.io/kubelet-serving",
            ]),
            R.rule(["create"], R.authorization, ["subjectaccessreviews"]),
            R.eventsRule,
        ]),
        ("clusterrole-aggregation-controller", [
            // It must be able to write any rule into an aggregated role, hence escalate.
            R.rule(["escalate", "get", "list", "watch", "update", "patch"], R.rbac, ["clusterroles"]),
        ]),
        ("cronjob-controller", [
            R.rule(["get", "list", "watch", "update"], R.batch, ["cronjobs"]),
            R.rule(["get", "list", "watch", "create", "update", "delete", "patch"], R.batch, ["jobs"]),
            R.rule(["update"], R.batch, ["cronjobs/status"]),
            R.rule(["update"], R.batch, ["cronjobs/finalizers"]),
            R.rule(["list", "watch", "delete"], R.core, ["pods"]),
            R.eventsRule,
        ]),
        ("daemon-set-controller", [
            R.rule(R.read, [R.extensions, R.apps], ["daemonsets"]),
            R.rule(["update"], [R.extensions, R.apps], ["daemonsets/status"]),
            R.rule(["update"], [R.extensions, R.apps], ["daemonsets/finalizers"]),
            R.rule(["list", "watch"], R.core, ["nodes"]),
            R.rule(["list", "watch", "create", "delete", "patch"], R.core, ["pods"]),
            R.rule(["create"], R.core, ["pods/binding"]),
            R.rule(["get", "list", "watch", "create", "delete", "update", "patch"], R.apps, ["controllerrevisions"]),
            R.eventsRule,
        ]),
        ("deployment-controller", [
            R.rule(["get", "list", "watch", "update"], [R.extensions, R.apps], ["deployments"]),
            R.rule(["update"], [R.extensions, R.apps], ["deployments/status"]),
            R.rule(["update"], [R.extensions, R.apps], ["deployments/finalizers"]),
            R.rule(["get", "list", "watch", "create", "update", "patch", "delete"], [R.apps, R.extensions],
                   ["replicasets"]),
            R.rule(["get", "list", "watch", "update"], R.core, ["pods"]),
            R.eventsRule,
        ]),
        ("disruption-controller", [
            R.rule(R.read, [R.extensions, R.apps], ["deployments"]),
            R.rule(R.read, [R.apps, R.extensions], ["replicasets"]),
            R.rule(R.read, R.core, ["replicationcontrollers"]),
            R.rule(R.read, R.policy, ["poddisruptionbudgets"]),
            R.rule(R.read, R.apps, ["statefulsets"]),
            R.rule(["update"], R.policy, ["poddisruptionbudgets/status"]),
            R.rule(["patch", "update"], R.core, ["pods/status"]),
            R.rule(["get"], "*", ["*/scale"]),
            R.eventsRule,
        ]),
        ("endpoint-controller", [
            R.rule(R.read, R.core, ["services", "pods"]),
            R.rule(["get", "list", "watch", "create", "update", "delete"], R.core, ["endpoints"]),
            R.rule(["create"], R.core, ["endpoints/restricted"]),
            R.eventsRule,
        ]),
        ("endpointslice-controller", [
            R.rule(R.read, R.core, ["services", "pods", "nodes"]),
            // Owner references with blockOwnerDeletion need finalizer access on the owner.
            R.rule(["update"], R.core, ["services/finalizers"]),
            R.rule(["get", "list", "watch", "create", "update", "delete"], R.discovery, ["endpointslices"]),
            R.eventsRule,
        ]),
        ("endpointslicemirroring-controller", [
            R.rule(R.read, R.core, ["services", "endpoints"]),
            R.rule(["update"], R.core, ["services/finalizers"]),
            R.rule(["update"], R.core, ["endpoints/finalizers"]),
            R.rule(["get", "list", "watch", "create", "update", "delete"], R.discovery, ["endpointslices"]),
            R.eventsRule,
        ]),
        ("ephemeral-volume-controller", [
            R.rule(R.read, R.core, ["pods"]),
            R.rule(["update"], R.core, ["pods/finalizers"]),
            R.rule(["get", "list", "watch", "create"], R.core, ["persistentvolumeclaims"]),
            R.eventsRule,
        ]),
        ("expand-controller", [
            R.rule(["get", "list", "watch", "update", "patch"], R.core, ["persistentvolumes"]),
            R.rule(["update", "patch"], R.core, ["persistentvolumeclaims/status"]),
            R.rule(R.read, R.core, ["persistentvolumeclaims"]),
            R.eventsRule,
        ]),
        ("generic-garbage-collector", [
            R.rule(["get", "list", "watch", "patch", "update", "delete"], "*", ["*"]),
            R.eventsRule,
        ]),
        ("horizontal-pod-autoscaler", [
            R.rule(R.read, R.autoscaling, ["horizontalpodautoscalers"]),
            R.rule(["update"], R.autoscaling, ["horizontalpodautoscalers/status"]),
            R.rule(["get", "update"], "*", ["*/scale"]),
            R.rule(["list", "watch"], R.core, ["pods"]),
            R.rule(["list", "watch"], "metrics.k8s.io", ["pods"]),
            R.rule(R.read, "custom.metrics.k8s.io", ["*"]),
            R.rule(R.read, "external.metrics.k8s.io", ["*"]),
            R.eventsRule,
        ]),
        ("job-controller", [
            R.rule(["get", "list", "watch", "update", "patch"], R.batch, ["jobs"]),
            R.rule(["update"], R.batch, ["jobs/status"]),
            R.rule(["update"], R.batch, ["jobs/finalizers"]),
            R.rule(["list", "watch", "create", "delete", "patch"], R.core, ["pods"]),
            R.eventsRule,
        ]),
        ("legacy-service-account-token-cleaner", [
            R.rule(["get"], R.core, ["configmaps"], names: ["kube-apiserver-legacy-service-account-token-tracking"]),
            R.rule(["delete", "patch"], R.core, ["secrets"]),
        ]),
        ("namespace-controller", [
            R.rule(["get", "list", "watch", "delete"], R.core, ["namespaces"]),
            R.rule(["update"], R.core, ["namespaces/finalize", "namespaces/status"]),
            R.rule(["get", "list", "watch", "delete", "deletecollection"], "*", ["*"]),
        ]),
        ("node-controller", [
            R.rule(["get", "list", "watch", "update", "delete", "patch"], R.core, ["nodes"]),
            R.rule(["patch", "update"], R.core, ["nodes/status"]),
            R.rule(["patch", "update"], R.core, ["pods/status"]),
            R.rule(["get", "list", "watch", "delete"], R.core, ["pods"]),
            R.eventsRule,
        ]),
        ("persistent-volume-binder", [
            R.rule(["get", "list", "watch", "update", "create", "delete"], R.core, ["persistentvolumes"]),
            R.rule(["update"], R.core, ["persistentvolumes/status"]),
            R.rule(["get", "list", "watch", "update"], R.core, ["persistentvolumeclaims"]),
            R.rule(["update"], R.core, ["persistentvolumeclaims/status"]),
            R.rule(["get", "list", "watch", "create", "delete"], R.core, ["pods"]),
            R.rule(R.read, R.storage, ["storageclasses"]),
            R.rule(["list", "watch"], R.core, ["nodes"]),
            R.eventsRule,
            R.rule(["watch"], R.core, ["events"]),
        ]),
        ("pod-garbage-collector", [
            R.rule(["list", "watch", "delete"], R.core, ["pods"]),
            R.rule(R.read, R.core, ["nodes"]),
            R.rule(["patch"], R.core, ["pods/status"]),
        ]),
        ("pv-protection-controller", [
            R.rule(["get", "list", "watch", "update"], R.core, ["persistentvolumes"]),
            R.eventsRule,
        ]),
        ("pvc-protection-controller", [
            R.rule(["get", "list", "watch", "update"], R.core, ["persistentvolumeclaims"]),
            R.rule(["update"], R.core, ["persistentvolumeclaims/status"]),
            R.rule(R.read, R.core, ["pods"]),
            R.eventsRule,
        ]),
        ("replicaset-controller", [
            R.rule(["get", "list", "watch", "update"], [R.apps, R.extensions], ["replicasets"]),
            R.rule(["update"], [R.apps, R.extensions], ["replicasets/status"]),
            R.rule(["update"], [R.apps, R.extensions], ["replicasets/finalizers"]),
            R.rule(["list", "watch", "patch", "create", "delete"], R.core, ["pods"]),
            R.eventsRule,
        ]),
        ("replication-controller", [
            R.rule(["get", "list", "watch", "update"], R.core, ["replicationcontrollers"]),
            R.rule(["update"], R.core, ["replicationcontrollers/status"]),
            R.rule(["update"], R.core, ["replicationcontrollers/finalizers"]),
            R.rule(["list", "watch", "patch", "create", "delete"], R.core, ["pods"]),
            R.eventsRule,
        ]),
        ("resourcequota-controller", [
            // Quota can count any resource.
            R.rule(["list", "watch"], "*", ["*"]),
            R.rule(["update"], R.core, ["resourcequotas/status"]),
            R.eventsRule,
        ]),
        ("root-ca-cert-publisher", [
            R.rule(["create", "update"], R.core, ["configmaps"]),
            R.eventsRule,
        ]),
        ("route-controller", [
            R.rule(["list", "watch"], R.core, ["nodes"]),
            R.rule(["patch"], R.core, ["nodes/status"]),
            R.eventsRule,
        ]),
        ("service-account-controller", [
            R.rule(["create"], R.core, ["serviceaccounts"]),
            R.eventsRule,
        ]),
        ("service-controller", [
            R.rule(R.read, R.core, ["services"]),
            R.rule(["patch", "update"], R.core, ["services/status"]),
            R.rule(["list", "watch"], R.core, ["nodes"]),
            R.eventsRule,
        ]),
        ("statefulset-controller", [
            R.rule(["list", "watch"], R.core, ["pods"]),
            R.rule(R.read, R.apps, ["statefulsets"]),
            R.rule(["update"], R.apps, ["statefulsets/status"]),
            R.rule(["update"], R.apps, ["statefulsets/finalizers"]),
            R.rule(["get", "create", "delete", "update", "patch"], R.core, ["pods"]),
            R.rule(["get", "create", "delete", "update", "patch", "list", "watch"], R.apps, ["controllerrevisions"]),
            R.rule(["get", "create", "list", "watch"], R.core, ["persistentvolumeclaims"]),
            // StatefulSetAutoDeletePVC (GA in 1.32).
            R.rule(["update", "delete"], R.core, ["persistentvolumeclaims"]),
            R.rule(["update"], R.core, ["pods/finalizers"]),
            R.eventsRule,
        ]),
        ("ttl-after-finished-controller", [
            R.rule(["get", "list", "watch", "delete"], R.batch, ["jobs"]),
            R.eventsRule,
        ]),
        ("ttl-controller", [
            R.rule(["update", "patch", "list", "watch"], R.core, ["nodes"]),
            R.eventsRule,
        ]),
        ("validatingadmissionpolicy-status-controller", [
            R.rule(R.read, R.admissionRegistration, ["validatingadmissionpolicies"]),
            R.rule(["get", "patch", "update"], R.admissionRegistration, ["validatingadmissionpolicies/status"]),
            R.eventsRule,
        ]),
    ]

    static let controllerRolePrefix = "system:controller:"
}
