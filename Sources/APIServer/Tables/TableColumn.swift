import KubeAPI

/// One column of a `meta.k8s.io/v1` Table, as `columnDefinitions` lists it.
///
/// kubectl prints the upper-cased `name` as the header, hides `priority` 1 columns unless `-o wide`, and prefixes
/// cells of the `format: "name"` column with `kind/` when one `get` spans several resource types.
struct TableColumn: Sendable, Hashable {
    /// The header text, e.g. "Ready" (kubectl upper-cases it).
    let name: String
    /// The OpenAPI type of the cells: "string", "integer", "boolean", "number" or "date".
    let type: String
    /// "name" on the object-name column, else "".
    let format: String
    /// What the column shows (upstream uses the field's API documentation).
    let description: String
    /// 0 = always shown, 1 = shown only with `-o wide`.
    let priority: Int

    /// Creates a column.
    /// - Parameters:
    ///   - name: the header text.
    ///   - type: the cell type.
    ///   - format: "name" for the name column.
    ///   - priority: 1 for wide-only columns.
    ///   - description: what the column shows.
    init(_ name: String, type: String = "string", format: String = "", priority: Int = 0, _ description: String) {
        self.name = name
        self.type = type
        self.format = format
        self.description = description
        self.priority = priority
    }

    /// The `TableColumnDefinition` JSON; every member is present, as upstream serialises it.
    var json: JSONValue {
        ["name": .string(name), "type": .string(type), "format": .string(format),
         "description": .string(description), "priority": .integer(Int64(priority))]
    }
}

extension TableColumn {
    /// The object-name column every upstream column set starts with.
    static let name = TableColumn("Name", format: "name", ColumnDocs.name)
    /// The object-name column shown only with `-o wide` (events print the involved object instead).
    static let wideName = TableColumn("Name", format: "name", priority: 1, ColumnDocs.name)
    /// "Age": time since `metadata.creationTimestamp`, e.g. "5m".
    static let age = TableColumn("Age", ColumnDocs.creationTimestamp)
    /// Wide "Containers" of a workload's pod template.
    static let containers = TableColumn("Containers", priority: 1, "Names of each container in the template.")
    /// Wide "Images" of a workload's pod template.
    static let images = TableColumn("Images", priority: 1, "Images referenced by each container in the template.")
}
