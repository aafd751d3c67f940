import OrderedCollections

/// Typed read/write access to the `metadata` of an API object held as a `JSONValue`.
///
/// The server works on lossless JSON, so rather than decoding `ObjectMeta` into a struct and back (which would drop
/// unknown fields and reorder keys) it reads and writes single members in place. Setting a property to nil removes
/// the member. Obtain one through `JSONValue.metadata`.
public struct ObjectMetaView: Sendable, Hashable {
    /// The members of `metadata`.
    public var fields: JSONObject

    /// Wraps existing metadata members.
    /// - Parameters:
    ///   - fields: the members of the `metadata` object.
    public init(_ fields: JSONObject = [:]) { self.fields = fields }

    private func string(_ key: String) -> String? { fields[key]?.string }
    private mutating func setString(_ key: String, _ value: String?) { fields[key] = value.map(JSONValue.string) }

    /// `metadata.name`.
    public var name: String? { get { string("name") } set { setString("name", newValue) } }
    /// `metadata.namespace`.
    public var namespace: String? { get { string("namespace") } set { setString("namespace", newValue) } }
    /// `metadata.generateName`.
    public var generateName: String? { get { string("generateName") } set { setString("generateName", newValue) } }
    /// `metadata.uid`.
    public var uid: String? { get { string("uid") } set { setString("uid", newValue) } }
    /// `metadata.resourceVersion` (opaque).
    public var resourceVersion: String? {
        get { string("resourceVersion") }
        set { setString("resourceVersion", newValue) }
    }
    /// `metadata.generation`.
    public var generation: Int64? {
        get { fields["generation"]?.int64 }
        set { fields["generation"] = newValue.map(JSONValue.integer) }
    }

    /// `metadata.labels`, in stored order.
    public var labels: OrderedDictionary<String, String> {
        get { Self.stringMap(fields["labels"]) }
        set { fields["labels"] = newValue.isEmpty ? nil : Self.json(newValue) }
    }
    /// `metadata.annotations`, in stored order.
    public var annotations: OrderedDictionary<String, String> {
        get { Self.stringMap(fields["annotations"]) }
        set { fields["annotations"] = newValue.isEmpty ? nil : Self.json(newValue) }
    }
    /// `metadata.finalizers`.
    public var finalizers: [String] {
        get { fields["finalizers"]?.array?.compactMap(\.string) ?? [] }
        set { fields["finalizers"] = newValue.isEmpty ? nil : .array(newValue.map(JSONValue.string)) }
    }
    /// `metadata.ownerReferences`.
    public var ownerReferences: [OwnerReference] {
        get { fields["ownerReferences"]?.array?.compactMap(OwnerReference.init(json:)) ?? [] }
        set { fields["ownerReferences"] = newValue.isEmpty ? nil : .array(newValue.map(\.json)) }
    }
    /// `metadata.creationTimestamp`; nil when absent or unparsable.
    public var creationTimestamp: KubeTime? {
        get { string("creationTimestamp").flatMap { try? KubeTime(rfc3339: $0) } }
        set { setString("creationTimestamp", newValue?.rfc3339) }
    }
    /// `metadata.deletionTimestamp`; nil when absent or unparsable.
    public var deletionTimestamp: KubeTime? {
        get { string("deletionTimestamp").flatMap { try? KubeTime(rfc3339: $0) } }
        set { setString("deletionTimestamp", newValue?.rfc3339) }
    }
    /// `metadata.deletionGracePeriodSeconds`.
    public var deletionGracePeriodSeconds: Int64? {
        get { fields["deletionGracePeriodSeconds"]?.int64 }
        set { fields["deletionGracePeriodSeconds"] = newValue.map(JSONValue.integer) }
    }
    /// `metadata.managedFields`, kept as raw entries (this layer does not interpret them).
    public var managedFields: [JSONValue] {
        get { fields["managedFields"]?.array ?? [] }
        set { fields["managedFields"] = newValue.isEmpty ? nil : .array(newValue) }
    }

    /// Whether the object is being deleted (has a deletion timestamp).
    public var isBeingDeleted: Bool { fields["deletionTimestamp"].map { !$0.isNull } ?? false }

    private static func stringMap(_ value: JSONValue?) -> OrderedDictionary<String, String> {
        guard let members = value?.object else { return [:] }
        var result = OrderedDictionary<String, String>(minimumCapacity: members.count)
        for (key, value) in members {
            if let text = value.string { result[key] = text }
        }
        return result
    }

    private static func json(_ map: OrderedDictionary<String, String>) -> JSONValue {
        var members = JSONObject(minimumCapacity: map.count)
        for (key, value) in map { members[key] = .string(value) }
        return .object(members)
    }
}

extension JSONValue {
    /// The object's `metadata`, readable and writable in place (`obj.metadata.name = "x"`).
    ///
    /// Reading from a value without metadata gives an empty view; writing creates the `metadata` member.
    public var metadata: ObjectMetaView {
        get { ObjectMetaView(self["metadata"]?.object ?? [:]) }
        set { self["metadata"] = .object(newValue.fields) }
    }

    /// `apiVersion`, if present.
    public var apiVersion: String? { self["apiVersion"]?.string }
    /// `kind`, if present.
    public var kind: String? { self["kind"]?.string }
}
