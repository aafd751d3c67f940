/// Finds and drops fields the v1.32 schema does not define, which is what upstream's decoder does to a request
/// body: `fieldValidation=Strict` turns the findings into a 400, `Warn` (the default) into `Warning` headers, and
/// `Ignore` drops them silently. Free-form values (`RawExtension`, JSON schema props, maps without a value type)
/// are left alone, as upstream cannot know their fields either.
public enum UnknownFields {
    /// Removes unknown fields from `object` and returns their paths (`spec.foo`, `spec.containers[0].bar`) in
    /// document order.
    /// - Parameters:
    ///   - object: the object to prune in place.
    ///   - type: its schema definition, e.g. from `GeneratedPatchSchema.shared.rootType(...)`.
    public static func prune(_ object: inout JSONValue, type: String, schema: GeneratedPatchSchema = .shared) -> [String] {
        var found: [String] = []
        prune(&object, type: type, path: "", schema: schema, found: &found)
        return found
    }

    private static func prune(_ value: inout JSONValue, type: String, path: String, schema: GeneratedPatchSchema, found: inout [String]) {
        guard case .object(var members) = value, let fields = schema.fields(of: type) else { return }
        for key in members.keys {
            let fieldPath = path.isEmpty ? key : path + "." + key
            guard let info = fields[key] else {
                found.append(fieldPath)
                members[key] = nil
                continue
            }
            guard let element = info.elementType, var child = members[key] else { continue }
            switch info.kind {
            case .object:
                prune(&child, type: element, path: fieldPath, schema: schema, found: &found)
            case .list:
                guard case .array(var items) = child else { continue }
                for index in items.indices {
                    prune(&items[index], type: element, path: "\(fieldPath)[\(index)]", schema: schema, found: &found)
                }
                child = .array(items)
            case .map:
                guard case .object(var entries) = child else { continue }
                for entryKey in entries.keys {
                    guard var entry = entries[entryKey] else { continue }
                    prune(&entry, type: element, path: "\(fieldPath)[\(entryKey)]", schema: schema, found: &found)
                    entries[entryKey] = entry
                }
                child = .object(entries)
            case .scalar:
                continue
            }
            members[key] = child
        }
        value = .object(members)
    }
}
