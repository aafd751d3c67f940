/// Column descriptions that upstream takes from API field documentation (`SwaggerDoc()`), shared by several column
/// sets. kubectl never prints them; they are kept close to upstream so a Table reads the same from either server.
enum ColumnDocs {
    /// `ObjectMeta.name`.
    static let name = "Name must be unique within a namespace. Is required when creating resources, although some "
        + "resources may allow a client to request the generation of an appropriate name automatically. Name is "
        + "primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: "
        + "https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names"
    /// `ObjectMeta.creationTimestamp`.
    static let creationTimestamp = "CreationTimestamp is a timestamp representing the server time when this object "
        + "was created. It is not guaranteed to be set in happens-before order across separate operations. Clients "
        + "may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. "
        + "Read-only. Null for lists. More info: "
        + "https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata"
    /// `spec.replicas` of a workload.
    static let replicas = "Replicas is the number of desired replicas. This is a pointer to distinguish between "
        + "explicit zero and unspecified. Defaults to 1."
    /// `status.replicas` of a workload.
    static let statusReplicas = "Replicas is the most recently observed number of replicas."
    /// `status.readyReplicas` of a workload.
    static let readyReplicas = "The number of ready replicas for this replica set."
    /// `spec.selector` of a workload.
    static let selector = "Selector is a label query over pods that should match the replica count. Label keys and "
        + "values that must match in order to be controlled by this replica set. More info: "
        + "https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors"
    /// `PodSpec.nodeSelector`.
    static let nodeSelector = "NodeSelector is a selector which must be true for the pod to fit on a node. Selector "
        + "which must match a node's labels for the pod to be scheduled on that node. More info: "
        + "https://kubernetes.io/docs/concepts/configuration/assign-pod-node/"
    /// `NodeStatus.addresses`.
    static let nodeAddresses = "List of addresses reachable to the node. Queried from cloud provider, if available. "
        + "More info: https://kubernetes.io/docs/reference/node/node-status/#addresses"
}
