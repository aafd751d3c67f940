import KubeAPI

/// The apps group and its core ancestors: deployments, replica sets, stateful sets, daemon sets, controller
/// revisions, replication controllers and pod templates.
enum WorkloadColumns {
    /// `spec.replicas`, which defaulting sets to 1 when a client leaves it out.
    private static func desired(_ object: JSONValue) -> Int64 { object[path: ["spec", "replicas"]]?.int64 ?? 1 }
    private static func status(_ object: JSONValue, _ field: String) -> Int64 {
        TableCells.integer(object[path: ["status", field]])
    }
    private static func template(_ object: JSONValue) -> JSONValue? { object[path: ["spec", "template", "spec"]] }
    private static let name: TableCellFunction = { object, _ in .string(object.metadata.name ?? "") }
    private static let age: TableCellFunction = { object, now in TableCells.age(object, now) }
    private static let containerNames: TableCellFunction = { object, _ in
        .string(TableCells.containers(template(object)).names)
    }
    private static let containerImages: TableCellFunction = { object, _ in
        .string(TableCells.containers(template(object)).images)
    }
    private static let desiredCount: TableCellFunction = { object, _ in .integer(desired(object)) }
    /// An integer cell read from `status.<field>`.
    private static func statusCount(_ field: String) -> TableCellFunction {
        { object, _ in .integer(status(object, field)) }
    }
    private static let selector: TableCellFunction = { object, _ in
        .string(TableCells.labelSelector(object[path: ["spec", "selector"]]))
    }

    /// NAME READY UP-TO-DATE AVAILABLE AGE, wide CONTAINERS IMAGES SELECTOR.
    static let deployments = TableColumnSet([
        .column(.name, name),
        .column(TableColumn("Ready", "Number of the pod with ready state")) { object, _ in
            .string("\(status(object, "readyReplicas"))/\(desired(object))")
        },
        .column(TableColumn("Up-to-date", "Total number of non-terminated pods targeted by this deployment that have "
            + "the desired template spec."), statusCount("updatedReplicas")),
        .column(TableColumn("Available", "Total number of available pods (ready for at least minReadySeconds) "
            + "targeted by this deployment."), statusCount("availableReplicas")),
        .column(.age, age),
        .column(.containers, containerNames),
        .column(.images, containerImages),
        // Upstream prints the selector's string form here, "" for an empty one and "<invalid>" for a bad one.
        .column(TableColumn("Selector", priority: 1, "Label selector for pods. Existing ReplicaSets whose pods are "
            + "selected by this will be the ones affected by this deployment.")) { object, _ in
            guard let parsed = try? LabelSelector(apiSelector: object[path: ["spec", "selector"]]) else {
                return "<invalid>"
            }
            return .string(parsed.description)
        },
    ])

    /// NAME DESIRED CURRENT READY AGE, wide CONTAINERS IMAGES SELECTOR.
    static let replicaSets = replicaCounting(selector: selector)

    /// The same columns for replication controllers, whose selector is a plain map (formatted as labels).
    static let replicationControllers = replicaCounting { object, _ in
        .string(TableCells.labels(object[path: ["spec", "selector"]]))
    }

    /// The replica-counting column set shared by replica sets and replication controllers.
    private static func replicaCounting(selector: @escaping TableCellFunction) -> TableColumnSet {
        TableColumnSet([
            .column(.name, name),
            .column(TableColumn("Desired", type: "integer", ColumnDocs.replicas), desiredCount),
            .column(TableColumn("Current", type: "integer", ColumnDocs.statusReplicas), statusCount("replicas")),
            .column(TableColumn("Ready", type: "integer", ColumnDocs.readyReplicas), statusCount("readyReplicas")),
            .column(.age, age),
            .column(.containers, containerNames),
            .column(.images, containerImages),
            .column(TableColumn("Selector", priority: 1, ColumnDocs.selector), selector),
        ])
    }

    /// NAME READY AGE, wide CONTAINERS IMAGES.
    static let statefulSets = TableColumnSet([
        .column(.name, name),
        .column(TableColumn("Ready", "Number of the pod with ready state")) { object, _ in
            .string("\(status(object, "readyReplicas"))/\(desired(object))")
        },
        .column(.age, age),
        .column(.containers, containerNames),
        .column(.images, containerImages),
    ])

    /// NAME DESIRED CURRENT READY UP-TO-DATE AVAILABLE NODE SELECTOR AGE, wide CONTAINERS IMAGES SELECTOR.
    static let daemonSets = TableColumnSet([
        .column(.name, name),
        .column(TableColumn("Desired", type: "integer", "The total number of nodes that should be running the daemon "
            + "pod (including nodes correctly running the daemon pod)."), statusCount("desiredNumberScheduled")),
        .column(TableColumn("Current", type: "integer", "The number of nodes that are running at least 1 daemon pod "
            + "and are supposed to run the daemon pod."), statusCount("currentNumberScheduled")),
        .column(TableColumn("Ready", type: "integer", "The number of nodes that should be running the daemon pod and "
            + "have one or more of the daemon pod running and ready."), statusCount("numberReady")),
        .column(TableColumn("Up-to-date", type: "integer", "The total number of nodes that are running updated "
            + "daemon pod"), statusCount("updatedNumberScheduled")),
        .column(TableColumn("Available", type: "integer", "The number of nodes that should be running the daemon pod "
            + "and have one or more of the daemon pod running and available (ready for at least "
            + "spec.minReadySeconds)"), statusCount("numberAvailable")),
        .column(TableColumn("Node Selector", ColumnDocs.nodeSelector)) { object, _ in
            .string(TableCells.labels(template(object)?["nodeSelector"]))
        },
        .column(.age, age),
        .column(.containers, containerNames),
        .column(.images, containerImages),
        .column(TableColumn("Selector", priority: 1, "A label query over pods that are managed by the daemon set."), selector),
    ])

    /// NAME CONTROLLER REVISION AGE; CONTROLLER is "kind.group/name" of the controlling owner.
    static let controllerRevisions = TableColumnSet([
        .column(.name, name),
        .column(TableColumn("Controller", "Controller of the object")) { object, _ in .string(controllerName(object)) },
        .column(TableColumn("Revision", "Revision indicates the revision of the state represented by Data.")) { object, _ in
            .integer(TableCells.integer(object["revision"]))
        },
        .column(.age, age),
    ])

    /// NAME CONTAINERS IMAGES POD LABELS.
    static let podTemplates = TableColumnSet([
        .column(.name, name),
        .column(TableColumn("Containers", "Names of each container in the template.")) { object, _ in
            .string(TableCells.containers(object[path: ["template", "spec"]]).names)
        },
        .column(TableColumn("Images", "Images referenced by each container in the template.")) { object, _ in
            .string(TableCells.containers(object[path: ["template", "spec"]]).images)
        },
        .column(TableColumn("Pod Labels", "The labels for the pod template.")) { object, _ in
            .string(TableCells.labels(object[path: ["template", "metadata", "labels"]]))
        },
    ])

    /// "daemonset.apps/name" for the controlling owner reference (lower-cased kind, dot, group), "<none>" without one.
    static func controllerName(_ object: JSONValue) -> String {
        guard let owner = object.metadata.ownerReferences.first(where: { $0.controller == true }) else { return "<none>" }
        let slash = owner.apiVersion.firstIndex(of: "/")
        let group = slash.map { String(owner.apiVersion[..<$0]) } ?? ""
        let groupKind = group.isEmpty ? owner.kind : owner.kind + "." + group
        return groupKind.isEmpty ? owner.name : groupKind.lowercased() + "/" + owner.name
    }
}
