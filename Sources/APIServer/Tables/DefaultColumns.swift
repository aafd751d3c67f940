import KubeAPI

/// The columns upstream's default table convertor gives every kind without its own printer (roles, cluster roles,
/// limit ranges, custom resources): NAME and CREATED AT, the latter an RFC 3339 `date` that kubectl prints as is.
enum DefaultColumns {
    static let set = TableColumnSet([
        .column(.name) { object, _ in .string(object.metadata.name ?? "") },
        .column(TableColumn("Created At", type: "date", ColumnDocs.creationTimestamp)) { object, _ in
            // A missing timestamp prints as Go's zero time, as upstream formats `time.Time{}`.
            .string(TableCells.time(object[path: ["metadata", "creationTimestamp"]])?.rfc3339 ?? "0001-01-01T00:00:00Z")
        },
    ])
}
