import KubeAPI

/// Cluster-level kinds: nodes, namespaces, leases, priority and runtime classes, certificate signing requests,
/// component statuses, API services and admission webhook configurations.
enum ClusterColumns {
    private static let name: TableCellFunction = { object, _ in .string(object.metadata.name ?? "") }
    private static let age: TableCellFunction = { object, now in TableCells.age(object, now) }

    /// NAME STATUS ROLES AGE VERSION, wide INTERNAL-IP EXTERNAL-IP OS-IMAGE KERNEL-VERSION CONTAINER-RUNTIME.
    static let nodes = TableColumnSet([
        .column(.name, name),
        .column(TableColumn("Status", "The status of the node")) { object, _ in .string(nodeStatus(object)) },
        .column(TableColumn("Roles", "The roles of the node")) { object, _ in
            .string(TableCells.orNone(nodeRoles(object).joined(separator: ",")))
        },
        .column(.age, age),
        .column(TableColumn("Version", "Kubelet Version reported by the node.")) { object, _ in
            .string(TableCells.string(object[path: ["status", "nodeInfo", "kubeletVersion"]]))
        },
        .column(TableColumn("Internal-IP", priority: 1, ColumnDocs.nodeAddresses)) { object, _ in
            .string(nodeAddress(object, type: "InternalIP"))
        },
        .column(TableColumn("External-IP", priority: 1, ColumnDocs.nodeAddresses)) { object, _ in
            .string(nodeAddress(object, type: "ExternalIP"))
        },
        .column(TableColumn("OS-Image", priority: 1, "OS Image reported by the node from /etc/os-release (e.g. "
            + "Debian GNU/Linux 7 (wheezy))."), nodeInfo("osImage")),
        .column(TableColumn("Kernel-Version", priority: 1, "Kernel Version reported by the node from 'uname -r' "
            + "(e.g. 3.16.0-0.bpo.4-amd64)."), nodeInfo("kernelVersion")),
        .column(TableColumn("Container-Runtime", priority: 1, "ContainerRuntime Version reported by the node through "
            + "runtime remote API (e.g. containerd://1.4.2)."), nodeInfo("containerRuntimeVersion")),
    ])

    /// NAME STATUS AGE.
    static let namespaces = TableColumnSet([
        .column(.name, name),
        .column(TableColumn("Status", "The status of the namespace")) { object, _ in
            .string(TableCells.string(object[path: ["status", "phase"]]))
        },
        .column(.age, age),
    ])

    /// NAME HOLDER AGE.
    static let leases = TableColumnSet([
        .column(.name, name),
        .column(TableColumn("Holder", "holderIdentity contains the identity of the holder of a current lease.")) { object, _ in
            .string(TableCells.string(object[path: ["spec", "holderIdentity"]]))
        },
        .column(.age, age),
    ])

    /// NAME VALUE GLOBAL-DEFAULT AGE PREEMPTIONPOLICY.
    static let priorityClasses = TableColumnSet([
        .column(.name, name),
        .column(TableColumn("Value", type: "integer", "value represents the integer value of this priority class.")) { object, _ in
            .integer(TableCells.integer(object["value"]))
        },
        .column(TableColumn("Global-Default", type: "boolean", "globalDefault specifies whether this PriorityClass "
            + "should be considered as the default priority for pods that do not have any priority class.")) { object, _ in
            .bool(object["globalDefault"]?.bool ?? false)
        },
        .column(.age, age),
        .column(TableColumn("PreemptionPolicy", "preemptionPolicy is the Policy for preempting pods with lower "
            + "priority.")) { object, _ in
            .string(TableCells.string(object["preemptionPolicy"]))
        },
    ])

    /// NAME HANDLER AGE.
    static let runtimeClasses = TableColumnSet([
        .column(.name, name),
        .column(TableColumn("Handler", "handler specifies the underlying runtime and configuration that the CRI "
            + "implementation will use to handle pods of this class.")) { object, _ in
            .string(TableCells.string(object["handler"]))
        },
        .column(.age, age),
    ])

    /// NAME AGE SIGNERNAME REQUESTOR REQUESTEDDURATION CONDITION.
    static let certificateSigningRequests = TableColumnSet([
        .column(.name, name),
        .column(.age, age),
        .column(TableColumn("SignerName", "signerName indicates the requested signer, and is a qualified name.")) { object, _ in
            .string(TableCells.orNone(TableCells.string(object[path: ["spec", "signerName"]])))
        },
        .column(TableColumn("Requestor", "username contains the name of the user that created the "
            + "CertificateSigningRequest.")) { object, _ in
            .string(TableCells.string(object[path: ["spec", "username"]]))
        },
        .column(TableColumn("RequestedDuration", "expirationSeconds is the requested duration of validity of the "
            + "issued certificate.")) { object, _ in
            guard let seconds = object[path: ["spec", "expirationSeconds"]]?.int64 else { return "<none>" }
            let (nanoseconds, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
            return .string(HumanDuration.format(nanoseconds: overflow ? .max : nanoseconds))
        },
        .column(TableColumn("Condition", "conditions applied to the request. Known conditions are \"Approved\", "
            + "\"Denied\", and \"Failed\".")) { object, _ in .string(csrCondition(object)) },
    ])

    /// NAME STATUS MESSAGE ERROR.
    static let componentStatuses = TableColumnSet([
        .column(.name, name),
        .column(TableColumn("Status", "Status of the component conditions")) { object, _ in
            guard let healthy = healthyCondition(object) else { return "Unknown" }
            return healthy["status"]?.string == "True" ? "Healthy" : "Unhealthy"
        },
        .column(TableColumn("Message", "Message of the component conditions")) { object, _ in
            .string(TableCells.string(healthyCondition(object)?["message"]))
        },
        .column(TableColumn("Error", "Error of the component conditions")) { object, _ in
            .string(TableCells.string(healthyCondition(object)?["error"]))
        },
    ])

    /// NAME SERVICE AVAILABLE AGE (the aggregator's own columns).
    static let apiServices = TableColumnSet([
        .column(.name, name),
        .column(TableColumn("Service", "The reference to the service that hosts this API endpoint.")) { object, _ in
            guard let service = object[path: ["spec", "service"]], !service.isNull else { return "Local" }
            return .string(TableCells.string(service["namespace"]) + "/" + TableCells.string(service["name"]))
        },
        .column(TableColumn("Available", "Whether this service is available.")) { object, _ in
            let conditions = TableCells.array(object[path: ["status", "conditions"]])
            guard let available = conditions.first(where: { $0["type"]?.string == "Available" }) else { return "Unknown" }
            let status = TableCells.string(available["status"])
            let reason = TableCells.string(available["reason"])
            return .string(status == "True" || reason.isEmpty ? status : "\(status) (\(reason))")
        },
        .column(.age, age),
    ])

    /// NAME WEBHOOKS AGE, for both mutating and validating configurations.
    static let webhookConfigurations = TableColumnSet([
        .column(.name, name),
        .column(TableColumn("Webhooks", type: "integer", "Webhooks indicates the number of webhooks registered in "
            + "this configuration")) { object, _ in .integer(Int64(TableCells.array(object["webhooks"]).count)) },
        .column(.age, age),
    ])

    /// "Ready" or "NotReady" from the Ready condition ("Unknown" without one), plus ",SchedulingDisabled" when
    /// cordoned.
    static func nodeStatus(_ node: JSONValue) -> String {
        let conditions = TableCells.array(node[path: ["status", "conditions"]])
        // Upstream indexes conditions by type, so a repeated type resolves to the last entry.
        var status = ["Unknown"]
        if let ready = conditions.last(where: { $0["type"]?.string == "Ready" }) {
            status = [ready["status"]?.string == "True" ? "Ready" : "NotReady"]
        }
        if node[path: ["spec", "unschedulable"]]?.bool == true { status.append("SchedulingDisabled") }
        return status.joined(separator: ",")
    }

    /// Roles from `node-role.kubernetes.io/<role>` label keys and `kubernetes.io/role` values, sorted, unique.
    static func nodeRoles(_ node: JSONValue) -> [String] {
        let prefix = "node-role.kubernetes.io/"
        var roles = Set<String>()
        for (key, value) in node.metadata.labels {
            if key.hasPrefix(prefix) {
                let role = String(key.dropFirst(prefix.count))
                if !role.isEmpty { roles.insert(role) }
            } else if key == "kubernetes.io/role" && !value.isEmpty {
                roles.insert(value)
            }
        }
        return roles.sorted()
    }

    /// The first address of a type, "<none>" without one.
    static func nodeAddress(_ node: JSONValue, type: String) -> String {
        TableCells.array(node[path: ["status", "addresses"]]).first { $0["type"]?.string == type }?["address"]?.string
            ?? "<none>"
    }

    private static func nodeInfo(_ field: String) -> TableCellFunction {
        { object, _ in
            let value = TableCells.string(object[path: ["status", "nodeInfo", field]])
            return .string(value.isEmpty ? "<unknown>" : value)
        }
    }

    /// Denied, Approved or Pending (in that precedence), then ",Failed" and ",Issued" when they apply. Upstream looks
    /// at condition types only, not their status.
    static func csrCondition(_ csr: JSONValue) -> String {
        let types = Set(TableCells.array(csr[path: ["status", "conditions"]]).compactMap { $0["type"]?.string })
        var status = types.contains("Denied") ? "Denied" : types.contains("Approved") ? "Approved" : "Pending"
        if types.contains("Failed") { status += ",Failed" }
        if !TableCells.string(csr[path: ["status", "certificate"]]).isEmpty { status += ",Issued" }
        return status
    }

    private static func healthyCondition(_ object: JSONValue) -> JSONValue? {
        TableCells.array(object["conditions"]).first { $0["type"]?.string == "Healthy" }
    }
}
