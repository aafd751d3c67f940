import KubeAPI

/// Which API type an object is: the `apiVersion` and `kind` an action needs to find its resource.
public struct ResourceKind: Sendable, Hashable, CustomStringConvertible {
    /// "v1", "apps/v1", ...
    public var apiVersion: String
    /// "Pod", "ReplicaSet", ...
    public var kind: String

    /// Creates a kind.
    /// - Parameters:
    ///   - apiVersion: group/version.
    ///   - kind: the kind.
    public init(_ apiVersion: String, _ kind: String) {
        self.apiVersion = apiVersion
        self.kind = kind
    }

    public static let pod = ResourceKind("v1", "Pod")
    public static let node = ResourceKind("v1", "Node")
    public static let service = ResourceKind("v1", "Service")
    public static let endpoints = ResourceKind("v1", "Endpoints")
    public static let configMap = ResourceKind("v1", "ConfigMap")
    public static let serviceAccount = ResourceKind("v1", "ServiceAccount")
    public static let namespace = ResourceKind("v1", "Namespace")
    public static let replicaSet = ResourceKind("apps/v1", "ReplicaSet")
    public static let deployment = ResourceKind("apps/v1", "Deployment")
    public static let daemonSet = ResourceKind("apps/v1", "DaemonSet")
    public static let statefulSet = ResourceKind("apps/v1", "StatefulSet")
    public static let persistentVolumeClaim = ResourceKind("v1", "PersistentVolumeClaim")
    public static let persistentVolume = ResourceKind("v1", "PersistentVolume")
    public static let controllerRevision = ResourceKind("apps/v1", "ControllerRevision")
    public static let endpointSlice = ResourceKind("discovery.k8s.io/v1", "EndpointSlice")
    public static let podDisruptionBudget = ResourceKind("policy/v1", "PodDisruptionBudget")
    public static let job = ResourceKind("batch/v1", "Job")
    public static let cronJob = ResourceKind("batch/v1", "CronJob")

    public var description: String { "\(apiVersion), Kind=\(kind)" }
}

/// Names one object for an action: its type, where it lives, and (as a precondition) which incarnation.
public struct ObjectRef: Sendable, Hashable, CustomStringConvertible {
    /// The object's type.
    public var kind: ResourceKind
    /// The namespace; nil for cluster-scoped objects.
    public var namespace: String?
    /// The name.
    public var name: String
    /// The uid the action was decided for; the executor sends it as a precondition so a re-created object of the
    /// same name is never touched by a decision about its predecessor.
    public var uid: String?

    /// Creates a reference.
    /// - Parameters:
    ///   - kind: the object's type.
    ///   - namespace: the namespace, nil when cluster-scoped.
    ///   - name: the name.
    ///   - uid: the uid precondition.
    public init(kind: ResourceKind, namespace: String?, name: String, uid: String? = nil) {
        self.kind = kind
        self.namespace = namespace
        self.name = name
        self.uid = uid
    }

    /// The reference to an object read from the API (list items carry no `kind`, so the caller names it).
    /// - Parameters:
    ///   - object: the object.
    ///   - kind: its type.
    public init(_ object: JSONValue, kind: ResourceKind) {
        let meta = object.metadata
        self.init(kind: kind, namespace: meta.namespace.flatMap { $0.isEmpty ? nil : $0 }, name: meta.name ?? "",
                  uid: meta.uid)
    }

    public var description: String { namespace.map { "\(kind.kind) \($0)/\(name)" } ?? "\(kind.kind) \(name)" }
}

/// The body type of a PATCH.
public enum PatchType: String, Sendable, Hashable {
    case strategicMerge = "application/strategic-merge-patch+json"
    case merge = "application/merge-patch+json"
    case json = "application/json-patch+json"
}

/// One API call a controller decided on. Reconcile functions return these instead of calling the API, so the
/// decisions are tested without a server and the controller loop is a thin executor.
public enum ControllerAction: Sendable, Hashable {
    /// POST the object (it carries `apiVersion`, `kind`, `metadata.namespace` and a name or `generateName`).
    case create(JSONValue)
    /// PUT the whole object; its `metadata.resourceVersion` (from the read copy) guards against lost updates.
    case update(JSONValue)
    /// PUT the object to its `status` subresource.
    case updateStatus(JSONValue)
    /// PATCH the object.
    case patch(ObjectRef, PatchType, JSONValue)
    /// DELETE the object with a uid precondition and, when set, a propagation policy
    /// ("Background", "Foreground", "Orphan") and a grace period (0 deletes at once).
    case delete(ObjectRef, propagationPolicy: String? = nil, gracePeriodSeconds: Int64? = nil)
    /// DELETE every object of a type in a namespace (`deletecollection`), in the background.
    case deleteCollection(ResourceKind, namespace: String)
    /// PUT the object to a subresource other than status (a Namespace's "finalize").
    case updateSubresource(JSONValue, subresource: String)

    /// The object the action touches (for creates, what it will be called).
    public var target: String {
        switch self {
        case .create(let object), .update(let object), .updateStatus(let object), .updateSubresource(let object, _):
            let meta = object.metadata
            return "\(object.kind ?? "?") \(meta.namespace.map { $0 + "/" } ?? "")\(meta.name ?? meta.generateName ?? "")"
        case .patch(let ref, _, _), .delete(let ref, _, _):
            return ref.description
        case .deleteCollection(let kind, let namespace):
            return "every \(kind.kind) in \(namespace)"
        }
    }
}
