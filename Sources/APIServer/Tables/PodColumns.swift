import KubeAPI

/// `kubectl get pods`: NAME READY STATUS RESTARTS AGE, wide IP NODE NOMINATED NODE READINESS GATES.
enum PodColumns {
    static let set = TableColumnSet(
        columns: [
            .name,
            TableColumn("Ready", "The aggregate readiness state of this pod for accepting traffic."),
            TableColumn("Status", "The aggregate status of the containers in this pod."),
            TableColumn("Restarts", "The number of times the containers in this pod have been restarted and when the "
                + "last container in this pod has restarted."),
            .age,
            TableColumn("IP", priority: 1, "podIP address allocated to the pod. Routable at least within the "
                + "cluster. Empty if not yet allocated."),
            TableColumn("Node", priority: 1, "NodeName indicates in which node this pod is scheduled. If empty, this "
                + "pod is a candidate for scheduling by the scheduler defined in schedulerName."),
            TableColumn("Nominated Node", priority: 1, "nominatedNodeName is set only when this pod preempts other "
                + "pods on the node, but it cannot be scheduled right away as preemption victims receive their "
                + "graceful termination periods."),
            TableColumn("Readiness Gates", priority: 1, "If specified, all readiness gates will be evaluated for pod "
                + "readiness. A pod is ready when all its containers are ready AND all conditions specified in the "
                + "readiness gates have status equal to \"True\""),
        ],
        row: row)

    /// The row conditions upstream attaches to finished pods (kubectl uses them to tell completed rows apart).
    private static let succeeded: JSONValue = [
        "type": "Completed", "status": "True", "reason": "Succeeded", "message": "The pod has completed successfully.",
    ]
    private static let failed: JSONValue = [
        "type": "Completed", "status": "True", "reason": "Failed", "message": "The pod failed.",
    ]

    static func row(_ pod: JSONValue, _ now: KubeTime) -> TableRowCells {
        let summary = PodSummary(pod)
        var restarts = String(summary.restarts)
        if summary.restarts != 0, let last = summary.lastRestart {
            restarts += " (" + HumanDuration.between(last, now) + " ago)"
        }
        let status = pod["status"]
        let ips = TableCells.array(status?["podIPs"]).compactMap { $0["ip"]?.string }
        let ip = ips.first ?? TableCells.string(status?["podIP"])
        var row = TableRowCells(cells: [
            .string(pod.metadata.name ?? ""),
            .string("\(summary.readyContainers)/\(summary.totalContainers)"),
            .string(summary.reason),
            .string(restarts),
            TableCells.age(pod, now),
            .string(TableCells.orNone(ip)),
            .string(TableCells.orNone(TableCells.string(pod[path: ["spec", "nodeName"]]))),
            .string(TableCells.orNone(TableCells.string(status?["nominatedNodeName"]))),
            .string(readinessGates(pod)),
        ])
        switch status?["phase"]?.string {
        case "Succeeded": row.conditions = [succeeded]
        case "Failed": row.conditions = [failed]
        default: break
        }
        return row
    }

    /// "true/total" over `spec.readinessGates`, counting a gate true when the first pod condition of its type is
    /// "True"; "<none>" without gates.
    static func readinessGates(_ pod: JSONValue) -> String {
        let gates = TableCells.array(pod[path: ["spec", "readinessGates"]])
        guard !gates.isEmpty else { return "<none>" }
        let conditions = TableCells.array(pod[path: ["status", "conditions"]])
        let satisfied = gates.filter { gate in
            let type = gate["conditionType"]?.string
            return conditions.first { $0["type"]?.string == type }?["status"]?.string == "True"
        }
        return "\(satisfied.count)/\(gates.count)"
    }
}
