/// Strategic merge patch (`application/strategic-merge-patch+json`), following apimachinery's
/// `StrategicMergeMapPatch` semantics for a server applying a client's patch.
///
/// It is a merge patch in which a list field whose schema says `patchStrategy: merge` is merged item by item
/// (maps matched by `patchMergeKey`, primitives as a set) instead of replaced, plus directives:
/// - `"$patch": "replace"` / `"delete"` on a map; `{"$patch": "replace"}` or `{<key>: v, "$patch": "delete"}` as
///   list elements;
/// - `"$retainKeys": [...]` clears the map members not listed (volume sources, deployment strategy);
/// - `"$setElementOrder/<list>": [...]` fixes the final order of a merged list (kubectl apply/edit/set send it);
/// - `"$deleteFromPrimitiveList/<list>": [...]` removes values from a merged primitive list (finalizers).
///
/// Lists are ordered as upstream does: patch items in patch (or `$setElementOrder`) order, server-only items in
/// live order, interleaved where both appear in the live list. `null` deletes a member. Patch values inserted
/// where the object had nothing are stored without their nulls and directives (what upstream ends up storing
/// after decoding into typed objects).
public enum StrategicMergePatch {
    static let directiveMarker = "$patch"
    static let retainKeysDirective = "$retainKeys"
    static let setElementOrderPrefix = "$setElementOrder/"
    static let deleteFromPrimitiveListPrefix = "$deleteFromPrimitiveList/"

    /// Applies a strategic merge patch to an object.
    /// - Parameters:
    ///   - patch: the patch document (a JSON object).
    ///   - original: the live object (a JSON object).
    ///   - schema: patch metadata; nil behaves like a JSON merge patch with list deletions by directive only.
    ///   - rootType: the schema definition of the object, e.g. "io.k8s.api.apps.v1.Deployment"; when nil it is
    ///     looked up from the object's `apiVersion` and `kind`.
    public static func apply(_ patch: JSONValue, to original: JSONValue, schema: (any PatchSchema)?,
                             rootType: String? = nil) throws(PatchError) -> JSONValue {
        guard case .object(let patchMembers) = patch else {
            throw .bad("invalid JSON document: a strategic merge patch must be a JSON object, got \(patch.typeName)")
        }
        guard case .object(let originalMembers) = original else {
            throw .bad("invalid JSON document: the patched object must be a JSON object, got \(original.typeName)")
        }
        let type = rootType ?? schema.flatMap { Self.rootType(of: original, in: $0) }
        var engine = StrategicMergeEngine()
        return .object(try engine.mergeMap(originalMembers, patchMembers, .root(schema, type: type)))
    }

    /// The root definition for an object's `apiVersion` and `kind`.
    static func rootType(of object: JSONValue, in schema: any PatchSchema) -> String? {
        guard let apiVersion = object.apiVersion, let kind = object.kind else { return nil }
        let parts = apiVersion.split(separator: "/", maxSplits: 1).map(String.init)
        let (group, version) = parts.count == 2 ? (parts[0], parts[1]) : ("", apiVersion)
        return schema.rootType(group: group, version: version, kind: kind)
    }
}
