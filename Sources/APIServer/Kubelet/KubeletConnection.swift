import HTTPTransport
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// The API server's client for kubelets (`pods/log`, exec and attach): HTTPS with the
/// `--kubelet-client-certificate` identity. Like upstream without `--kubelet-certificate-authority`, the kubelet's
/// self-signed serving certificate is not verified.
public final class KubeletConnection: Sendable {
    let context: NIOSSLContext
    let group: MultiThreadedEventLoopGroup

    /// - Throws: an error naming the certificate or key file that cannot be read.
    public init(certificateFile: String, keyFile: String) throws {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateVerification = .none
        do {
            configuration.certificateChain = try NIOSSLCertificate.fromPEMFile(certificateFile).map { .certificate($0) }
            configuration.privateKey = .privateKey(try NIOSSLPrivateKey(file: keyFile, format: .pem))
        } catch {
            throw APIServerOptionsError("cannot load --kubelet-client-certificate=\(certificateFile) / --kubelet-client-key=\(keyFile): \(error)")
        }
        context = try NIOSSLContext(configuration: configuration)
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    }

    /// A response from a kubelet: its status, content type and body chunks as they arrive.
    public struct Response: Sendable {
        public var status: Int
        public var contentType: String
        public var body: AsyncThrowingStream<[UInt8], any Error>
    }

    /// GETs `path` (with its query) from the kubelet at host:port and streams the answer; the connection closes when
    /// the body ends or the consumer stops reading.
    public func get(host: String, port: Int, path: String) async throws -> Response {
        typealias Connection = NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>
        let context = self.context
        let channel: Connection = try await ClientBootstrap(group: group)
            .connectTimeout(.seconds(10))
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: context, serverHostname: nil))
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    return try Connection(wrappingChannelSynchronously: channel)
                }
            }
        let (head, headContinuation) = AsyncThrowingStream<(Int, String), any Error>.makeStream()
        let (body, bodyContinuation) = AsyncThrowingStream<[UInt8], any Error>.makeStream()
        let pump = Task {
            do {
                try await channel.executeThenClose { inbound, outbound in
                    var headers = HTTPHeaders()
                    headers.add(name: "host", value: host)
                    try await outbound.write(.head(HTTPRequestHead(version: .http1_1, method: .GET, uri: path, headers: headers)))
                    try await outbound.write(.end(nil))
                    for try await part in inbound {
                        switch part {
                        case .head(let response):
                            headContinuation.yield((Int(response.status.code), response.headers.first(name: "content-type") ?? "text/plain"))
                            headContinuation.finish()
                        case .body(let buffer):
                            bodyContinuation.yield(Array(buffer.readableBytesView))
                        case .end:
                            bodyContinuation.finish()
                            return
                        }
                    }
                    bodyContinuation.finish()
                }
            } catch {
                headContinuation.finish(throwing: error)
                bodyContinuation.finish(throwing: error)
            }
        }
        bodyContinuation.onTermination = { _ in pump.cancel() }
        var iterator = head.makeAsyncIterator()
        guard let (status, contentType) = try await iterator.next() else {
            throw APIServerOptionsError("the kubelet at \(host):\(port) closed the connection without answering")
        }
        return Response(status: status, contentType: contentType, body: body)
    }

    /// What a kubelet answered to an upgrade request.
    public enum UpgradeAnswer: Sendable {
        /// 101: the kubelet's response headers (`Sec-WebSocket-Accept`, `Sec-WebSocket-Protocol`, ...) and the
        /// connection, now raw bytes.
        case switched(headers: [(name: String, value: String)], connection: NIOAsyncChannel<ByteBuffer, ByteBuffer>)
        /// Any other answer, with its body (a Status or plain text).
        case refused(status: Int, body: [UInt8])
    }

    /// Sends an upgrade request (`GET path` with `Upgrade: websocket` and `headers`) to the kubelet at host:port and
    /// returns its answer; on 101 the caller owns the connection and must run or close it.
    public func upgrade(host: String, port: Int, path: String, headers: [(name: String, value: String)]) async throws -> UpgradeAnswer {
        typealias HTTPConnection = NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>
        let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: path, headers: ["host": "\(host):\(port)"])
        let upgrader = PassthroughUpgrader(headers: headers)
        let context = self.context
        let outcome: EventLoopFuture<UpgradeOutcome> = try await ClientBootstrap(group: group)
            .connectTimeout(.seconds(10))
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: context, serverHostname: nil))
                    var configuration = NIOUpgradableHTTPClientPipelineConfiguration(upgradeConfiguration: .init(
                        upgradeRequestHead: head, upgraders: [upgrader],
                        notUpgradingCompletionHandler: { channel in
                            channel.eventLoop.makeCompletedFuture { .http(try HTTPConnection(wrappingChannelSynchronously: channel)) }
                        }))
                    // Bytes the kubelet sends right behind its 101 belong to the stream.
                    configuration.leftOverBytesStrategy = .forwardBytes
                    return try channel.pipeline.syncOperations.configureUpgradableHTTPClientPipeline(configuration: configuration)
                }
            }
        switch try await outcome.get() {
        case .switched(let response, let connection):
            return .switched(headers: response.headers.map { ($0.name, $0.value) }, connection: connection)
        case .http(let connection):
            return try await connection.executeThenClose { inbound, _ in
                var status = 502
                var body: [UInt8] = []
                for try await part in inbound {
                    switch part {
                    case .head(let response): status = Int(response.status.code)
                    case .body(let buffer) where body.count < 64 * 1024: body += buffer.readableBytesView
                    case .body: continue
                    case .end: return .refused(status: status, body: body)
                    }
                }
                return .refused(status: status, body: body)
            }
        }
    }
}

/// What a kubelet connection became after the upgrade request.
enum UpgradeOutcome: Sendable {
    case switched(HTTPResponseHead, NIOAsyncChannel<ByteBuffer, ByteBuffer>)
    case http(NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>)
}

/// Accepts whatever `websocket` upgrade the kubelet answers and leaves the bytes alone: the WebSocket is between the
/// client and the kubelet, the API server only carries it.
struct PassthroughUpgrader: NIOTypedHTTPClientProtocolUpgrader {
    typealias UpgradeResult = UpgradeOutcome

    let headers: [(name: String, value: String)]

    var supportedProtocol: String { "websocket" }
    var requiredUpgradeHeaders: [String] { [] }

    func addCustom(upgradeRequestHeaders: inout HTTPHeaders) {
        for (name, value) in headers { upgradeRequestHeaders.add(name: name, value: value) }
    }

    func shouldAllowUpgrade(upgradeResponse: HTTPResponseHead) -> Bool { true }

    func upgrade(channel: any Channel, upgradeResponse: HTTPResponseHead) -> EventLoopFuture<UpgradeOutcome> {
        channel.eventLoop.makeCompletedFuture {
            .switched(upgradeResponse, try NIOAsyncChannel(wrappingChannelSynchronously: channel))
        }
    }
}
