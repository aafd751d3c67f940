import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import PKI
import Synchronization

/// Where and how the transport listens.
public struct HTTPServerSettings: Sendable {
    /// The TLS identity, and the CA that client certificates must chain to (clients without one may still connect
    /// and authenticate by token or as anonymous, as upstream's `--client-ca-file` allows).
    public struct TLSFiles: Sendable {
        public var certificateFile: String
        public var privateKeyFile: String
        public var clientCAFile: String?

        public init(certificateFile: String, privateKeyFile: String, clientCAFile: String?) {
            self.certificateFile = certificateFile; self.privateKeyFile = privateKeyFile; self.clientCAFile = clientCAFile
        }
    }

    public var host: String
    public var port: Int
    /// nil = plain HTTP, only for tests of the HTTP layer itself.
    public var tls: TLSFiles?
    /// Upstream's limit for a request body (`MaxRequestBodyBytes`, 3 MiB); larger bodies get 413 and the connection
    /// is closed.
    public var maxBodyBytes: Int
    /// Event loop threads; the server is I/O-light, the registry's work runs on the Swift concurrency pool.
    public var threads: Int
    /// How long a started request may take to arrive in full (head and body); a slower client is disconnected, so
    /// a trickle of bytes cannot hold a connection forever.
    public var requestReadTimeout: Duration
    /// How long a keep-alive connection may sit between requests before it is closed (watches are responses, not
    /// idle time, and are never cut by this).
    public var idleTimeout: Duration

    public init(host: String, port: Int, tls: TLSFiles?, maxBodyBytes: Int = 3 * 1024 * 1024, threads: Int = 2,
                requestReadTimeout: Duration = .seconds(60), idleTimeout: Duration = .seconds(300)) {
        self.host = host; self.port = port; self.tls = tls; self.maxBodyBytes = maxBodyBytes; self.threads = threads
        self.requestReadTimeout = requestReadTimeout; self.idleTimeout = idleTimeout
    }
}

/// An HTTP/1.1 server (HTTPS in every real use) on SwiftNIO, shared by the API server and the kubelet. It frames requests, enforces the body limit, reads the
/// verified client certificate, and streams chunked responses; what a request means is the responder's business.
public final class HTTPServer: Sendable {
    typealias Connection = NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>

    private let group: MultiThreadedEventLoopGroup
    private let listener: NIOAsyncChannel<PendingConnection, Never>
    private let responder: any HTTPResponder
    private let settings: HTTPServerSettings
    /// The port actually bound (differs from the requested one when that was 0).
    public let boundPort: Int
    /// Every connection being served, so a shutdown can end watches and idle keep-alives that would otherwise hold
    /// `run()` open for as long as the clients like.
    private let openChannels = Mutex<[ObjectIdentifier: any Channel]>([:])

    /// Binds the listening socket; `run()` then serves it. Binding first lets callers report a port conflict
    /// before anything else starts.
    /// - Throws: an error naming the address when the socket cannot be bound, or a TLS file error.
    public init(settings: HTTPServerSettings, responder: any HTTPResponder) async throws {
        self.settings = settings
        self.responder = responder
        let sslContext = try settings.tls.map(Self.makeSSLContext)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, settings.threads))
        self.group = group
        do {
            listener = try await ServerBootstrap(group: group)
                .serverChannelOption(.backlog, value: 1024)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .bind(host: settings.host, port: settings.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        // Best effort: a socket option the environment refuses (seen inside containers) must not
                        // take the listener down, as a failing child channel option would.
                        _ = try? channel.syncOptions?.setOption(.socketOption(.tcp_nodelay), value: 1)
                        let sync = channel.pipeline.syncOperations
                        if let sslContext { try sync.addHandler(NIOSSLServerHandler(context: sslContext)) }
                        // The typed upgrade handler looks at the first request only and then leaves the pipeline,
                        // so ordinary keep-alive traffic runs through the same handlers as a plain HTTP pipeline.
                        let decision = UpgradeDecision()
                        let upgrades = NIOTypedHTTPServerUpgradeConfiguration<ConnectionKind>(
                            upgraders: ResponderUpgrader.protocols.map {
                                ResponderUpgrader(supportedProtocol: $0, responder: responder, decision: decision)
                            },
                            notUpgradingCompletionHandler: { channel in
                                channel.eventLoop.makeCompletedFuture { .http(try Connection(wrappingChannelSynchronously: channel)) }
                            })
                        let kind = try sync.configureUpgradableHTTPServerPipeline(
                            configuration: NIOUpgradableHTTPServerPipelineConfiguration(upgradeConfiguration: upgrades))
                        try sync.addHandler(UpgradeHeaderFilter(),
                                            position: .before(try sync.handler(type: NIOTypedHTTPServerUpgradeHandler<ConnectionKind>.self)))
                        return PendingConnection(channel: channel, kind: kind, decision: decision)
                    }
                }
        } catch {
            try? await group.shutdownGracefully()
            throw HTTPServerError.bind(host: settings.host, port: settings.port, underlying: "\(error)")
        }
        boundPort = listener.channel.localAddress?.port ?? settings.port
    }

    /// Serves connections until `shutdown()`; each connection runs in its own child task.
    public func run() async {
        do {
            try await listener.executeThenClose { inbound in
                try await withThrowingDiscardingTaskGroup { tasks in
                    for try await connection in inbound {
                        tasks.addTask { await self.serve(connection) }
                    }
                }
            }
        } catch {
            // The listener closed: normally shutdown(); anything else is reported so a dying server says why.
            if !(error is CancellationError) {
                FileHandle.standardError.write(Data("http server: the listener on \(settings.host):\(boundPort) stopped: \(error)\n".utf8))
            }
        }
        try? await group.shutdownGracefully()
    }

    /// Stops accepting and closes the listener; connections still open after `grace` (watches, keep-alives,
    /// slow requests) are closed then, so `run()` returns within about `grace` (upstream also ends long-running
    /// requests at shutdown; clients re-list and re-watch elsewhere).
    public func shutdown(grace: Duration = .seconds(5)) {
        listener.channel.close(promise: nil)
        Task {
            try? await Task.sleep(for: grace)
            for channel in self.openChannels.withLock({ Array($0.values) }) { channel.close(promise: nil) }
        }
    }

    private static func makeSSLContext(_ files: HTTPServerSettings.TLSFiles) throws -> NIOSSLContext {
        do {
            let chain = try NIOSSLCertificate.fromPEMFile(files.certificateFile).map { NIOSSLCertificateSource.certificate($0) }
            let key = try NIOSSLPrivateKey(file: files.privateKeyFile, format: .pem)
            var configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key))
            configuration.minimumTLSVersion = .tlsv12
            configuration.applicationProtocols = ["http/1.1"]
            if let ca = files.clientCAFile {
                configuration.trustRoots = .file(ca)
                // Verify a certificate when one is presented; token and anonymous clients present none.
                configuration.certificateVerification = .optionalVerification
                configuration.sendCANameList = true
            }
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw HTTPServerError.tls("cannot load the serving certificate \(files.certificateFile) / key \(files.privateKeyFile)"
                + (files.clientCAFile.map { " / client CA \($0)" } ?? "") + ": \(error)")
        }
    }

    // MARK: - One connection

    /// Waits (at most the idle timeout, as between requests) for the first request to decide what the connection
    /// is, then serves it as that.
    private func serve(_ pending: PendingConnection) async {
        let key = ObjectIdentifier(pending.channel)
        openChannels.withLock { $0[key] = pending.channel }
        defer { _ = openChannels.withLock { $0.removeValue(forKey: key) } }
        let deadline = ConnectionDeadline(channel: pending.channel)
        deadline.arm(settings.idleTimeout)
        let kind: ConnectionKind
        do {
            kind = try await pending.kind.get()
            deadline.disarm()
        } catch {
            // The 101 could not be written (the client left) or the pipeline failed.
            deadline.disarm()
            if case .accepted(_, let upgrade) = pending.decision.take() { upgrade.abandon() }
            pending.channel.close(promise: nil)
            return
        }
        switch kind {
        case .http(let connection):
            await serveHTTP(connection, decision: pending.decision)
        case .webSocket(let connection, let subprotocol, let handler):
            await Self.serveWebSocket(connection, subprotocol: subprotocol, handler: handler)
        case .tunnel(let connection, let handler):
            await Self.serveTunnel(connection, handler: handler)
        }
    }

    private func serveHTTP(_ connection: Connection, decision: UpgradeDecision) async {
        let channel = connection.channel
        do {
            try await connection.executeThenClose { inbound, outbound in
                // An upgrade request that was not switched: its answer is recorded, the request itself is gone.
                switch decision.take() {
                case .none:
                    break
                case .refused(let head, let response):
                    try await write(response, head: head, close: true, outbound: outbound, channel: channel)
                    return
                case .accepted(let head, let upgrade):
                    upgrade.abandon()
                    try await write(Self.badUpgrade("the WebSocket handshake is invalid (Sec-WebSocket-Key and Sec-WebSocket-Version 13 are required)"),
                                    head: head, close: true, outbound: outbound, channel: channel)
                    return
                }
                var parts = inbound.makeAsyncIterator()
                var certificate: Certificate??
                let deadline = ConnectionDeadline(channel: channel)
                defer { deadline.disarm() }
                while true {
                    deadline.arm(settings.idleTimeout)
                    guard let first = try await parts.next() else { return }
                    guard case .head(let head) = first else { return }
                    deadline.arm(settings.requestReadTimeout)
                    var body: [UInt8] = []
                    var tooLarge = false
                    reading: while let part = try await parts.next() {
                        switch part {
                        case .head:
                            return
                        case .body(let buffer):
                            if body.count + buffer.readableBytes > settings.maxBodyBytes {
                                tooLarge = true
                                break reading
                            }
                            body.append(contentsOf: buffer.readableBytesView)
                        case .end:
                            break reading
                        }
                    }
                    deadline.disarm()
                    if tooLarge {
                        try await write(Self.tooLarge(settings.maxBodyBytes), head: head, close: true, outbound: outbound, channel: channel)
                        return
                    }
                    if certificate == nil { certificate = .some(await Self.peerCertificate(channel)) }
                    let response = await responder.respond(to: HTTPRequestMessage(head: head, body: body, clientCertificate: certificate ?? nil))
                    let keepAlive = head.isKeepAlive
                    let completed = try await write(response, head: head, close: !keepAlive, outbound: outbound, channel: channel)
                    if !keepAlive || !completed { return }
                }
            }
        } catch {
            // A broken connection (reset, TLS failure, client gone): nothing to answer.
        }
    }

    /// Writes a response; returns false when the client went away during a streamed body.
    @discardableResult
    private func write(_ response: HTTPResponseMessage, head: HTTPRequestHead, close: Bool,
                       outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>, channel: any Channel) async throws -> Bool {
        var headers = HTTPHeaders()
        for (name, value) in response.headers { headers.add(name: name, value: value) }
        if close { headers.replaceOrAdd(name: "connection", value: "close") }
        let status = HTTPResponseStatus(statusCode: response.status)
        let isHead = head.method == .HEAD
        switch response.body {
        case .bytes(let bytes):
            headers.replaceOrAdd(name: "content-length", value: String(bytes.count))
            try await outbound.write(.head(HTTPResponseHead(version: head.version, status: status, headers: headers)))
            if !bytes.isEmpty && !isHead { try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: bytes)))) }
            try await outbound.write(.end(nil))
            return true
        case .stream(let chunks):
            try await outbound.write(.head(HTTPResponseHead(version: head.version, status: status, headers: headers)))
            return try await Self.stream(chunks, outbound: outbound, channel: channel)
        case .upgrade(let upgrade):
            // Only a connection's first request can switch protocols (see `HTTPUpgrade`).
            upgrade.abandon()
            try await write(Self.badUpgrade("a protocol upgrade must be the first request on a new connection"),
                            head: head, close: true, outbound: outbound, channel: channel)
            return false
        }
    }

    /// Streams chunks until the source ends (true) or the connection closes (false). The close is watched
    /// concurrently so an idle watch on a closed connection ends at once instead of at its next event.
    private static func stream(_ chunks: AsyncThrowingStream<[UInt8], any Error>,
                               outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>, channel: any Channel) async throws -> Bool {
        let (closed, closedContinuation) = AsyncStream<Void>.makeStream()
        channel.closeFuture.whenComplete { _ in closedContinuation.finish() }
        return try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                for try await chunk in chunks {
                    try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: chunk))))
                }
                try await outbound.write(.end(nil))
                return true
            }
            group.addTask {
                for await _ in closed {}
                return false
            }
            let first = try await group.next() ?? false
            group.cancelAll()
            closedContinuation.finish()
            return first
        }
    }

    static func peerCertificate(_ channel: any Channel) async -> Certificate? {
        guard let peer = try? await channel.nioSSL_peerCertificate().get(), let der = try? peer.toDERBytes() else { return nil }
        return try? Certificate(der: der)
    }

    /// 400 for an upgrade that cannot happen, in the API's `Status` shape.
    private static func badUpgrade(_ message: String) -> HTTPResponseMessage {
        let body = #"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"\#(message)","reason":"BadRequest","code":400}"#
        return HTTPResponseMessage(status: 400, headers: [("content-type", "application/json")], body: .bytes(Array(body.utf8)))
    }

    /// 413 in the API's `Status` shape (kubectl prints its message), without depending on the API server.
    private static func tooLarge(_ limit: Int) -> HTTPResponseMessage {
        let body = #"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"the request body is larger than the server's limit of \#(limit) bytes","reason":"RequestEntityTooLarge","code":413}"#
        return HTTPResponseMessage(status: 413, headers: [("content-type", "application/json")], body: .bytes(Array(body.utf8)))
    }
}

/// Closes a connection when a timer runs out: armed while waiting for a request (idle) and while reading one,
/// disarmed while the response (possibly a long watch) is written.
final class ConnectionDeadline: Sendable {
    private let channel: any Channel
    private let timer = Mutex<Task<Void, Never>?>(nil)

    init(channel: any Channel) { self.channel = channel }

    func arm(_ duration: Duration) {
        let channel = self.channel
        let task = Task {
            do {
                try await Task.sleep(for: duration)
                channel.close(promise: nil)
            } catch {
                // Disarmed or re-armed.
            }
        }
        timer.withLock { current in
            current?.cancel()
            current = task
        }
    }

    func disarm() {
        timer.withLock { current in
            current?.cancel()
            current = nil
        }
    }
}

/// Failures starting the transport, worded for the operator.
public enum HTTPServerError: Error, CustomStringConvertible {
    case bind(host: String, port: Int, underlying: String)
    case tls(String)

    public var description: String {
        switch self {
        case .bind(let host, let port, let underlying):
            "cannot listen on \(host):\(port): \(underlying). Is another process (an old kube-apiserver?) using the port? "
                + "Check with: ss -ltnp 'sport = :\(port)'"
        case .tls(let message):
            message
        }
    }
}
