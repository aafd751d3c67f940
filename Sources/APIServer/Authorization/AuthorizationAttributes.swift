import KubeAPI

/// What a request asks to do, as an authorizer sees it (upstream `authorizer.Attributes`).
///
/// The HTTP layer fills it from the URL: resource requests carry group, version, resource, subresource, namespace and
/// name; everything else (`/healthz`, `/version`, `/api`) is a non-resource request identified by its path.
public struct AuthorizationAttributes: Sendable {
    public var user: UserInfo
    /// For resource requests one of get list watch create update patch delete deletecollection (plus the special
    /// verbs RBAC knows: impersonate, escalate, bind, approve, sign, proxy ...); for non-resource requests the
    /// lower-cased HTTP method (get post put patch delete head options).
    public var verb: String
    public var isResourceRequest: Bool
    public var apiGroup: String
    public var apiVersion: String
    public var resource: String
    public var subresource: String
    public var namespace: String
    public var name: String
    /// The request path; what non-resource rules match against.
    public var path: String
    /// The raw `fieldSelector` of a list or watch. The Node authorizer needs it: a kubelet may list pods only with
    /// `spec.nodeName=<itself>` and nodes only with `metadata.name=<itself>` (upstream AuthorizeNodeWithSelectors).
    public var fieldSelector: String

    public init(user: UserInfo, verb: String, isResourceRequest: Bool, apiGroup: String = "", apiVersion: String = "",
                resource: String = "", subresource: String = "", namespace: String = "", name: String = "",
                path: String = "", fieldSelector: String = "") {
        self.user = user; self.verb = verb; self.isResourceRequest = isResourceRequest
        self.apiGroup = apiGroup; self.apiVersion = apiVersion; self.resource = resource
        self.subresource = subresource; self.namespace = namespace; self.name = name; self.path = path
        self.fieldSelector = fieldSelector
    }

    /// A resource request.
    public static func resource(_ user: UserInfo, _ verb: String, group: String = "", version: String = "v1",
                                _ resource: String, subresource: String = "", namespace: String = "",
                                name: String = "", fieldSelector: String = "") -> AuthorizationAttributes {
        AuthorizationAttributes(user: user, verb: verb, isResourceRequest: true, apiGroup: group, apiVersion: version,
                                resource: resource, subresource: subresource, namespace: namespace, name: name,
                                fieldSelector: fieldSelector)
    }

    /// A non-resource request such as `GET /healthz`.
    public static func nonResource(_ user: UserInfo, _ verb: String, path: String) -> AuthorizationAttributes {
        AuthorizationAttributes(user: user, verb: verb, isResourceRequest: false, path: path)
    }

    /// The attributes of a routed resource request. `watch=true` makes a list a watch, as `RequestContext` does,
    /// because RBAC grants `watch` separately from `list`.
    public init(_ request: APIRequest, path: String = "") {
        var verb = request.verb.rawValue
        var name = request.name ?? ""
        if verb == "get" && name.isEmpty { verb = "list" }
        if verb == "list" || verb == "get", ["1", "true"].contains(request.query["watch"] ?? "") { verb = "watch" }
        // Like upstream's RequestInfo, a list or watch narrowed to one name by `metadata.name=` is about that
        // object, so a rule with resourceNames can allow it.
        if name.isEmpty, verb == "list" || verb == "watch", let selector = request.query["fieldSelector"],
           let single = (try? FieldSelector(parsing: selector))?.requiredValue(for: "metadata.name") {
            name = single
        }
        self.init(user: request.user, verb: verb, isResourceRequest: true, apiGroup: request.group,
                  apiVersion: request.version, resource: request.resource, subresource: request.subresource ?? "",
                  namespace: request.namespace ?? "", name: name, path: path,
                  fieldSelector: request.query["fieldSelector"] ?? "")
    }
}

/// An authorizer's answer. `deny` stops the union at once; `noOpinion` lets the next authorizer decide, and a
/// request nobody allows is forbidden. The string is the reason appended to the 403 message.
public enum AuthorizationDecision: Sendable, Equatable {
    case allow
    case deny(String)
    case noOpinion(String)

    public var isAllowed: Bool { self == .allow }

    /// The reason text (empty for `allow`).
    public var reason: String {
        switch self {
        case .allow: ""
        case .deny(let reason), .noOpinion(let reason): reason
        }
    }
}

/// Decides whether a request may proceed (upstream `authorizer.Authorizer`).
public protocol Authorizer: Sendable {
    func authorize(_ attributes: AuthorizationAttributes) async -> AuthorizationDecision
}
