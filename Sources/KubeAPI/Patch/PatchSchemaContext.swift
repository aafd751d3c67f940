/// Where the patch engine stands in the schema while it walks an object: the definition of the current object
/// (e.g. "io.k8s.api.core.v1.PodSpec"), or the value type of a free-form map such as `labels`.
///
/// Unknown places (no schema, unknown field, `x-kubernetes-preserve-unknown-fields`) have no type, so their maps
/// merge and their lists are replaced, which is also what upstream does for fields without patch metadata.
struct PatchSchemaContext {
    let schema: (any PatchSchema)?
    let type: String?
    /// True when `type` is the value type of a map, so any key leads to a value of that type.
    let isMapValues: Bool

    static func root(_ schema: (any PatchSchema)?, type: String?) -> PatchSchemaContext {
        PatchSchemaContext(schema: schema, type: type, isMapValues: false)
    }

    /// Patch metadata of a member.
    func info(_ field: String) -> FieldPatchInfo? {
        guard let type else { return nil }
        if isMapValues { return FieldPatchInfo(kind: .object, elementType: type) }
        return schema?.field(field, of: type)
    }

    /// The context for the value of a member (an object field's struct type, or a map's value type).
    func child(_ field: String) -> PatchSchemaContext {
        guard let info = info(field) else { return PatchSchemaContext(schema: schema, type: nil, isMapValues: false) }
        return PatchSchemaContext(schema: schema, type: info.elementType, isMapValues: info.kind == .map)
    }

    /// The context for the items of a list member.
    func items(_ field: String) -> PatchSchemaContext {
        PatchSchemaContext(schema: schema, type: info(field)?.elementType, isMapValues: false)
    }

    /// The name used in error messages.
    var name: String { type ?? "unknown type" }
}

extension FieldPatchInfo {
    /// The strategy other than `retainKeys` ("merge", "replace" or "" for the default), as upstream's
    /// `extractRetainKeysPatchStrategy` computes it.
    func primaryStrategy() throws(PatchError) -> String {
        let strategies = patchStrategies.filter { !$0.isEmpty }
        switch strategies.count {
        case 0: return ""
        case 1: return strategies[0] == "retainKeys" ? "" : strategies[0]
        case 2:
            if strategies[0] == "retainKeys" { return strategies[1] }
            if strategies[1] == "retainKeys" { return strategies[0] }
            throw .bad("unexpected patch strategy: \(strategies)")
        default:
            throw .bad("unexpected patch strategy: \(strategies)")
        }
    }
}
