import Foundation
import HTTPTransport
import KubeAPI
import Manifests

/// The request pipeline of the bundled kube-apiserver, in upstream's order: authenticate, route, authorize, then
/// serve a non-resource path or hand a resource request to the registry, and render the answer (JSON, NDJSON
/// watch streams). Everything HTTP-specific below this type is in `Transport/`; everything about objects is in
/// `Registry/`.
public final class APIHandler: HTTPResponder {
    public struct Configuration: Sendable {
        /// `host:port` clients should use, published in `/api`'s `serverAddressByClientCIDRs`.
        public var serverAddress: String
        /// Upstream's `--anonymous-auth` (default true): requests without credentials run as `system:anonymous`.
        public var allowAnonymous: Bool

        public init(serverAddress: String, allowAnonymous: Bool = true) {
            self.serverAddress = serverAddress
            self.allowAnonymous = allowAnonymous
        }
    }

    let registry: Registry
    let configuration: Configuration
    let authenticator: RequestAuthenticator
    /// Signs TokenRequest tokens (`--service-account-signing-key-file`); nil = `serviceaccounts/token` is 404.
    let tokenIssuer: ServiceAccountTokenIssuer?
    let apiAudiences: [String]
    let authorizer: any Authorizer
    /// The client for kubelets (`--kubelet-client-certificate`); nil = `pods/log` answers 503.
    let kubelets: KubeletConnection?
    let health: HealthChecks
    let metrics = RequestMetrics()
    let lazyDiscovery: LazyValue<DiscoveryDocuments>
    let lazyOpenAPI = LazyValue { OpenAPIDocuments(kubernetesVersion: WellKnown.kubernetesVersion) }
    var discovery: DiscoveryDocuments { lazyDiscovery.value }
    var openAPI: OpenAPIDocuments { lazyOpenAPI.value }
    /// `/openapi/v2` in both forms, built on first request.
    let openAPIV2 = LazyValue { () -> (protobuf: [UInt8], json: [UInt8]) in
        let document = OpenAPIV2Document(kubernetesVersion: WellKnown.kubernetesVersion)
        return (document.protobuf, document.json)
    }

    public init(registry: Registry, configuration: Configuration, tokenAuthenticator: (any TokenAuthenticator)?,
                tokenIssuer: ServiceAccountTokenIssuer? = nil, apiAudiences: [String] = [],
                authorizer: any Authorizer, kubelets: KubeletConnection? = nil, datastoreHealthy: @escaping @Sendable () async -> Bool) {
        self.kubelets = kubelets
        self.registry = registry
        self.configuration = configuration
        authenticator = RequestAuthenticator(tokens: tokenAuthenticator, allowAnonymous: configuration.allowAnonymous)
        self.tokenIssuer = tokenIssuer
        self.apiAudiences = apiAudiences
        self.authorizer = authorizer
        health = HealthChecks(datastore: datastoreHealthy)
        let serverAddress = configuration.serverAddress
        lazyDiscovery = LazyValue { DiscoveryDocuments(serverAddress: serverAddress) }
    }

    /// Readiness turns true once the built-in objects and the RBAC policy exist.
    public func markBootstrapDone() { health.markBootstrapDone() }

    /// Readiness turns false at the start of a graceful shutdown.
    public func markShuttingDown() { health.markShuttingDown() }

    public func respond(to request: HTTPRequestMessage) async -> HTTPResponseMessage {
        let started = ContinuousClock.now
        var labels = (verb: request.method.lowercased(), group: "", resource: "")
        let response = await handle(request, labels: &labels)
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        metrics.record(verb: labels.verb, group: labels.group, resource: labels.resource, code: response.status, seconds: seconds)
        return response
    }

    private func handle(_ request: HTTPRequestMessage, labels: inout (verb: String, group: String, resource: String)) async -> HTTPResponseMessage {
        var user: UserInfo
        switch await authenticator.authenticate(authorization: request.header("authorization"), clientCertificate: request.clientCertificate) {
        case .authenticated(let authenticated):
            user = authenticated
        case .rejected, .notApplicable:
            return Self.status(StatusError.unauthorized)
        }
        if let impersonation = Impersonation(request) {
            switch await impersonation.resolve(as: user, authorizer: authorizer) {
            case .success(let impersonated): user = impersonated
            case .failure(let error): return Self.status(error)
            }
        }
        guard let route = RequestRoute.parse(request.path) else {
            return Self.status(.badRequest("the request path \(request.path) is not correctly percent-encoded"))
        }
        switch route {
        case .nonResource(let path):
            let verb = request.method == "HEAD" ? "get" : request.method.lowercased()
            let attributes = AuthorizationAttributes.nonResource(user, verb, path: path)
            switch await authorizer.authorize(attributes) {
            case .allow:
                break
            case .deny(let reason), .noOpinion(let reason):
                return Self.status(.forbidden(attributes, reason: reason))
            }
            return await nonResource(path, request)
        case .resource(let target):
            var request = request
            if let error = Self.decodeProtobufBody(&request) { return Self.status(error) }
            var query: [String: String] = [:]
            for (name, value) in request.query { query[name] = value }
            guard var verb = target.verb(method: request.method, query: query) else {
                return Self.status(.methodNotAllowed("the server does not allow this method on the requested resource"))
            }
            let isPodStream = target.group == "" && target.resource == "pods" && Self.streamSubresources.contains(target.subresource ?? "")
            // A WebSocket exec is a GET; authorize it as the `create` it is (what upstream's SPDY POST needs, and
            // what 1.35's AuthorizePodWebsocketUpgradeCreatePermission checks).
            if isPodStream { verb = .create }
            labels = (verb.rawValue, target.group, target.resource)
            let apiRequest = APIRequest(
                verb: verb, group: target.group, version: target.version, resource: target.resource,
                namespace: target.namespace, name: target.name, subresource: target.subresource, query: query,
                body: request.body, contentType: request.header("content-type"), user: user,
                userAgent: request.header("user-agent"))
            let attributes = AuthorizationAttributes(apiRequest, path: request.path)
            switch await authorizer.authorize(attributes) {
            case .allow:
                break
            case .deny(let reason), .noOpinion(let reason):
                return Self.status(.forbidden(attributes, reason: reason))
            }
            if isPodStream { return await podStream(apiRequest, request) }
            if let special = await virtualResource(apiRequest) { return render(special, table: nil) }
            return render(await registry.handle(apiRequest), table: Self.tableRequest(request, apiRequest))
        }
    }

    /// kubectl's generators, `create token` and `auth can-i` send protobuf bodies: read them into the JSON form
    /// every handler works on (responses stay JSON, which those clients also accept). CBOR is not spoken (415).
    static func decodeProtobufBody(_ request: inout HTTPRequestMessage) -> StatusError? {
        guard !request.body.isEmpty, let type = request.header("content-type")?.lowercased() else { return nil }
        if type.hasPrefix("application/cbor") {
            return StatusError(code: 415, reason: "UnsupportedMediaType",
                               message: "the body of the request was in an unknown format - accepted media types include: "
                                   + "application/json, application/vnd.kubernetes.protobuf, application/json-patch+json, "
                                   + "application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml")
        }
        guard type.hasPrefix(KubeProtobuf.mediaType) else { return nil }
        do {
            request.body = try KubeProtobuf.decodeObject(request.body).jsonBytes
        } catch {
            return .badRequest("the protobuf body of the request could not be decoded: \(error)")
        }
        request.headers = request.headers.filter { $0.name != "content-type" } + [("content-type", "application/json")]
        return nil
    }

    // MARK: - Rendering

    static let jsonHeaders: [(name: String, value: String)] = [("content-type", "application/json"), ("cache-control", "no-cache, private")]

    static func status(_ error: StatusError) -> HTTPResponseMessage {
        HTTPResponseMessage(status: error.code, headers: jsonHeaders, body: .bytes(error.status.jsonBytes))
    }

    static func json(_ status: Int, _ body: JSONValue, contentType: String = "application/json") -> HTTPResponseMessage {
        HTTPResponseMessage(status: status, headers: [("content-type", contentType), ("cache-control", "no-cache, private")],
                            body: .bytes(body.jsonBytes))
    }

    /// What a `kubectl get` asked for: a Table of this resource, embedding objects as `includeObject` says.
    struct TableRequest {
        var info: APIResourceInfo
        var includeObject: TableIncludeObject
    }

    /// A Table is served for reads of a main resource whose Accept asks for one (`as=Table;g=meta.k8s.io`).
    static func tableRequest(_ request: HTTPRequestMessage, _ apiRequest: APIRequest) -> TableRequest? {
        guard [.get, .list, .watch].contains(apiRequest.verb), apiRequest.subresource == nil,
              TableConverter.wantsTable(accept: request.header("accept")),
              let info = ResourceTable.resource(group: apiRequest.group, version: apiRequest.version, plural: apiRequest.resource)
        else { return nil }
        let include = apiRequest.query["includeObject"].flatMap(TableIncludeObject.init(rawValue:)) ?? .metadata
        return TableRequest(info: info, includeObject: include)
    }

    /// A registry answer on the wire: one JSON document, or a watch as newline-delimited JSON events, each flushed
    /// as its own chunk; as Tables when the client asked for them.
    private func render(_ response: APIResponse, table: TableRequest?) -> HTTPResponseMessage {
        switch response {
        case .object(let status, var body, let headers):
            if let table, (200..<300).contains(status), body.kind != "Status" {
                let now = KubeTime.now()
                body = (body.kind ?? "").hasSuffix("List") && body["items"] != nil
                    ? TableConverter.table(for: table.info, list: body, includeObject: table.includeObject, now: now)
                    : TableConverter.table(for: table.info, object: body, includeObject: table.includeObject, now: now)
            }
            return HTTPResponseMessage(status: status, headers: Self.jsonHeaders + headers, body: .bytes(body.jsonBytes))
        case .stream(let status, let contentType, let body):
            return HTTPResponseMessage(status: status, headers: [("content-type", contentType), ("cache-control", "no-cache, private")],
                                       body: .stream(body))
        case .watch(let events):
            let (chunks, continuation) = AsyncThrowingStream<[UInt8], any Error>.makeStream()
            let pump = Task {
                do {
                    var first = true
                    for try await original in events {
                        var event = original
                        if let table {
                            event = TableConverter.watchEvent(for: table.info, event: original, includeObject: table.includeObject,
                                                              first: first, now: KubeTime.now())
                            if original["type"]?.string != "BOOKMARK" { first = false }
                        }
                        var line = event.jsonBytes
                        line.append(UInt8(ascii: "\n"))
                        continuation.yield(line)
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in pump.cancel() }
            return HTTPResponseMessage(status: 200, headers: Self.jsonHeaders, body: .stream(chunks))
        }
    }
}
