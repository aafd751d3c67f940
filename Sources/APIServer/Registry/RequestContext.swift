import KubeAPI

/// One request resolved against the resource table, with the query parameters the registry reads.
struct RequestContext: Sendable {
    let info: APIResourceInfo
    /// The effective verb: a collection GET is a list, and `watch=true` turns a list into a watch.
    let verb: APIRequest.Verb
    let requestNamespace: String?
    let name: String
    let subresource: String?
    let query: [String: String]
    let body: [UInt8]
    let contentType: String?
    /// Warnings for the response's `Warning` headers (e.g. unknown fields under `fieldValidation=Warn`).
    let warnings = RequestWarnings()
    /// The request as routed, for admission plugins; nil for the registry's own writes (built-in objects).
    private(set) var request: APIRequest?

    /// Resolves the resource; unknown resources are 404 and non-storable ones (reviews, bindings) 405.
    /// This initializer is the only place that reads `APIRequest`.
    init(_ request: APIRequest) throws {
        try self.init(group: request.group, version: request.version, resource: request.resource, verb: request.verb,
                      namespace: request.namespace, name: request.name, subresource: request.subresource,
                      query: request.query, body: request.body, contentType: request.contentType)
        self.request = request
    }

    init(group: String, version: String, resource: String, verb: APIRequest.Verb, namespace: String? = nil,
         name: String? = nil, subresource: String? = nil, query: [String: String] = [:], body: [UInt8] = [],
         contentType: String? = nil) throws {
        guard let info = ResourceTable.resource(group: group, version: version, plural: resource) else {
            throw StatusError(code: 404, reason: "NotFound", message: "the server could not find the requested resource")
        }
        guard info.supports("get") else {
            throw StatusError.methodNotAllowed("the server does not allow this method on the requested resource")
        }
        self.info = info
        self.requestNamespace = namespace
        self.name = name ?? ""
        self.subresource = subresource.flatMap { $0.isEmpty ? nil : $0 }
        self.query = query
        self.body = body
        self.contentType = contentType
        if ![.get, .list, .watch].contains(verb), let dryRun = query["dryRun"], !dryRun.isEmpty, dryRun != "All" {
            // Anything but "All" must fail: silently treating it as a real write would persist what the client
            // meant to try out.
            throw StatusError(code: 422, reason: "Invalid",
                              message: "dryRun: Unsupported value: \"\(dryRun)\": supported values: \"All\"")
        }
        var verb = verb
        if verb == .get && self.name.isEmpty { verb = .list }
        // `watch=true` turns a list, or a GET of one item (upstream's deprecated single-object watch), into a watch.
        if verb == .list || verb == .get, ["1", "true"].contains(query["watch"] ?? "") { verb = .watch }
        self.verb = verb
    }

    /// The verb as `ResourceTable` (and RBAC) spell it.
    var tableVerb: String {
        switch verb {
        case .get: "get"
        case .list: "list"
        case .watch: "watch"
        case .create: "create"
        case .update: "update"
        case .patch: "patch"
        case .delete: "delete"
        case .deletecollection: "deletecollection"
        }
    }

    /// The namespace the request addresses; nil for cluster-scoped kinds and all-namespace collections.
    var namespace: String? {
        guard info.namespaced, let namespace = requestNamespace, !namespace.isEmpty else { return nil }
        return namespace
    }

    /// `dryRun=All`: do everything but persist.
    var isDryRun: Bool { query["dryRun"] == "All" }

    /// Who a write's fields belong to: `fieldManager`, else the User-Agent up to its first `/` (upstream's default,
    /// e.g. `kubectl-client-side-apply`, `kubelet`, `OpenAPI-Generator`), at most 128 characters; nil when neither.
    var fieldManager: String? {
        if let manager = query["fieldManager"], !manager.isEmpty { return manager }
        guard let agent = request?.userAgent, let prefix = agent.split(separator: "/").first, !prefix.isEmpty else { return nil }
        return String(prefix.prefix(128))
    }

    /// Writes of the main resource do not own status when the resource has a status subresource.
    var ownsNoStatus: Bool { subresource == nil && info.subresources.contains { $0.name == "status" } }

    /// The schema definition of the resource's kind (list semantics for field sets).
    var rootType: String? { GeneratedPatchSchema.shared.rootType(group: info.group, version: info.version, kind: info.kind) }

    /// Whether this is a server-side apply (whose ownership the apply itself records).
    var isApply: Bool { (try? PatchType(contentType: contentType)) == .apply }

    var key: String { ResourceKeys.key(info, namespace: namespace, name: name) }

    /// An integer query parameter; a malformed one is 400 as upstream's parameter codec reports it.
    func intQuery(_ name: String) throws -> Int64? {
        guard let text = query[name], !text.isEmpty else { return nil }
        guard let value = Int64(text) else { throw StatusError.badRequest("invalid value for \(name): \(text)") }
        return value
    }

    /// The request body as JSON; 400 when it is empty or malformed.
    func bodyJSON() throws -> JSONValue {
        guard !body.isEmpty else { throw StatusError.badRequest("the body of the request was empty") }
        do {
            return try JSONValue(parsing: body)
        } catch {
            throw StatusError.badRequest("the body of the request could not be decoded as JSON: \(error)")
        }
    }

    /// The body as an object of this resource's kind: `apiVersion`/`kind` are inferred when absent (the Python
    /// client omits them) and must match the URL when present.
    func bodyObject() throws -> JSONValue {
        var object = try bodyJSON()
        guard object.object != nil else {
            throw StatusError.badRequest("the body of the request must be a JSON object, got \(object.typeName)")
        }
        if let metadata = object["metadata"], metadata.object == nil {
            throw StatusError.badRequest("the body of the request could not be decoded: metadata must be an object, got \(metadata.typeName)")
        }
        try Self.checkType(&object, info)
        if let bodyNamespace = object.metadata.namespace, !bodyNamespace.isEmpty, info.namespaced,
           let namespace, bodyNamespace != namespace
        {
            throw StatusError.badRequest("the namespace of the provided object does not match the namespace sent on the request")
        }
        if info.namespaced, let namespace { object.metadata.namespace = namespace }
        if !info.namespaced { object.metadata.namespace = nil }
        return object
    }

    /// Fills or checks `apiVersion` and `kind`.
    static func checkType(_ object: inout JSONValue, _ info: APIResourceInfo) throws {
        switch object.apiVersion {
        case nil, "":
            object["apiVersion"] = .string(info.groupVersion)
        case let version? where version != info.groupVersion:
            throw StatusError.badRequest(
                "the API version in the data (\(version)) does not match the expected API version (\(info.groupVersion))")
        default:
            break
        }
        switch object.kind {
        case nil, "":
            object["kind"] = .string(info.kind)
        case let kind? where kind != info.kind:
            throw StatusError.badRequest("the kind in the data (\(kind)) does not match the expected kind (\(info.kind))")
        default:
            break
        }
    }
}
