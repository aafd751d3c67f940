// Hand-written support for the generated typed models in Generated/Models (scripts/generate-kubeapi.py).

/// The group, version and kind a typed model is served as, e.g. ("apps", "v1", "Deployment").
public struct APIModelKind: Sendable, Hashable, CustomStringConvertible {
    /// The API group; "" for the core (legacy) group.
    public var group: String
    /// The version within the group, e.g. "v1".
    public var version: String
    /// The kind, e.g. "Deployment".
    public var kind: String

    /// Creates a group/version/kind.
    /// - Parameters:
    ///   - group: the API group ("" for core).
    ///   - version: the version, e.g. "v1".
    ///   - kind: the kind, e.g. "Pod".
    public init(group: String, version: String, kind: String) {
        self.group = group
        self.version = version
        self.kind = kind
    }

    /// The `apiVersion` field value: "v1" for core, else "group/version".
    public var apiVersion: String { group.isEmpty ? version : group + "/" + version }

    /// "Deployment.v1.apps" style, as kubectl prints GVKs.
    public var description: String { group.isEmpty ? "\(kind).\(version)" : "\(kind).\(version).\(group)" }
}

/// A generated model that is a top-level kind (it has exactly one `x-kubernetes-group-version-kind`).
public protocol APIKindModel: Codable, Sendable, Hashable {
    /// The group/version/kind this type is served as.
    static var groupVersionKind: APIModelKind { get }
    /// The `apiVersion` field (optional on the wire; the memberwise init fills it in).
    var apiVersion: String? { get set }
    /// The `kind` field (optional on the wire; the memberwise init fills it in).
    var kind: String? { get set }
}

/// A top-level kind with standard object metadata (Pod, Deployment, ...).
public protocol APIObjectModel: APIKindModel {
    /// Standard object metadata.
    var metadata: MetaV1.ObjectMeta? { get set }
}

/// A `...List` kind: list metadata plus `items`.
public protocol APIListModel: APIKindModel {
    /// The element type.
    associatedtype Item: Codable & Sendable & Hashable
    /// Standard list metadata (resourceVersion, continue token).
    var metadata: MetaV1.ListMeta? { get set }
    /// The listed objects.
    var items: [Item]? { get set }
}

extension APIKindModel {
    /// Sets `apiVersion` and `kind` from ``groupVersionKind`` (e.g. before encoding an object built by hand).
    public mutating func setTypeMeta() {
        apiVersion = Self.groupVersionKind.apiVersion
        kind = Self.groupVersionKind.kind
    }
}
