import NIOCore
import NIOHTTP1
import NIOWebSocket
import PKI
import Synchronization

/// What a connection became after its first request: HTTP (every ordinary client), or a protocol its responder
/// switched it to.
enum ConnectionKind: Sendable {
    case http(NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>)
    case webSocket(NIOAsyncChannel<WebSocketFrame, WebSocketFrame>, subprotocol: String?,
                   handler: @Sendable (WebSocketSession) async -> Void)
    case tunnel(NIOAsyncChannel<ByteBuffer, ByteBuffer>, handler: @Sendable (ByteStream) async -> Void)
}

/// A connection as the listener hands it over: the future of what its first request makes it, and the responder's
/// answer to an upgrade request (kept so that a refused upgrade is answered without asking the responder twice).
struct PendingConnection: Sendable {
    let channel: any Channel
    let kind: EventLoopFuture<ConnectionKind>
    let decision: UpgradeDecision
}

/// The responder's answer to a connection's upgrade request, from the moment NIO asks for it until the connection
/// is either switched or served as HTTP.
///
/// When an upgrade request is not switched, NIO's typed upgrade handler does not pass the request on (its head
/// and end were consumed while it looked for an upgrader), so the HTTP path answers from what is recorded here.
final class UpgradeDecision: Sendable {
    enum State: Sendable {
        case none
        /// Not an upgrade (an error Status, usually).
        case refused(HTTPRequestHead, HTTPResponseMessage)
        /// Accepted by the responder; the HTTP path sees it only when the handshake itself was invalid.
        case accepted(HTTPRequestHead, HTTPUpgrade)
    }

    private let state = Mutex(State.none)

    func record(_ head: HTTPRequestHead, _ response: HTTPResponseMessage) {
        state.withLock { state in
            if case .upgrade(let upgrade) = response.body, response.status == 101 {
                state = .accepted(head, upgrade)
            } else {
                state = .refused(head, response)
            }
        }
    }

    var accepted: HTTPUpgrade? {
        state.withLock { state in
            if case .accepted(_, let upgrade) = state { return upgrade }
            return nil
        }
    }

    /// The recorded answer, cleared so that it is used once.
    func take() -> State {
        state.withLock { state in
            defer { state = .none }
            return state
        }
    }
}

/// Lets only upgrades a responder can answer reach NIO's typed upgrade handler, which would swallow a request whose
/// `Upgrade` header names no registered protocol; such a request is served as plain HTTP instead (a server may
/// ignore `Upgrade`, RFC 9110 §7.8). Looks at the connection's first request head only, then leaves the pipeline.
final class UpgradeHeaderFilter: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        defer { context.pipeline.syncOperations.removeHandler(self, promise: nil) }
        guard case .head(var head) = unwrapInboundIn(data) else { return context.fireChannelRead(data) }
        let offered = head.headers[canonicalForm: "upgrade"].map { $0.lowercased() }
        if !offered.isEmpty && !offered.contains(where: ResponderUpgrader.protocols.contains) {
            head.headers.remove(name: "upgrade")
            return context.fireChannelRead(wrapInboundOut(.head(head)))
        }
        context.fireChannelRead(data)
    }
}

extension HTTPUpgrade {
    /// Releases what an accepted upgrade holds when its handler will never run.
    func abandon() {
        if case .tunnel(_, _, let abandon) = self { abandon() }
    }
}

/// NIO's server upgrader, deciding by asking the responder: a 101 with `.upgrade` switches the connection (the
/// WebSocket handshake itself is NIO's `NIOTypedWebSocketServerUpgrader`), anything else is recorded for the HTTP
/// path to write. Registered for `websocket`, and for `SPDY/3.1` only so that the responder can say why it refuses
/// it (kubectl's exec fallback).
struct ResponderUpgrader: NIOTypedHTTPServerProtocolUpgrader {
    typealias UpgradeResult = ConnectionKind

    /// The protocols a responder is asked about (lowercased).
    static let protocols: Set<String> = ["websocket", "spdy/3.1"]
    /// Upstream's WebSocket streams carry at most 32 KiB of data per frame; allow well above that.
    static let maxFrameSize = 1 << 20
    static let maxMessageSize = 1 << 24

    let supportedProtocol: String
    let responder: any HTTPResponder
    let decision: UpgradeDecision

    var requiredUpgradeHeaders: [String] { [] }

    struct Refused: Error {}

    func buildUpgradeResponse(channel: any Channel, upgradeRequest: HTTPRequestHead,
                              initialResponseHeaders: HTTPHeaders) -> EventLoopFuture<HTTPHeaders> {
        let responder = self.responder, decision = self.decision
        let promise = channel.eventLoop.makePromise(of: Void.self)
        promise.completeWithTask {
            let certificate = await HTTPServer.peerCertificate(channel)
            decision.record(upgradeRequest, await responder.respond(to: HTTPRequestMessage(head: upgradeRequest, clientCertificate: certificate)))
        }
        let isWebSocket = supportedProtocol == "websocket"
        return promise.futureResult.flatMap { _ in
            switch decision.accepted {
            case .webSocket(let subprotocol, let handler)? where isWebSocket:
                var headers = HTTPHeaders()
                if let subprotocol { headers.add(name: "sec-websocket-protocol", value: subprotocol) }
                return Self.webSocketUpgrader(headers, subprotocol, handler)
                    .buildUpgradeResponse(channel: channel, upgradeRequest: upgradeRequest, initialResponseHeaders: initialResponseHeaders)
            case .tunnel(let extra, _, _)?:
                // Raw bytes after the 101, whatever the protocol (a proxied WebSocket, or SPDY/3.1 for exec).
                var headers = initialResponseHeaders
                for (name, value) in extra { headers.replaceOrAdd(name: name, value: value) }
                return channel.eventLoop.makeSucceededFuture(headers)
            default:
                return channel.eventLoop.makeFailedFuture(Refused())
            }
        }
    }

    func upgrade(channel: any Channel, upgradeRequest: HTTPRequestHead) -> EventLoopFuture<ConnectionKind> {
        switch decision.accepted {
        case .webSocket(let subprotocol, let handler)?:
            return Self.webSocketUpgrader([:], subprotocol, handler).upgrade(channel: channel, upgradeRequest: upgradeRequest)
        case .tunnel(_, let handler, _)?:
            return channel.eventLoop.makeCompletedFuture {
                .tunnel(try NIOAsyncChannel(wrappingChannelSynchronously: channel), handler: handler)
            }
        case nil:
            return channel.eventLoop.makeFailedFuture(Refused())
        }
    }

    private static func webSocketUpgrader(
        _ headers: HTTPHeaders, _ subprotocol: String?, _ handler: @escaping @Sendable (WebSocketSession) async -> Void
    ) -> NIOTypedWebSocketServerUpgrader<ConnectionKind> {
        NIOTypedWebSocketServerUpgrader(
            maxFrameSize: maxFrameSize,
            shouldUpgrade: { channel, _ in channel.eventLoop.makeSucceededFuture(headers) },
            upgradePipelineHandler: { channel, _ in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(NIOWebSocketFrameAggregator(
                        minNonFinalFragmentSize: 0, maxAccumulatedFrameCount: 1 << 12, maxAccumulatedFrameSize: maxMessageSize))
                    return .webSocket(try NIOAsyncChannel(wrappingChannelSynchronously: channel), subprotocol: subprotocol, handler: handler)
                }
            })
    }
}

extension HTTPRequestMessage {
    /// The request as the transport hands it over, from a head without a body (upgrade requests have none).
    init(head: HTTPRequestHead, body: [UInt8] = [], clientCertificate: Certificate?) {
        let (path, query) = Self.split(target: head.uri)
        self.init(method: head.method.rawValue, path: path, query: query,
                  headers: head.headers.map { (name: $0.name.lowercased(), value: $0.value) },
                  body: body, clientCertificate: clientCertificate)
    }
}

// MARK: - Serving switched connections

extension HTTPServer {
    /// Runs a WebSocket handler: data messages are pulled from the connection as the handler reads them (so a slow
    /// handler slows the peer), pings are answered and a close frame is echoed on the way.
    static func serveWebSocket(_ connection: NIOAsyncChannel<WebSocketFrame, WebSocketFrame>, subprotocol: String?,
                               handler: @Sendable (WebSocketSession) async -> Void) async {
        let channel = connection.channel
        let closed = Mutex(false)
        let send: @Sendable (WebSocketSession.WebSocketOutbound) async throws -> Void = { frame in
            let (opcode, data): (WebSocketOpcode, ByteBuffer)
            switch frame {
            case .binary(let bytes):
                (opcode, data) = (.binary, channel.allocator.buffer(bytes: bytes))
            case .pong(let bytes):
                (opcode, data) = (.pong, channel.allocator.buffer(bytes: bytes))
            case .close(let code):
                var buffer = channel.allocator.buffer(capacity: 2)
                buffer.writeInteger(code)
                (opcode, data) = (.connectionClose, buffer)
            }
            // Nothing may follow a close frame.
            let alreadyClosed = closed.withLock { sent in
                defer { if opcode == .connectionClose { sent = true } }
                return sent
            }
            if alreadyClosed { throw ChannelError.outputClosed }
            try await channel.writeAndFlush(WebSocketFrame(fin: true, opcode: opcode, data: data)).get()
        }
        try? await connection.executeThenClose { inbound, _ in
            let frames = SingleConsumer(inbound.makeAsyncIterator())
            let messages = AsyncStream<[UInt8]> {
                while let frame = try? await frames.next() {
                    switch frame.opcode {
                    case .binary, .text:
                        return Array(frame.unmaskedData.readableBytesView)
                    case .ping:
                        try? await send(.pong(Array(frame.unmaskedData.readableBytesView)))
                    case .connectionClose:
                        try? await send(.close(code: 1000))
                        return nil
                    default:
                        continue
                    }
                }
                return nil
            }
            let session = WebSocketSession(messages: messages, subprotocol: subprotocol, send: send)
            await handler(session)
            await session.close()
        }
    }

    static func serveTunnel(_ connection: NIOAsyncChannel<ByteBuffer, ByteBuffer>,
                            handler: @Sendable (ByteStream) async -> Void) async {
        await ByteStream.run(connection, handler)
    }
}

extension ByteStream {
    /// Runs `body` with a raw byte connection (after a 101, either side), closing the connection when it returns.
    /// Bytes are pulled from the connection as `body` reads `inbound`, so a slow reader slows the peer.
    public static func run(_ connection: NIOAsyncChannel<ByteBuffer, ByteBuffer>,
                           _ body: @Sendable (ByteStream) async -> Void) async {
        let channel = connection.channel
        try? await connection.executeThenClose { inbound, _ in
            let buffers = SingleConsumer(inbound.makeAsyncIterator())
            let chunks = AsyncStream<[UInt8]> { (try? await buffers.next()).flatMap { $0.map { Array($0.readableBytesView) } } }
            let stream = ByteStream(
                inbound: chunks,
                write: { bytes in try await channel.writeAndFlush(channel.allocator.buffer(bytes: bytes)).get() },
                close: { channel.close(promise: nil) })
            await body(stream)
        }
    }
}

/// Hands an async iterator to an `AsyncStream(unfolding:)`, which calls its closure one element at a time from its
/// single consumer; that serial use is what makes the unchecked sendability sound.
final class SingleConsumer<Iterator: AsyncIteratorProtocol>: @unchecked Sendable {
    private var iterator: Iterator

    init(_ iterator: Iterator) { self.iterator = iterator }

    func next() async throws -> Iterator.Element? { try await iterator.next() }
}
