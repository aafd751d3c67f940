import KubeAPI

/// Configuration and identity kinds: config maps, secrets, service accounts, resource quotas, pod disruption
/// budgets and RBAC bindings.
enum ConfigColumns {
    private static let name: TableCellFunction = { object, _ in .string(object.metadata.name ?? "") }
    private static let age: TableCellFunction = { object, now in TableCells.age(object, now) }

    /// NAME DATA AGE; DATA counts `data` and `binaryData` keys.
    static let configMaps = TableColumnSet([
        .column(.name, name),
        .column(TableColumn("Data", "Data contains the configuration data.")) { object, _ in
            .integer(Int64(TableCells.count(object["data"]) + TableCells.count(object["binaryData"])))
        },
        .column(.age, age),
    ])

    /// NAME TYPE DATA AGE.
    static let secrets = TableColumnSet([
        .column(.name, name),
        .column(TableColumn("Type", "Used to facilitate programmatic handling of secret data.")) { object, _ in
            let type = TableCells.string(object["type"])
            return .string(type.isEmpty ? "Opaque" : type)
        },
        .column(TableColumn("Data", "Data contains the secret data.")) { object, _ in
            // Upstream merges stringData into data before storing; count the union so an object stored without that
            // merge still reads the same.
            let keys = Set((object["data"]?.object?.keys).map(Array.init) ?? [])
                .union((object["stringData"]?.object?.keys).map(Array.init) ?? [])
            return .integer(Int64(keys.count))
        },
        .column(.age, age),
    ])

    /// NAME SECRETS AGE.
    static let serviceAccounts = TableColumnSet([
        .column(.name, name),
        .column(TableColumn("Secrets", "Secrets is a list of the secrets in the same namespace that pods running "
            + "using this ServiceAccount are allowed to use.")) { object, _ in
            .integer(Int64(TableCells.array(object["secrets"]).count))
        },
        .column(.age, age),
    ])

    /// NAME REQUEST LIMIT AGE: "resource: used/hard" pairs, sorted by resource name, limits.* in LIMIT.
    static let resourceQuotas = TableColumnSet([
        .column(.name, name),
        .column(TableColumn("Request", "Request represents a minimum amount of cpu/memory that a container may "
            + "consume.")) { object, _ in
            .string(quotaUsage(object, limits: false))
        },
        .column(TableColumn("Limit", "Limits control the maximum amount of cpu/memory that a container may use "
            + "independent of contention on the node.")) { object, _ in .string(quotaUsage(object, limits: true)) },
        .column(.age, age),
    ])

    /// NAME MIN AVAILABLE MAX UNAVAILABLE ALLOWED DISRUPTIONS AGE.
    static let podDisruptionBudgets = TableColumnSet([
        .column(.name, name),
        .column(TableColumn("Min Available", "The minimum number of pods that must be available.")) { object, _ in
            .string(object[path: ["spec", "minAvailable"]].map(TableCells.intOrString) ?? "N/A")
        },
        .column(TableColumn("Max Unavailable", "The maximum number of pods that may be unavailable.")) { object, _ in
            .string(object[path: ["spec", "maxUnavailable"]].map(TableCells.intOrString) ?? "N/A")
        },
        .column(TableColumn("Allowed Disruptions", type: "integer", "Calculated number of pods that may be disrupted "
            + "at this time.")) { object, _ in
            .integer(TableCells.integer(object[path: ["status", "disruptionsAllowed"]]))
        },
        .column(.age, age),
    ])

    /// NAME ROLE AGE, wide USERS GROUPS SERVICEACCOUNTS; shared by role bindings and cluster role bindings.
    static func bindings(_ noun: String) -> TableColumnSet {
        TableColumnSet([
            .column(.name, name),
            .column(TableColumn("Role", "RoleRef can reference a Role in the current namespace or a ClusterRole in "
                + "the global namespace.")) { object, _ in
                .string(TableCells.string(object[path: ["roleRef", "kind"]]) + "/" + TableCells.string(object[path: ["roleRef", "name"]]))
            },
            .column(.age, age),
            .column(TableColumn("Users", priority: 1, "Users in the \(noun)"), subjects("User")),
            .column(TableColumn("Groups", priority: 1, "Groups in the \(noun)"), subjects("Group")),
            .column(TableColumn("ServiceAccounts", priority: 1, "ServiceAccounts in the \(noun)"), subjects("ServiceAccount")),
        ])
    }

    /// The subjects of one kind, ", "-joined: names for users and groups, "namespace/name" for service accounts.
    private static func subjects(_ kind: String) -> TableCellFunction {
        { object, _ in
            let matching = TableCells.array(object["subjects"]).filter { $0["kind"]?.string == kind }
            let names = matching.map { subject in
                let name = TableCells.string(subject["name"])
                return kind == "ServiceAccount" ? TableCells.string(subject["namespace"]) + "/" + name : name
            }
            return .string(names.joined(separator: ", "))
        }
    }

    /// "resource: used/hard" for every resource in `status.hard`, sorted by name; `limits.*` resources go to the
    /// LIMIT column, the rest to REQUEST.
    static func quotaUsage(_ quota: JSONValue, limits: Bool) -> String {
        let hard = quota[path: ["status", "hard"]]?.object ?? [:]
        let used = quota[path: ["status", "used"]]
        let entries = hard.keys.sorted().filter { resource in
            let pieces = resource.split(separator: ".", omittingEmptySubsequences: false)
            return (pieces.count > 1 && pieces[0] == "limits") == limits
        }.map { resource in
            "\(resource): \(TableCells.quantity(used?[resource]))/\(TableCells.quantity(hard[resource]))"
        }
        return entries.joined(separator: ", ")
    }
}
