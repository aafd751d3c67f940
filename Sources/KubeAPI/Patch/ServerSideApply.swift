/// A minimal server-side apply (`application/apply-patch+yaml`): merges the applied configuration into the live
/// object using the structural list semantics of the schema.
///
/// - maps merge recursively; scalars and atomic lists are replaced by the applied value;
/// - `x-kubernetes-list-type: map` lists merge item by item, matching items whose `x-kubernetes-list-map-keys`
///   all agree (fields without a list type but with a strategic `patchMergeKey` are treated the same way);
///   live items the configuration does not mention are kept, new ones are appended in applied order;
/// - `x-kubernetes-list-type: set` lists become the union, live order first;
/// - an explicit `null` in the configuration removes the field.
///
/// This is the merge alone; `ServerSideApply+Ownership.swift` adds field ownership (`managedFields`), conflicts and
/// removal of fields a manager stopped applying on top of it.
public enum ServerSideApply {
    /// Merges an applied configuration into a live object (or returns the configuration when there is none).
    /// - Parameters:
    ///   - intent: the applied configuration.
    ///   - live: the current object, or nil when the apply creates it.
    ///   - schema: list semantics; nil merges maps and replaces every list.
    ///   - rootType: the schema definition of the object; looked up from `apiVersion`/`kind` when nil.
    public static func apply(_ intent: JSONValue, onto live: JSONValue?, schema: (any PatchSchema)?,
                             rootType: String? = nil) -> JSONValue {
        guard let live else { return StrategicMergeEngine.discardNulls(intent) }
        let type = rootType ?? schema.flatMap { StrategicMergePatch.rootType(of: intent, in: $0) }
            ?? schema.flatMap { StrategicMergePatch.rootType(of: live, in: $0) }
        return merge(live, intent, .root(schema, type: type))
    }

    static func merge(_ live: JSONValue, _ intent: JSONValue, _ context: PatchSchemaContext) -> JSONValue {
        guard case .object(var members) = live, case .object(let applied) = intent else {
            return StrategicMergeEngine.discardNulls(intent)
        }
        for (key, value) in applied {
            if value.isNull {
                members.removeValue(forKey: key)
                continue
            }
            guard let current = members[key] else {
                members[key] = StrategicMergeEngine.discardNulls(value)
                continue
            }
            switch (current, value) {
            case (.object, .object):
                members[key] = merge(current, value, context.child(key))
            case (.array(let liveItems), .array(let appliedItems)):
                members[key] = .array(mergeList(liveItems, appliedItems, context.info(key), context.items(key)))
            default:
                members[key] = StrategicMergeEngine.discardNulls(value)
            }
        }
        return .object(members)
    }

    static func mergeList(_ live: [JSONValue], _ applied: [JSONValue], _ info: FieldPatchInfo?,
                          _ items: PatchSchemaContext) -> [JSONValue] {
        var keys = info?.listMapKeys ?? []
        var listType = info?.listType
        if listType == nil, let mergeKey = info?.patchMergeKey, info?.patchStrategies.contains("merge") == true {
            listType = .map
            keys = [mergeKey]
        }
        switch listType {
        case .map where !keys.isEmpty:
            var result = live
            for item in applied {
                let index = result.firstIndex { existing in keys.allSatisfy { existing[$0] == item[$0] } }
                if let index {
                    result[index] = merge(result[index], item, items)
                } else {
                    result.append(StrategicMergeEngine.discardNulls(item))
                }
            }
            return result
        case .set:
            var result = live
            for item in applied where !result.contains(item) { result.append(item) }
            return result
        default:
            return applied.map(StrategicMergeEngine.discardNulls)
        }
    }
}
