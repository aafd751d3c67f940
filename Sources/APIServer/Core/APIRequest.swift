import KubeAPI

/// Who is making a request, as the authenticators decided (upstream's `user.Info`).
public struct UserInfo: Sendable, Hashable {
    public var name: String
    public var groups: [String]
    public var uid: String?
    public var extra: [String: [String]]

    public init(name: String, groups: [String], uid: String? = nil, extra: [String: [String]] = [:]) {
        self.name = name; self.groups = groups; self.uid = uid; self.extra = extra
    }

    public static let anonymous = UserInfo(name: "system:anonymous", groups: ["system:unauthenticated"])
}

/// A resource request after routing: the seam between the HTTP transport and the registry.
///
/// The transport parses the URL (`/api/v1/namespaces/default/pods/web/status?dryRun=All`) into this value;
/// the registry never sees HTTP, so its semantics are testable without sockets.
public struct APIRequest: Sendable {
    public enum Verb: String, Sendable, Hashable {
        case get, list, watch, create, update, patch, delete, deletecollection
    }

    public var verb: Verb
    /// "" for the core group.
    public var group: String
    public var version: String
    /// The plural resource name, e.g. "pods".
    public var resource: String
    public var namespace: String?
    public var name: String?
    /// e.g. "status", "scale", "binding".
    public var subresource: String?
    /// Query parameters (the last value of each), e.g. "labelSelector", "fieldSelector", "limit", "continue",
    /// "resourceVersion", "watch", "dryRun", "fieldValidation", "propagationPolicy", "gracePeriodSeconds".
    public var query: [String: String]
    /// The request body (JSON; for patches, the patch document).
    public var body: [UInt8]
    /// `Content-Type` of the body; for PATCH it selects the patch type:
    /// application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json,
    /// application/apply-patch+yaml.
    public var contentType: String?
    public var user: UserInfo
    /// The client's `User-Agent`: the default field manager of writes without `fieldManager` is its first part.
    public var userAgent: String?

    public init(verb: Verb, group: String, version: String, resource: String, namespace: String? = nil, name: String? = nil,
                subresource: String? = nil, query: [String: String] = [:], body: [UInt8] = [], contentType: String? = nil,
                user: UserInfo, userAgent: String? = nil) {
        self.verb = verb; self.group = group; self.version = version; self.resource = resource
        self.namespace = namespace; self.name = name; self.subresource = subresource
        self.query = query; self.body = body; self.contentType = contentType; self.user = user; self.userAgent = userAgent
    }
}

/// What the registry answers: a JSON body with a status code, or a stream of watch events.
public enum APIResponse: Sendable {
    /// A complete JSON response (an object, a list, or a `Status` for errors).
    case object(status: Int, body: JSONValue, headers: [(String, String)] = [])
    /// A watch: each element is one event object `{"type": "ADDED", "object": {...}}`, serialized by the transport
    /// as one JSON line per event (NDJSON, chunked). The sequence ends when the watch ends.
    case watch(AsyncThrowingStream<JSONValue, any Error>)
    /// Raw bytes streamed from elsewhere (a container's log from its kubelet), passed through as they arrive.
    case stream(status: Int, contentType: String, body: AsyncThrowingStream<[UInt8], any Error>)
}
