import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// A minimal HTTP/1.1 keep-alive client over TLS with a client certificate: one connection, one request at a time,
/// as each kubectl or controller connection behaves. Only for the benchmark.
struct HTTPSClient {
    typealias Connection = NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>

    struct Response {
        var status: Int
        var body: [UInt8]
    }

    static func makeContext(ca: String, cert: String, key: String) throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.trustRoots = .file(ca)
        configuration.certificateChain = try NIOSSLCertificate.fromPEMFile(cert).map { .certificate($0) }
        configuration.privateKey = .privateKey(try NIOSSLPrivateKey(file: key, format: .pem))
        return try NIOSSLContext(configuration: configuration)
    }

    static func connect(group: any EventLoopGroup, host: String, port: Int, context: NIOSSLContext) async throws -> Connection {
        try await ClientBootstrap(group: group)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: context, serverHostname: nil))
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    return try Connection(wrappingChannelSynchronously: channel)
                }
            }
    }

    /// Sends one request and reads the whole response.
    static func send(_ method: HTTPMethod, _ path: String, body: [UInt8] = [],
                     iterator: inout NIOAsyncChannelInboundStream<HTTPClientResponsePart>.AsyncIterator,
                     outbound: NIOAsyncChannelOutboundWriter<HTTPClientRequestPart>) async throws -> Response {
        try await writeRequest(method, path, body: body, outbound: outbound)
        var status = 0
        var bytes: [UInt8] = []
        while let part = try await iterator.next() {
            switch part {
            case .head(let head): status = Int(head.status.code)
            case .body(let buffer): bytes.append(contentsOf: buffer.readableBytesView)
            case .end: return Response(status: status, body: bytes)
            }
        }
        throw BenchError("connection closed mid-response")
    }

    static func writeRequest(_ method: HTTPMethod, _ path: String, body: [UInt8] = [],
                             outbound: NIOAsyncChannelOutboundWriter<HTTPClientRequestPart>) async throws {
        var headers = HTTPHeaders()
        headers.add(name: "host", value: "127.0.0.1")
        headers.add(name: "accept", value: "application/json")
        if !body.isEmpty || method == .POST || method == .PUT {
            headers.add(name: "content-type", value: "application/json")
            headers.add(name: "content-length", value: String(body.count))
        }
        try await outbound.write(.head(HTTPRequestHead(version: .http1_1, method: method, uri: path, headers: headers)))
        if !body.isEmpty { try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: body)))) }
        try await outbound.write(.end(nil))
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
