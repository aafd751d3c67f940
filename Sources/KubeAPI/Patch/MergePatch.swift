/// RFC 7386 JSON Merge Patch (`application/merge-patch+json`): objects merge recursively, `null` deletes a
/// member, and anything else (arrays included) replaces.
///
/// kubectl sends it for `label`, `annotate`, `scale` and `patch --type=merge`, and for `apply` on kinds it has no
/// strategic-merge metadata for (CRDs).
public enum MergePatch {
    /// Applies a merge patch.
    /// - Parameters:
    ///   - patch: the patch document.
    ///   - target: the object to patch.
    public static func apply(_ patch: JSONValue, to target: JSONValue) -> JSONValue {
        guard case .object(let patchMembers) = patch else { return patch }
        var members: JSONObject
        if case .object(let existing) = target { members = existing } else { members = [:] }
        for (key, value) in patchMembers {
            if value.isNull {
                members.removeValue(forKey: key)
            } else {
                let current = members[key] ?? .null
                members[key] = .null
                members[key] = apply(value, to: current)
            }
        }
        return .object(members)
    }
}
