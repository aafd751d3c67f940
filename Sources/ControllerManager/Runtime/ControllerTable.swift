import KubeAPI
import KubeClient

/// One row of the controller table: the `--controllers` names that turn it on, the ServiceAccounts it writes as
/// (upstream's `system:controller:*` subjects), and how its loops are built.
struct ControllerDefinition: Sendable {
    var names: [String]
    var serviceAccounts: [String]
    var build: @Sendable (ControllerContext) async throws -> [ControllerLoop]
}

/// Every controller this manager runs, in upstream's names. A new controller is a new row; `run` needs no
/// change.
enum ControllerTable {
    static let all: [ControllerDefinition] = [
        ControllerDefinition(names: ["serviceaccount", "root-ca-cert-publisher"],
                             serviceAccounts: ["service-account-controller", "root-ca-cert-publisher"],
                             build: NamespaceDefaultsController.loops),
        ControllerDefinition(names: ["csrapproving", "csrsigning"], serviceAccounts: ["certificate-controller"],
                             build: CSRControllers.loops),
        ControllerDefinition(names: ["replicaset"], serviceAccounts: ["replicaset-controller"], build: WorkloadControllers.replicaSets),
        ControllerDefinition(names: ["deployment"], serviceAccounts: ["deployment-controller"], build: WorkloadControllers.deployments),
        ControllerDefinition(names: ["daemonset"], serviceAccounts: ["daemon-set-controller"], build: DaemonSetController.loops),
        ControllerDefinition(names: ["statefulset"], serviceAccounts: ["statefulset-controller"], build: StatefulSetController.loops),
        ControllerDefinition(names: ["persistentvolume-binder"], serviceAccounts: ["persistent-volume-binder"],
                             build: PersistentVolumeController.loops),
        ControllerDefinition(names: ["endpoint"], serviceAccounts: ["endpoint-controller"], build: EndpointsController.endpoints),
        ControllerDefinition(names: ["endpointslice"], serviceAccounts: ["endpointslice-controller"], build: EndpointsController.endpointSlices),
        ControllerDefinition(names: ["namespace"], serviceAccounts: ["namespace-controller"], build: NamespaceController.loops),
        ControllerDefinition(names: ["podgc"], serviceAccounts: ["pod-garbage-collector"], build: PodGCController.loops),
        ControllerDefinition(names: ["disruption"], serviceAccounts: ["disruption-controller"], build: DisruptionController.loops),
        ControllerDefinition(names: ["nodeipam"], serviceAccounts: ["node-controller"], build: NodeIPAMController.loops),
        ControllerDefinition(names: ["nodelifecycle"], serviceAccounts: ["node-controller"], build: NodeLifecycleController.loops),
        ControllerDefinition(names: ["bootstrapsigner"], serviceAccounts: ["bootstrap-signer"], build: BootstrapTokenControllers.signer),
        ControllerDefinition(names: ["tokencleaner"], serviceAccounts: ["token-cleaner"], build: BootstrapTokenControllers.cleaner),
        ControllerDefinition(names: ["garbagecollector"], serviceAccounts: ["generic-garbage-collector"], build: GarbageCollectorController.loops),
        ControllerDefinition(names: ["job"], serviceAccounts: ["job-controller"], build: JobController.loops),
        ControllerDefinition(names: ["cronjob"], serviceAccounts: ["cronjob-controller"], build: CronJobController.loops),
        ControllerDefinition(names: ["ttl-after-finished"], serviceAccounts: ["ttl-after-finished-controller"], build: TTLAfterFinishedController.loops),
    ]

    /// The rows `--controllers` enables.
    static func enabled(_ options: KubeControllerManager.Options) -> [ControllerDefinition] {
        all.filter { $0.names.contains(where: options.enabled) }
    }
}
