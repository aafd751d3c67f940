/// What each Table row embeds besides its cells: the `includeObject` query parameter of a Table request.
///
/// kubectl sends nothing for a plain `get` (so `Metadata` applies: labels for `--show-labels` and `-L`, and the
/// namespace for `-A`, come from the embedded metadata) and `Object` for `--sort-by`, which evaluates its JSONPath
/// against the full object.
public enum TableIncludeObject: String, Sendable {
    /// No object in the row.
    case none = "None"
    /// A `meta.k8s.io/v1` `PartialObjectMetadata` carrying the object's full `metadata` (the default).
    case metadata = "Metadata"
    /// The whole object.
    case object = "Object"
}
