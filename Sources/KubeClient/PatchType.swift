/// The four patch flavours, each its own content type.
public enum PatchType: String, Sendable, Hashable, CaseIterable {
    /// RFC 6902 operations (`[{"op":"replace",...}]`).
    case json = "application/json-patch+json"
    /// RFC 7386: objects merge, `null` deletes, lists replace.
    case merge = "application/merge-patch+json"
    /// Kubernetes' merge that understands list merge keys (containers by name, ...).
    case strategicMerge = "application/strategic-merge-patch+json"
    /// Server-side apply; needs a field manager. JSON is valid YAML, so the body is sent as JSON.
    case apply = "application/apply-patch+yaml"

    public var contentType: String { rawValue }
}

/// Options shared by create, update and patch.
public struct WriteOptions: Sendable, Hashable {
    /// Who owns the written fields (required for apply).
    public var fieldManager: String?
    /// Validate and answer without persisting.
    public var dryRun: Bool
    /// Apply only: take ownership of fields other managers own instead of failing with a conflict.
    public var force: Bool
    /// "Ignore", "Warn" or "Strict" handling of unknown fields.
    public var fieldValidation: String?

    public init(fieldManager: String? = nil, dryRun: Bool = false, force: Bool = false, fieldValidation: String? = nil) {
        self.fieldManager = fieldManager
        self.dryRun = dryRun
        self.force = force
        self.fieldValidation = fieldValidation
    }

    var queryItems: [(String, String)] {
        var items: [(String, String)] = []
        if let fieldManager, !fieldManager.isEmpty { items.append(("fieldManager", fieldManager)) }
        if dryRun { items.append(("dryRun", "All")) }
        if force { items.append(("force", "true")) }
        if let fieldValidation, !fieldValidation.isEmpty { items.append(("fieldValidation", fieldValidation)) }
        return items
    }
}
