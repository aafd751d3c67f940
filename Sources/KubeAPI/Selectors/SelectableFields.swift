/// The per-kind hook that says which fields a field selector may use and how to read them as strings.
///
/// Upstream every kind supports `metadata.name` and `metadata.namespace`; registries add their own
/// (`spec.nodeName`, `status.phase` for pods, `type` for secrets, ...). A missing field reads as "" so
/// `spec.nodeName=` selects unscheduled pods.
public struct SelectableFields: Sendable {
    private let supportsField: @Sendable (String) -> Bool
    private let read: @Sendable (String, JSONValue) -> String?

    /// A custom hook.
    /// - Parameters:
    ///   - supports: whether a field path is selectable.
    ///   - value: the field's string value in an object, or nil when not selectable.
    public init(supports: @escaping @Sendable (String) -> Bool,
                value: @escaping @Sendable (_ field: String, _ object: JSONValue) -> String?) {
        self.supportsField = supports
        self.read = value
    }

    /// `metadata.name`, `metadata.namespace` plus the given dotted paths, read straight from the object.
    /// - Parameters:
    ///   - paths: extra selectable fields, e.g. ["spec.nodeName", "status.phase"].
    public init(paths: [String]) {
        let allowed = Set(["metadata.name", "metadata.namespace"] + paths)
        self.init(supports: { allowed.contains($0) }) { field, object in
            guard allowed.contains(field) else { return nil }
            return Self.stringValue(object.value(atDottedPath: field))
        }
    }

    /// Only `metadata.name` and `metadata.namespace`, which every kind supports.
    public static var metadataOnly: SelectableFields { SelectableFields(paths: []) }

    /// Whether a field path is selectable.
    /// - Parameters:
    ///   - field: the path.
    public func supports(_ field: String) -> Bool { supportsField(field) }

    /// The field's value as a selector compares it; nil when not selectable.
    /// - Parameters:
    ///   - field: the path.
    ///   - object: the object.
    public func value(_ field: String, _ object: JSONValue) -> String? { read(field, object) }

    /// How upstream renders scalar fields for selection: strings as is, booleans "true"/"false", integers in
    /// decimal, absent or null as "".
    /// - Parameters:
    ///   - value: the field value.
    public static func stringValue(_ value: JSONValue?) -> String {
        switch value {
        case .string(let s): s
        case .bool(let b): b ? "true" : "false"
        case .integer(let i): String(i)
        case .bigInteger(let s): s
        case .float(let d): JSONSerializer.formatFloat(d)
        default: ""
        }
    }
}
