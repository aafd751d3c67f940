import Foundation
import HTTPTransport
import KubeAPI
import PKI

/// Who called the kubelet API.
public struct KubeletUser: Sendable, Equatable {
    public var name: String
    public var groups: [String]

    public init(name: String, groups: [String]) {
        self.name = name
        self.groups = groups
    }
}

/// What the kubelet API serves from: the pods the kubelet runs and their containers' logs.
public protocol KubeletAPIBackend: Sendable {
    /// The pods bound to this node as the kubelet sees them (`GET /pods`).
    func pods() async -> [JSONValue]
    /// The CRI log file of a container run (`previous` = the run before the current one), and whether it still runs.
    func logFile(namespace: String, pod: String, container: String, previous: Bool) async throws -> (path: String, running: Bool)
    /// The sync loop is alive (`/healthz`).
    func healthy() async -> Bool
    /// exec and attach for a container of a pod (`/exec`, `/attach`).
    /// - Throws: `RemoteCommandError` (status 404) when the pod or container is not known or not running.
    func streaming(namespace: String, pod: String, container: String) async throws -> any ContainerStreaming
}

/// The kubelet API on :10250 (upstream `pkg/kubelet/server`): authentication by client certificate or bearer token
/// (TokenReview), authorization by SubjectAccessReview on `nodes/<subresource>` of this node, then /healthz, /pods,
/// /containerLogs, /metrics, and /exec and /attach over WebSocket (`RemoteCommandProtocol`).
public final class KubeletAPIHandler: HTTPResponder {
    /// Reviews a bearer token; nil = not authenticated.
    public typealias TokenReview = @Sendable (String) async -> KubeletUser?
    /// Asks the API server whether the user may `verb` `nodes/<subresource>` of this node.
    public typealias AccessReview = @Sendable (KubeletUser, String, String) async -> Bool

    let backend: any KubeletAPIBackend
    let tokenReview: TokenReview?
    let accessReview: AccessReview?
    let allowAnonymous: Bool

    public init(backend: any KubeletAPIBackend, tokenReview: TokenReview?, accessReview: AccessReview?, allowAnonymous: Bool) {
        self.backend = backend
        self.tokenReview = tokenReview
        self.accessReview = accessReview
        self.allowAnonymous = allowAnonymous
    }

    public func respond(to request: HTTPRequestMessage) async -> HTTPResponseMessage {
        guard let user = await authenticate(request) else { return Self.text(401, "Unauthorized") }
        let subresource = Self.subresource(for: request.path)
        let verb = Self.verbs[request.method] ?? "get"
        if let accessReview, !(await accessReview(user, verb, subresource)) {
            return Self.text(403, "Forbidden (user=\(user.name), verb=\(verb), resource=nodes, subresource=\(subresource))")
        }
        let segments = request.path.split(separator: "/").map(String.init)
        switch (request.method, segments.first ?? "") {
        case ("GET", "healthz"):
            return await backend.healthy() ? Self.text(200, "ok") : Self.text(500, "[-]syncloop failed")
        case ("GET", "pods"):
            let list: JSONValue = ["kind": "PodList", "apiVersion": "v1", "metadata": .emptyObject, "items": .array(await backend.pods())]
            return HTTPResponseMessage(status: 200, headers: [("content-type", "application/json")], body: .bytes(list.jsonBytes))
        case ("GET", "containerLogs") where segments.count == 4:
            return await containerLogs(namespace: segments[1], pod: segments[2], container: segments[3], request)
        case ("GET", "exec"), ("POST", "exec"), ("GET", "attach"), ("POST", "attach"):
            // `/exec/<ns>/<pod>/<container>`, or with the pod UID before the container as upstream also accepts.
            guard segments.count == 4 || segments.count == 5 else { return Self.text(404, "404 page not found") }
            return await remoteCommand(attach: segments[0] == "attach", namespace: segments[1], pod: segments[2],
                                       container: segments[segments.count - 1], request)
        case ("GET", "metrics"):
            return Self.text(200, "# kubelet metrics\nkubelet_running_pods \((await backend.pods()).count)\n")
        default:
            return Self.text(404, "404 page not found")
        }
    }

    private func authenticate(_ request: HTTPRequestMessage) async -> KubeletUser? {
        if let certificate = request.clientCertificate {
            return KubeletUser(name: certificate.commonName, groups: certificate.organizations + ["system:authenticated"])
        }
        if let header = request.header("authorization") {
            let parts = header.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "bearer", let tokenReview else { return nil }
            return await tokenReview(parts[1].trimmingCharacters(in: .whitespaces))
        }
        return allowAnonymous ? KubeletUser(name: "system:anonymous", groups: ["system:unauthenticated"]) : nil
    }

    static let verbs = ["GET": "get", "HEAD": "get", "POST": "create", "PUT": "update", "PATCH": "patch", "DELETE": "delete"]

    /// Upstream's path-to-subresource table for kubelet authorization; everything else is `proxy`.
    static let subresources: [(prefix: String, subresource: String)] = [
        ("/stats", "stats"), ("/metrics", "metrics"), ("/logs", "log"), ("/spec", "spec"), ("/checkpoint", "checkpoint"),
    ]

    static func subresource(for path: String) -> String {
        subresources.first { path == $0.prefix || path.hasPrefix($0.prefix + "/") }?.subresource ?? "proxy"
    }

    private func containerLogs(namespace: String, pod: String, container: String, _ request: HTTPRequestMessage) async -> HTTPResponseMessage {
        let flag = { (name: String) in ["true", "1"].contains(request.queryValue(name) ?? "") }
        var options = CRILogReader.Options(follow: flag("follow"), timestamps: flag("timestamps"))
        options.tailLines = request.queryValue("tailLines").flatMap(Int.init)
        options.limitBytes = request.queryValue("limitBytes").flatMap(Int.init)
        if let seconds = request.queryValue("sinceSeconds").flatMap(Double.init) { options.sinceTime = Date().addingTimeInterval(-seconds) }
        if let since = request.queryValue("sinceTime"), let time = try? KubeTime(rfc3339: since) { options.sinceTime = time.date }
        do {
            let (path, running) = try await backend.logFile(namespace: namespace, pod: pod, container: container, previous: flag("previous"))
            let backend = self.backend
            let reader = CRILogReader(path: path, options: options, stillRunning: {
                running ? ((try? await backend.logFile(namespace: namespace, pod: pod, container: container, previous: false))?.running ?? false) : false
            })
            return HTTPResponseMessage(status: 200, headers: [("content-type", "text/plain")], body: .stream(reader.stream()))
        } catch {
            return Self.text(404, "\(error)")
        }
    }

    /// Validates an exec or attach request, then accepts the WebSocket and runs the session on it. Problems found
    /// before the upgrade are HTTP errors; a session that cannot start reports on the error channel.
    private func remoteCommand(attach: Bool, namespace: String, pod: String, container: String,
                               _ request: HTTPRequestMessage) async -> HTTPResponseMessage {
        let options: RemoteCommandOptions
        let target: any ContainerStreaming
        do {
            options = try RemoteCommandOptions(query: request.query)
            if !attach && options.command.isEmpty { throw RemoteCommandError("you must specify a command (command=...)") }
            guard request.upgradeProtocol == "websocket" else {
                throw RemoteCommandError("only WebSocket streams are supported (Upgrade: websocket with "
                    + RemoteCommandProtocol.allCases.map(\.rawValue).joined(separator: " or ") + "); SPDY is not")
            }
            target = try await backend.streaming(namespace: namespace, pod: pod, container: container)
        } catch let error as RemoteCommandError {
            return Self.text(error.status, error.description)
        } catch {
            return Self.text(500, "\(error)")
        }
        let offered = request.webSocketProtocols
        guard let version = RemoteCommandProtocol.negotiate(offered) else {
            return Self.text(400, "requested protocol(s) are not supported: \(offered); supports "
                + RemoteCommandProtocol.allCases.map(\.rawValue).description)
        }
        let session = RemoteCommandSession(version: version, options: options)
        return HTTPResponseMessage(status: 101, body: .upgrade(.webSocket(subprotocol: version.rawValue) { socket in
            await session.run(socket) {
                if attach { return try await target.attach(options) }
                return try await target.exec(ExecOptions(command: options.command, tty: options.tty, stdin: options.stdin))
            }
        }))
    }

    static func text(_ status: Int, _ body: String) -> HTTPResponseMessage {
        HTTPResponseMessage(status: status, headers: [("content-type", "text/plain; charset=utf-8")], body: .bytes(Array(body.utf8)))
    }
}
