import Foundation

/// How a responder takes over a connection whose request asked for `Upgrade: websocket`: it answers a response with
/// status 101 and this as its body, and the transport switches the connection to the new protocol and calls the
/// handler with it. The handler owns the connection until it returns; the transport closes it then.
///
/// An upgrade is only possible on a connection's first request (NIO's typed upgrade handler decides it there, as
/// WebSocket clients such as kubectl and the Python client always open a fresh connection); an upgrade answered to
/// any other request is turned into a 400.
public enum HTTPUpgrade: Sendable {
    /// Accept a WebSocket (RFC 6455): the transport answers the handshake (`Sec-WebSocket-Accept`), selects
    /// `subprotocol` when given, joins fragments, answers pings and close frames.
    case webSocket(subprotocol: String?, handler: @Sendable (WebSocketSession) async -> Void)
    /// Switch to raw bytes after a 101 carrying `headers` (proxying an upgrade that another server answered, as the
    /// API server does for exec, or speaking a protocol of its own over them, such as SPDY/3.1). `abandon` runs instead of `handler` when the 101 could not be sent.
    case tunnel(headers: [(name: String, value: String)], handler: @Sendable (ByteStream) async -> Void,
                abandon: @Sendable () -> Void)
}

/// One side of an upgraded connection carried as raw bytes.
public final class ByteStream: Sendable {
    /// What the peer sends, chunk by chunk; ends when the peer closes or the connection fails.
    public let inbound: AsyncStream<[UInt8]>
    private let writer: @Sendable ([UInt8]) async throws -> Void
    private let closer: @Sendable () -> Void

    /// - Parameters:
    ///   - inbound: the peer's bytes.
    ///   - write: sends bytes, returning once they are written to the connection.
    ///   - close: closes the connection.
    public init(inbound: AsyncStream<[UInt8]>, write: @escaping @Sendable ([UInt8]) async throws -> Void,
                close: @escaping @Sendable () -> Void) {
        self.inbound = inbound
        self.writer = write
        self.closer = close
    }

    /// Sends bytes; returns once they are written to the connection.
    public func write(_ bytes: [UInt8]) async throws { try await writer(bytes) }

    /// Closes the connection (both directions).
    public func close() { closer() }

    /// Copies bytes both ways between two streams until either side ends, then closes both: an upgraded connection
    /// proxied to another server (upstream's `UpgradeAwareHandler` after the 101).
    public static func relay(_ a: ByteStream, _ b: ByteStream) async {
        await withTaskGroup(of: Void.self) { group in
            for (from, to) in [(a, b), (b, a)] {
                group.addTask {
                    for await chunk in from.inbound {
                        do { try await to.write(chunk) } catch { break }
                    }
                }
            }
            await group.next()
            a.close()
            b.close()
            group.cancelAll()
        }
    }
}

/// A WebSocket after the handshake, as a responder's upgrade handler sees it: whole messages in, binary messages
/// out. Pings and the closing handshake are answered by the transport.
public final class WebSocketSession: Sendable {
    /// The peer's data messages (binary or text) with fragments joined; ends when the peer closes the WebSocket
    /// or the connection drops.
    public let messages: AsyncStream<[UInt8]>
    /// The subprotocol the handshake selected.
    public let subprotocol: String?
    private let sender: @Sendable (WebSocketOutbound) async throws -> Void

    /// What the transport can send on a WebSocket.
    public enum WebSocketOutbound: Sendable {
        case binary([UInt8])
        case pong([UInt8])
        /// A close frame with a status code (1000 = normal closure).
        case close(code: UInt16)
    }

    /// - Parameters:
    ///   - messages: the peer's data messages.
    ///   - subprotocol: the negotiated subprotocol.
    ///   - send: writes one frame, returning once it is written.
    public init(messages: AsyncStream<[UInt8]>, subprotocol: String?,
                send: @escaping @Sendable (WebSocketOutbound) async throws -> Void) {
        self.messages = messages
        self.subprotocol = subprotocol
        self.sender = send
    }

    /// Sends one binary message; returns once it is written to the connection.
    /// - Throws: when the connection is closed.
    public func send(_ message: [UInt8]) async throws { try await sender(.binary(message)) }

    /// Sends a close frame; the transport closes the connection when the handler returns.
    public func close(code: UInt16 = 1000) async { try? await sender(.close(code: code)) }

    func send(_ frame: WebSocketOutbound) async throws { try await sender(frame) }
}

extension HTTPRequestMessage {
    /// The protocol an `Upgrade` header asks for, lowercased (`websocket`, `spdy/3.1`), when the request is one.
    public var upgradeProtocol: String? {
        guard let value = header("upgrade"), !value.isEmpty else { return nil }
        return value.split(separator: ",").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
    }

    /// The WebSocket subprotocols the client offers, in its order of preference (`Sec-WebSocket-Protocol`, which
    /// may be repeated and comma-separated).
    public var webSocketProtocols: [String] {
        headers.filter { $0.name == "sec-websocket-protocol" }
            .flatMap { $0.value.split(separator: ",") }
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
    }
}
