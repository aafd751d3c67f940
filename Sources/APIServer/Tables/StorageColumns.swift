import KubeAPI

/// Persistent volumes and claims, storage classes, CSI drivers and nodes, volume attachments.
enum StorageColumns {
    private static let name: TableCellFunction = { object, _ in .string(object.metadata.name ?? "") }
    private static let age: TableCellFunction = { object, now in TableCells.age(object, now) }
    /// The legacy annotation that takes precedence over `storageClassName`.
    private static let betaStorageClass = "volume.beta.kubernetes.io/storage-class"

    /// NAME CAPACITY ACCESS MODES RECLAIM POLICY STATUS CLAIM STORAGECLASS VOLUMEATTRIBUTESCLASS REASON AGE,
    /// wide VOLUMEMODE.
    static let persistentVolumes = TableColumnSet([
        .column(.name, name),
        .column(TableColumn("Capacity", "capacity is the description of the persistent volume's resources and "
            + "capacity.")) { object, _ in
            .string(TableCells.quantity(object[path: ["spec", "capacity", "storage"]]))
        },
        .column(TableColumn("Access Modes", "accessModes contains all ways the volume can be mounted.")) { object, _ in
            .string(accessModes(object[path: ["spec", "accessModes"]]))
        },
        .column(TableColumn("Reclaim Policy", "persistentVolumeReclaimPolicy defines what happens to a persistent "
            + "volume when released from its claim.")) { object, _ in
            .string(TableCells.string(object[path: ["spec", "persistentVolumeReclaimPolicy"]]))
        },
        .column(TableColumn("Status", "phase indicates if a volume is available, bound to a claim, or released by a "
            + "claim.")) { object, _ in
            .string(object.metadata.isBeingDeleted ? "Terminating" : TableCells.string(object[path: ["status", "phase"]]))
        },
        .column(TableColumn("Claim", "claimRef is part of a bi-directional binding between PersistentVolume and "
            + "PersistentVolumeClaim.")) { object, _ in
            guard let claim = object[path: ["spec", "claimRef"]], !claim.isNull else { return "" }
            return .string(TableCells.string(claim["namespace"]) + "/" + TableCells.string(claim["name"]))
        },
        .column(TableColumn("StorageClass", "StorageClass of the pv")) { object, _ in .string(storageClass(object)) },
        .column(TableColumn("VolumeAttributesClass", "VolumeAttributesClass of the pv"), volumeAttributesClass),
        .column(TableColumn("Reason", "reason is a brief CamelCase string that describes any failure and is meant "
            + "for machine parsing and tidy display in the CLI.")) { object, _ in
            .string(TableCells.string(object[path: ["status", "reason"]]))
        },
        .column(.age, age),
        .column(TableColumn("VolumeMode", priority: 1, "volumeMode defines if a volume is intended to be used with a "
            + "formatted filesystem or to remain in raw block state."), volumeMode),
    ])

    /// NAME STATUS VOLUME CAPACITY ACCESS MODES STORAGECLASS VOLUMEATTRIBUTESCLASS AGE, wide VOLUMEMODE. Capacity
    /// and access modes come from status and show only once the claim is bound to a volume.
    static let persistentVolumeClaims = TableColumnSet([
        .column(.name, name),
        .column(TableColumn("Status", "phase represents the current phase of PersistentVolumeClaim.")) { object, _ in
            .string(object.metadata.isBeingDeleted ? "Terminating" : TableCells.string(object[path: ["status", "phase"]]))
        },
        .column(TableColumn("Volume", "volumeName is the binding reference to the PersistentVolume backing this "
            + "claim.")) { object, _ in
            .string(TableCells.string(object[path: ["spec", "volumeName"]]))
        },
        .column(TableColumn("Capacity", "capacity represents the actual resources of the underlying volume.")) { object, _ in
            guard isBound(object) else { return "" }
            return .string(TableCells.quantity(object[path: ["status", "capacity", "storage"]]))
        },
        .column(TableColumn("Access Modes", "accessModes contains the actual access modes the volume backing the PVC "
            + "has.")) { object, _ in
            .string(isBound(object) ? accessModes(object[path: ["status", "accessModes"]]) : "")
        },
        .column(TableColumn("StorageClass", "StorageClass of the pvc")) { object, _ in .string(storageClass(object)) },
        .column(TableColumn("VolumeAttributesClass", "VolumeAttributesClass of the pvc"), volumeAttributesClass),
        .column(.age, age),
        .column(TableColumn("VolumeMode", priority: 1, "volumeMode defines what type of volume is required by the "
            + "claim."), volumeMode),
    ])

    /// NAME PROVISIONER RECLAIMPOLICY VOLUMEBINDINGMODE ALLOWVOLUMEEXPANSION AGE; the default class's name carries
    /// " (default)".
    static let storageClasses = TableColumnSet([
        .column(.name) { object, _ in
            let annotations = object.metadata.annotations
            let isDefault = annotations["storageclass.kubernetes.io/is-default-class"] == "true"
                || annotations["storageclass.beta.kubernetes.io/is-default-class"] == "true"
            return .string((object.metadata.name ?? "") + (isDefault ? " (default)" : ""))
        },
        .column(TableColumn("Provisioner", "provisioner indicates the type of the provisioner.")) { object, _ in
            .string(TableCells.string(object["provisioner"]))
        },
        .column(TableColumn("ReclaimPolicy", "reclaimPolicy controls the reclaimPolicy for dynamically provisioned "
            + "PersistentVolumes of this storage class. Defaults to Delete.")) { object, _ in
            .string(object["reclaimPolicy"]?.string ?? "Delete")
        },
        .column(TableColumn("VolumeBindingMode", "volumeBindingMode indicates how PersistentVolumeClaims should be "
            + "provisioned and bound.")) { object, _ in .string(object["volumeBindingMode"]?.string ?? "Immediate") },
        .column(TableColumn("AllowVolumeExpansion", "allowVolumeExpansion shows whether the storage class allow "
            + "volume expand.")) { object, _ in .bool(object["allowVolumeExpansion"]?.bool ?? false) },
        .column(.age, age),
    ])

    /// NAME ATTACHREQUIRED PODINFOONMOUNT STORAGECAPACITY TOKENREQUESTS REQUIRESREPUBLISH MODES AGE.
    static let csiDrivers = TableColumnSet([
        .column(.name, name),
        .column(TableColumn("AttachRequired", type: "boolean", "attachRequired indicates this CSI volume driver "
            + "requires an attach operation.")) { object, _ in .bool(object[path: ["spec", "attachRequired"]]?.bool ?? true) },
        .column(TableColumn("PodInfoOnMount", type: "boolean", "podInfoOnMount indicates this CSI volume driver "
            + "requires additional pod information (like podName, podUID, etc.) during mount operations.")) { object, _ in
            .bool(object[path: ["spec", "podInfoOnMount"]]?.bool ?? false)
        },
        .column(TableColumn("StorageCapacity", type: "boolean", "storageCapacity indicates that the CSI volume "
            + "driver wants pod scheduling to consider the storage capacity that the driver deployment will report.")) { object, _ in
            .bool(object[path: ["spec", "storageCapacity"]]?.bool ?? false)
        },
        .column(TableColumn("TokenRequests", "tokenRequests indicates the CSI driver needs pods' service account "
            + "tokens it is mounting volume for to do necessary authentication.")) { object, _ in
            guard let requests = object[path: ["spec", "tokenRequests"]]?.array else { return "<unset>" }
            return .string(requests.map { TableCells.string($0["audience"]) }.joined(separator: ","))
        },
        .column(TableColumn("RequiresRepublish", type: "boolean", "requiresRepublish indicates the CSI driver wants "
            + "NodePublishVolume being periodically called to reflect any possible change in the mounted volume.")) { object, _ in
            .bool(object[path: ["spec", "requiresRepublish"]]?.bool ?? false)
        },
        .column(TableColumn("Modes", "volumeLifecycleModes defines what kind of volumes this CSI volume driver "
            + "supports.")) { object, _ in
            let modes = TableCells.array(object[path: ["spec", "volumeLifecycleModes"]]).compactMap(\.string)
            return .string(TableCells.orNone(modes.joined(separator: ",")))
        },
        .column(.age, age),
    ])

    /// NAME DRIVERS AGE.
    static let csiNodes = TableColumnSet([
        .column(.name, name),
        .column(TableColumn("Drivers", type: "integer", "Drivers indicates the number of CSI drivers registered on "
            + "the node")) { object, _ in
            .integer(Int64(TableCells.array(object[path: ["spec", "drivers"]]).count))
        },
        .column(.age, age),
    ])

    /// NAME ATTACHER PV NODE ATTACHED AGE.
    static let volumeAttachments = TableColumnSet([
        .column(.name, name),
        .column(TableColumn("Attacher", format: "name", "attacher indicates the name of the volume driver that MUST "
            + "handle this request.")) { object, _ in .string(TableCells.string(object[path: ["spec", "attacher"]])) },
        .column(TableColumn("PV", "persistentVolumeName represents the name of the persistent volume to attach.")) { object, _ in
            .string(TableCells.string(object[path: ["spec", "source", "persistentVolumeName"]]))
        },
        .column(TableColumn("Node", "nodeName represents the node that the volume should be attached to.")) { object, _ in
            .string(TableCells.string(object[path: ["spec", "nodeName"]]))
        },
        .column(TableColumn("Attached", type: "boolean", "attached indicates the volume is successfully attached.")) { object, _ in
            .bool(object[path: ["status", "attached"]]?.bool ?? false)
        },
        .column(.age, age),
    ])

    /// "RWO,ROX,RWX,RWOP" in that fixed order, whatever order and repeats the object lists.
    static func accessModes(_ modes: JSONValue?) -> String {
        let present = Set(TableCells.array(modes).compactMap(\.string))
        let order: [(mode: String, short: String)] = [
            ("ReadWriteOnce", "RWO"), ("ReadOnlyMany", "ROX"), ("ReadWriteMany", "RWX"), ("ReadWriteOncePod", "RWOP"),
        ]
        return order.filter { present.contains($0.mode) }.map(\.short).joined(separator: ",")
    }

    /// The beta storage-class annotation when present, else `spec.storageClassName`, else "".
    private static func storageClass(_ object: JSONValue) -> String {
        if let annotated = object.metadata.annotations[betaStorageClass] { return annotated }
        return TableCells.string(object[path: ["spec", "storageClassName"]])
    }

    private static func isBound(_ claim: JSONValue) -> Bool {
        !TableCells.string(claim[path: ["spec", "volumeName"]]).isEmpty
    }

    private static let volumeAttributesClass: TableCellFunction = { object, _ in
        .string(object[path: ["spec", "volumeAttributesClassName"]]?.string ?? "<unset>")
    }

    private static let volumeMode: TableCellFunction = { object, _ in
        .string(object[path: ["spec", "volumeMode"]]?.string ?? "<unset>")
    }
}
