import KubeAPI

/// A binding's subject: a user, a group, or a service account.
public struct RBACSubject: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        case user = "User", group = "Group", serviceAccount = "ServiceAccount"
    }

    public var kind: Kind
    public var name: String
    /// For service accounts; empty means the binding's own namespace (RoleBindings only).
    public var namespace: String

    public init(_ kind: Kind, _ name: String, namespace: String = "") {
        self.kind = kind; self.name = name; self.namespace = namespace
    }

    /// Reads a subject; unknown kinds yield nil so a bad subject never matches anybody.
    public init?(json: JSONValue) {
        guard let kind = json["kind"]?.string.flatMap(Kind.init(rawValue:)), let name = json["name"]?.string else {
            return nil
        }
        self.init(kind, name, namespace: json["namespace"]?.string ?? "")
    }

    /// The API form: users and groups carry the RBAC apiGroup, service accounts a namespace.
    public var json: JSONValue {
        switch kind {
        case .user, .group:
            return ["apiGroup": "rbac.authorization.k8s.io", "kind": .string(kind.rawValue), "name": .string(name)]
        case .serviceAccount:
            return ["kind": "ServiceAccount", "name": .string(name), "namespace": .string(namespace)]
        }
    }

    /// The index key this subject is found under, or nil when it can match no one (a service account without a
    /// namespace in a ClusterRoleBinding). Service accounts become the user name they authenticate as.
    func indexKey(bindingNamespace: String) -> SubjectKey? {
        switch kind {
        case .user: return .user(name)
        case .group: return .group(name)
        case .serviceAccount:
            let namespace = namespace.isEmpty ? bindingNamespace : namespace
            guard !namespace.isEmpty else { return nil }
            return .user("system:serviceaccount:\(namespace):\(name)")
        }
    }
}

/// How bindings are indexed: by user name or by group name.
enum SubjectKey: Hashable, Sendable {
    case user(String)
    case group(String)

    /// Every key a user is reachable under.
    static func keys(for user: UserInfo) -> [SubjectKey] {
        [.user(user.name)] + user.groups.map(SubjectKey.group)
    }
}

/// What a binding grants: a Role in the binding's namespace or a ClusterRole.
public struct RoleRef: Sendable, Hashable {
    public var kind: String
    public var name: String

    public init(kind: String, name: String) {
        self.kind = kind; self.name = name
    }

    public init?(json: JSONValue?) {
        guard let kind = json?["kind"]?.string, let name = json?["name"]?.string else { return nil }
        self.init(kind: kind, name: name)
    }

    public var json: JSONValue {
        ["apiGroup": "rbac.authorization.k8s.io", "kind": .string(kind), "name": .string(name)]
    }
}
