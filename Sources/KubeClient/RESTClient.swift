import KubeAPI
import NIOCore
import NIOHTTP1
import NIOSSL

/// One HTTP answer with its body read in full.
public struct RESTResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    /// The body as JSON (an empty body reads as `null`).
    public func json() throws -> JSONValue {
        if body.isEmpty { return .null }
        do {
            return try JSONValue(parsing: body)
        } catch {
            throw KubeClientError.invalidResponse("HTTP \(status) body is not JSON: \(error)")
        }
    }
}

/// The REST client of the kubelet, scheduler and controllers: HTTPS to one API server with the credentials of a
/// `ClientConfig`, over a small pool of keep-alive connections.
///
/// This file holds the transport-facing half (requests, timeouts, the stale-connection retry); the Kubernetes
/// verbs are in `RESTClient+Verbs.swift` and watches in `WatchStream.swift`.
public final class RESTClient: Sendable {
    public let config: ClientConfig
    /// `kubeadm-swift/<component>`, sent on every request so audit logs and metrics can tell components apart.
    public let userAgent: String
    let pool: HTTPConnectionPool
    let tokens: TokenSource

    /// Builds the TLS context and the pool; no connection is opened until the first request.
    /// - Parameters:
    ///   - component: the component name for `User-Agent`, e.g. "kubelet" or "kube-scheduler".
    /// - Throws: `ClientConfigError` when the credential material does not parse.
    public init(config: ClientConfig, component: String) throws {
        self.config = config
        userAgent = "kubeadm-swift/\(component)"
        let tls = try TLSContextFactory.make(config)
        pool = HTTPConnectionPool(server: config.server, tls: tls, connectTimeout: config.connectTimeout,
                                  limit: config.maxConnections)
        tokens = TokenSource(config: config)
    }

    /// A client from a kubeconfig file's current context.
    public convenience init(kubeconfig path: String, component: String) throws {
        try self.init(config: ClientConfig.fromKubeconfig(path: path), component: component)
    }

    /// Closes idle connections and ends every watch; requests still in flight finish on theirs, later ones fail.
    public func shutdown() async { await pool.shutdown() }

    /// Methods that may be sent again after a keep-alive connection turned out to be closed before answering: a
    /// POST or PATCH might have been acted on, so those are never repeated (the pool's liveness and idle-age
    /// checks keep that case rare).
    static let idempotentMethods: Set<String> = ["GET", "HEAD", "PUT", "DELETE", "OPTIONS"]

    /// Sends one request and reads the whole response, whatever its status.
    /// - Parameters:
    ///   - path: an absolute path such as "/api/v1/namespaces/default/pods"; `server.basePath` is prepended.
    ///   - query: query parameters in order; values are percent-encoded here.
    ///   - body: the request body (JSON unless `contentType` says otherwise).
    ///   - timeout: overrides `config.requestTimeout`.
    public func send(method: String, path: String, query: [(String, String)] = [], body: [UInt8]? = nil,
                     contentType: String = "application/json", timeout: Duration? = nil) async throws -> RESTResponse {
        let request = makeRequest(method: HTTPMethod(rawValue: method), path: path, query: query, body: body, contentType: contentType)
        return try await perform(request, timeout: timeout ?? config.requestTimeout)
    }

    /// Sends a request and returns the JSON body of a 2xx answer.
    /// - Throws: `KubeClientError.api` with the server's `Status` for any other answer.
    public func requestJSON(method: String, path: String, query: [(String, String)] = [], body: JSONValue? = nil,
                            contentType: String = "application/json", timeout: Duration? = nil) async throws -> JSONValue {
        let response = try await send(method: method, path: path, query: query, body: body?.jsonBytes,
                                      contentType: contentType, timeout: timeout)
        guard (200..<300).contains(response.status) else {
            throw KubeClientError.api(APIStatus(httpStatus: response.status, body: response.body))
        }
        return try response.json()
    }

    func makeRequest(method: HTTPMethod, path: String, query: [(String, String)], body: [UInt8]?,
                     contentType: String, accept: String = "application/json") -> HTTPRequestParts {
        var headers = HTTPHeaders()
        headers.add(name: "host", value: config.server.hostHeader)
        headers.add(name: "user-agent", value: userAgent)
        headers.add(name: "accept", value: accept)
        if let token = tokens.token(), !token.isEmpty { headers.add(name: "authorization", value: "Bearer \(token)") }
        if let body {
            headers.add(name: "content-type", value: contentType)
            headers.add(name: "content-length", value: String(body.count))
        }
        return HTTPRequestParts(method: method, target: config.server.basePath + path + QueryEncoding.encode(query),
                                headers: headers, body: body ?? [])
    }

    /// Runs a request on a pooled connection, once more on a fresh connection when a reused one turns out to have
    /// been closed by the server before answering (a keep-alive race every HTTP client has to handle).
    func perform(_ request: HTTPRequestParts, timeout: Duration) async throws -> RESTResponse {
        var retried = false
        while true {
            let connection: HTTPConnection
            do {
                connection = try await pool.acquire(fresh: retried)
            } catch {
                throw KubeClientError.transport(method: request.method.rawValue, path: request.target, underlying: "\(error)")
            }
            let reused = connection.requestCount > 0
            do {
                let response = try await Self.roundTrip(request, on: connection, timeout: timeout)
                await pool.release(connection)
                return response
            } catch HTTPTransportError.closedBeforeResponse where reused && !retried && Self.idempotentMethods.contains(request.method.rawValue) {
                connection.close()
                await pool.release(connection)
                retried = true
            } catch {
                connection.close()
                await pool.release(connection)
                if error is KubeClientError || error is CancellationError { throw error }
                throw KubeClientError.transport(method: request.method.rawValue, path: request.target, underlying: "\(error)")
            }
        }
    }

    /// One exchange, bounded by `timeout`: a late response cannot be skipped on HTTP/1.1, so the connection is
    /// closed rather than returned to the pool.
    static func roundTrip(_ request: HTTPRequestParts, on connection: HTTPConnection, timeout: Duration) async throws -> RESTResponse {
        let outcome = try await withThrowingTaskGroup(of: RESTResponse?.self) { group in
            group.addTask { try await collect(connection.send(request)) }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            defer { group.cancelAll() }
            return try await group.next() ?? nil
        }
        guard let outcome else {
            connection.close()
            if Task.isCancelled { throw CancellationError() }
            throw KubeClientError.timedOut(method: request.method.rawValue, path: request.target, after: timeout)
        }
        return outcome
    }

    /// Reads a relayed response to its end.
    static func collect(_ events: AsyncThrowingStream<HTTPResponseEvent, any Error>) async throws -> RESTResponse {
        var response: RESTResponse?
        for try await event in events {
            switch event {
            case .head(let head):
                response = RESTResponse(status: Int(head.status.code),
                                        headers: head.headers.map { (name: $0.name.lowercased(), value: $0.value) }, body: [])
            case .body(let buffer):
                response?.body.append(contentsOf: buffer.readableBytesView)
            }
        }
        try Task.checkCancellation()
        guard let response else { throw HTTPTransportError.closedBeforeResponse }
        return response
    }
}

/// Query strings as Go's `url.Values.Encode` writes them: everything but unreserved characters percent-encoded,
/// so selectors such as `app in (a,b)` and `a!=b` survive the trip.
enum QueryEncoding {
    static let unreserved = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~".utf8)

    static func escape(_ text: String, keeping safe: Set<UInt8> = unreserved) -> String {
        var out = ""
        for byte in text.utf8 {
            if safe.contains(byte) {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return out
    }

    static func encode(_ query: [(String, String)]) -> String {
        query.isEmpty ? "" : "?" + query.map { escape($0.0) + "=" + escape($0.1) }.joined(separator: "&")
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
