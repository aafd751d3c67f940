import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// The API server's client for kubelets (`pods/log`, and later exec/attach): HTTPS with the
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
}
