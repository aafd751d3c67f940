import Foundation
import HTTPTransport
import Testing

/// Protocol upgrades in the transport, over plain HTTP with raw sockets: the WebSocket handshake and framing, a
/// refused upgrade answered with the responder's response, SPDY shown to the responder, an unknown `Upgrade`
/// ignored, and ordinary keep-alive requests untouched.
@Suite("HTTP upgrades")
struct HTTPUpgradeTests {
    /// `/echo` accepts a WebSocket and echoes one message; `/refuse` says 403; anything else reports what it saw.
    struct Responder: HTTPResponder {
        func respond(to request: HTTPRequestMessage) async -> HTTPResponseMessage {
            switch request.path {
            case "/echo" where request.upgradeProtocol == "websocket":
                let chosen = request.webSocketProtocols.first { $0 == "v5.channel.k8s.io" }
                return HTTPResponseMessage(status: 101, body: .upgrade(.webSocket(subprotocol: chosen) { socket in
                    for await message in socket.messages {
                        try? await socket.send(message)
                        return
                    }
                }))
            case "/refuse":
                return HTTPResponseMessage(status: 403, body: .bytes(Array("no".utf8)))
            default:
                return HTTPResponseMessage(status: 200, body: .bytes(Array("\(request.method) upgrade=\(request.upgradeProtocol ?? "-")".utf8)))
            }
        }
    }

    static let handshake = "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Protocol: v4.channel.k8s.io, v5.channel.k8s.io\r\n"

    @Test func upgradesAreDecidedByTheResponder() async throws {
        let server = try await HTTPServer(settings: HTTPServerSettings(host: "127.0.0.1", port: 0, tls: nil, threads: 1,
                                                                       idleTimeout: .seconds(2)),
                                          responder: Responder())
        let running = Task { await server.run() }
        defer {
            server.shutdown()
            running.cancel()
        }
        let port = server.boundPort
        let exchange = { (bytes: [UInt8]) in
            await HTTPServerTimeoutTests.onThread { HTTPServerTimeoutTests.exchange(port: port, bytes, wait: 10) }
        }
        // A masked binary frame "hi" sent right behind the request: buffered until the upgrade is done.
        let frame: [UInt8] = [0x82, 0x82, 1, 2, 3, 4, UInt8(ascii: "h") ^ 1, UInt8(ascii: "i") ^ 2]
        let echo = await exchange(Array("GET /echo HTTP/1.1\r\nHost: x\r\n\(Self.handshake)\r\n".utf8) + frame)
        #expect(echo.data.hasPrefix("HTTP/1.1 101 Switching Protocols\r\n"), "\(echo.data)")
        #expect(echo.data.lowercased().contains("sec-websocket-accept: s3pplmbitxaq9kygzzhzrbk+xoo="), "RFC 6455's sample key")
        #expect(echo.data.lowercased().contains("sec-websocket-protocol: v5.channel.k8s.io"))
        #expect(echo.bytes.suffix(8) == [0x82, 2, UInt8(ascii: "h"), UInt8(ascii: "i"), 0x88, 2, 0x03, 0xE8],
                "the echo, then a normal close: \(echo.bytes.suffix(8))")
        #expect(echo.closed)

        let refused = await exchange(Array("GET /refuse HTTP/1.1\r\nHost: x\r\n\(Self.handshake)\r\n".utf8))
        #expect(refused.data.hasPrefix("HTTP/1.1 403") && refused.data.hasSuffix("no") && refused.closed, "\(refused.data)")

        let spdy = await exchange(Array("POST /exec HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nContent-Length: 0\r\n\r\n".utf8))
        #expect(spdy.data.hasPrefix("HTTP/1.1 200") && spdy.data.hasSuffix("POST upgrade=spdy/3.1"), "\(spdy.data)")

        let h2c = await exchange(Array("GET /x HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n".utf8))
        #expect(h2c.data.hasPrefix("HTTP/1.1 200") && h2c.data.hasSuffix("GET upgrade=-"), "an unknown upgrade is ignored: \(h2c.data)")

        let keepAlive = await exchange(Array("GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\(Self.handshake)\r\n".utf8))
        #expect(keepAlive.data.components(separatedBy: "HTTP/1.1 200").count == 3 && keepAlive.data.hasSuffix("GET upgrade=websocket"),
                "keep-alive requests are served, and a later one asking for an upgrade as plain HTTP: \(keepAlive.data)")
    }
}
