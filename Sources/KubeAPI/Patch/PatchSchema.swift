/// How one field of an API type behaves under strategic merge patch and server-side apply, as declared by
/// the OpenAPI extensions `x-kubernetes-patch-strategy`, `x-kubernetes-patch-merge-key`,
/// `x-kubernetes-list-type` and `x-kubernetes-list-map-keys` in the Kubernetes v1.32 schema.
public struct FieldPatchInfo: Sendable, Hashable {
    /// The shape of the field's value.
    public enum Kind: Sendable, Hashable { case scalar, object, list, map }
    public enum ListType: String, Sendable, Hashable { case atomic, set, map }

    public var kind: Kind
    /// `x-kubernetes-patch-strategy` split on ",": e.g. ["merge"], ["retainKeys"], ["merge", "retainKeys"]. Empty = replace.
    public var patchStrategies: [String]
    public var patchMergeKey: String?
    public var listType: ListType?
    public var listMapKeys: [String]
    /// The schema definition of the value (for lists: of the items; for maps: of the values), e.g.
    /// "io.k8s.api.core.v1.Container"; nil for scalars and free-form objects.
    public var elementType: String?

    public init(kind: Kind, patchStrategies: [String] = [], patchMergeKey: String? = nil, listType: ListType? = nil,
                listMapKeys: [String] = [], elementType: String? = nil) {
        self.kind = kind
        self.patchStrategies = patchStrategies
        self.patchMergeKey = patchMergeKey
        self.listType = listType
        self.listMapKeys = listMapKeys
        self.elementType = elementType
    }
}

/// Answers "how does field F of type T merge?" for the patch engine. The generated schema table implements it;
/// tests can supply small hand-written ones.
public protocol PatchSchema: Sendable {
    /// - Parameters:
    ///   - name: the JSON field name.
    ///   - type: the schema definition name, e.g. "io.k8s.api.core.v1.PodSpec".
    func field(_ name: String, of type: String) -> FieldPatchInfo?
    /// The root definition of a kind, e.g. ("apps", "v1", "Deployment") -> "io.k8s.api.apps.v1.Deployment".
    func rootType(group: String, version: String, kind: String) -> String?
}
