/// `metav1.OwnerReference`: the link the garbage collector follows from a dependent to its owner.
public struct OwnerReference: Sendable, Hashable, Codable {
    /// The owner's apiVersion, e.g. "apps/v1".
    public var apiVersion: String
    /// The owner's kind, e.g. "ReplicaSet".
    public var kind: String
    /// The owner's name.
    public var name: String
    /// The owner's uid; the garbage collector matches on it.
    public var uid: String
    /// Whether this owner is the managing controller.
    public var controller: Bool?
    /// Whether foreground deletion of the owner waits for this dependent.
    public var blockOwnerDeletion: Bool?

    /// Creates a reference.
    /// - Parameters:
    ///   - apiVersion: the owner's apiVersion.
    ///   - kind: the owner's kind.
    ///   - name: the owner's name.
    ///   - uid: the owner's uid.
    ///   - controller: whether the owner is the controller.
    ///   - blockOwnerDeletion: whether foreground deletion waits for this dependent.
    public init(apiVersion: String, kind: String, name: String, uid: String, controller: Bool? = nil,
                blockOwnerDeletion: Bool? = nil) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.name = name
        self.uid = uid
        self.controller = controller
        self.blockOwnerDeletion = blockOwnerDeletion
    }

    /// Reads a reference from JSON; nil if a required member is missing.
    /// - Parameters:
    ///   - json: an owner reference object.
    public init?(json: JSONValue) {
        guard let apiVersion = json["apiVersion"]?.string, let kind = json["kind"]?.string,
              let name = json["name"]?.string, let uid = json["uid"]?.string else { return nil }
        self.init(apiVersion: apiVersion, kind: kind, name: name, uid: uid,
                  controller: json["controller"]?.bool, blockOwnerDeletion: json["blockOwnerDeletion"]?.bool)
    }

    /// The reference as JSON, in upstream field order.
    public var json: JSONValue {
        var value: JSONValue = ["apiVersion": .string(apiVersion), "kind": .string(kind), "name": .string(name),
                                "uid": .string(uid)]
        if let controller { value["controller"] = .bool(controller) }
        if let blockOwnerDeletion { value["blockOwnerDeletion"] = .bool(blockOwnerDeletion) }
        return value
    }
}
