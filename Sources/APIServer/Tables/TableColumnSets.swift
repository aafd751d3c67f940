import KubeAPI

/// Which column set prints which resource: the one place that maps resources to printers, as upstream's
/// `AddHandlers` does. Keys are the group-qualified resource names kubectl prints ("pods", "deployments.apps");
/// the version does not matter (every served version of a resource prints alike). Anything not listed gets
/// `DefaultColumns`.
enum TableColumnSets {
    static let byResource: [String: TableColumnSet] = [
        "pods": PodColumns.set,
        "podtemplates": WorkloadColumns.podTemplates,
        "replicationcontrollers": WorkloadColumns.replicationControllers,
        "deployments.apps": WorkloadColumns.deployments,
        "replicasets.apps": WorkloadColumns.replicaSets,
        "statefulsets.apps": WorkloadColumns.statefulSets,
        "daemonsets.apps": WorkloadColumns.daemonSets,
        "controllerrevisions.apps": WorkloadColumns.controllerRevisions,
        "jobs.batch": BatchColumns.jobs,
        "cronjobs.batch": BatchColumns.cronJobs,
        "services": NetworkColumns.services,
        "endpoints": NetworkColumns.endpoints,
        "endpointslices.discovery.k8s.io": NetworkColumns.endpointSlices,
        "ingresses.networking.k8s.io": NetworkColumns.ingresses,
        "ingressclasses.networking.k8s.io": NetworkColumns.ingressClasses,
        "networkpolicies.networking.k8s.io": NetworkColumns.networkPolicies,
        "nodes": ClusterColumns.nodes,
        "namespaces": ClusterColumns.namespaces,
        "componentstatuses": ClusterColumns.componentStatuses,
        "leases.coordination.k8s.io": ClusterColumns.leases,
        "priorityclasses.scheduling.k8s.io": ClusterColumns.priorityClasses,
        "runtimeclasses.node.k8s.io": ClusterColumns.runtimeClasses,
        "certificatesigningrequests.certificates.k8s.io": ClusterColumns.certificateSigningRequests,
        "apiservices.apiregistration.k8s.io": ClusterColumns.apiServices,
        "mutatingwebhookconfigurations.admissionregistration.k8s.io": ClusterColumns.webhookConfigurations,
        "validatingwebhookconfigurations.admissionregistration.k8s.io": ClusterColumns.webhookConfigurations,
        "configmaps": ConfigColumns.configMaps,
        "secrets": ConfigColumns.secrets,
        "serviceaccounts": ConfigColumns.serviceAccounts,
        "resourcequotas": ConfigColumns.resourceQuotas,
        "poddisruptionbudgets.policy": ConfigColumns.podDisruptionBudgets,
        "rolebindings.rbac.authorization.k8s.io": ConfigColumns.bindings("roleBinding"),
        "clusterrolebindings.rbac.authorization.k8s.io": ConfigColumns.bindings("clusterRoleBinding"),
        "events": EventColumns.set(EventColumns.core),
        "events.events.k8s.io": EventColumns.set(EventColumns.eventsAPI),
        "persistentvolumes": StorageColumns.persistentVolumes,
        "persistentvolumeclaims": StorageColumns.persistentVolumeClaims,
        "storageclasses.storage.k8s.io": StorageColumns.storageClasses,
        "csidrivers.storage.k8s.io": StorageColumns.csiDrivers,
        "csinodes.storage.k8s.io": StorageColumns.csiNodes,
        "volumeattachments.storage.k8s.io": StorageColumns.volumeAttachments,
    ]

    /// The column set for a resource, `DefaultColumns` when it has none of its own.
    /// - Parameters:
    ///   - resource: the served resource.
    static func set(for resource: APIResourceInfo) -> TableColumnSet {
        byResource[resource.qualifiedName] ?? DefaultColumns.set
    }
}
