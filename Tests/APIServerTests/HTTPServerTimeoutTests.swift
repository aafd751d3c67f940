import Foundation
import HTTPTransport
import Testing
@testable import APIServer

/// The transport's timeouts, over plain HTTP on 127.0.0.1 with an ephemeral port.
@Suite("HTTP server timeouts")
struct HTTPServerTimeoutTests {
    struct OK: HTTPResponder {
        func respond(to request: HTTPRequestMessage) async -> HTTPResponseMessage {
            HTTPResponseMessage(status: 200, body: .bytes(Array("ok".utf8)))
        }
    }

    /// Connects, sends `bytes`, and returns what the server sent before closing (waits at most `wait`).
    static func exchange(port: Int, _ bytes: String, wait: TimeInterval) -> (data: String, closed: Bool) {
        let result = exchange(port: port, Array(bytes.utf8), wait: wait)
        return (result.data, result.closed)
    }

    /// The same with bytes in and out.
    static func exchange(port: Int, _ bytes: [UInt8], wait: TimeInterval) -> (data: String, bytes: [UInt8], closed: Bool) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return ("", [], false) }
        _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
        var timeout = timeval(tv_sec: Int(wait), tv_usec: Int((wait - Double(Int(wait))) * 1_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count == 0 { return (String(decoding: received, as: UTF8.self), received, true) }
            if count < 0 { return (String(decoding: received, as: UTF8.self), received, false) }
            received += buffer[0..<count]
        }
    }

    /// Blocking socket calls run on a thread of their own so they never starve the server's tasks.
    static func onThread<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in Thread.detachNewThread { continuation.resume(returning: body()) } }
    }

    @Test func aStalledRequestIsDisconnectedAndACompleteOneAnswered() async throws {
        let server = try await HTTPServer(
            settings: HTTPServerSettings(host: "127.0.0.1", port: 0, tls: nil, threads: 1,
                                         requestReadTimeout: .milliseconds(300), idleTimeout: .milliseconds(600)),
            responder: OK())
        let running = Task { await server.run() }
        defer {
            server.shutdown()
            running.cancel()
        }
        let port = server.boundPort
        let stalled = await Self.onThread { Self.exchange(port: port, "GET /version HTTP/1.1\r\nHost: x\r\n", wait: 10) }
        #expect(stalled.closed && stalled.data.isEmpty, "a half-sent request must be cut off")
        let idle = await Self.onThread { Self.exchange(port: port, "GET /version HTTP/1.1\r\nHost: x\r\n\r\n", wait: 10) }
        #expect(idle.data.hasPrefix("HTTP/1.1 200") && idle.data.hasSuffix("ok"), "\(idle.data)")
        #expect(idle.closed, "an idle keep-alive connection is closed after the idle timeout")
    }

    /// A response that never ends, like a watch.
    struct Endless: HTTPResponder {
        func respond(to request: HTTPRequestMessage) async -> HTTPResponseMessage {
            let (stream, continuation) = AsyncThrowingStream<[UInt8], any Error>.makeStream()
            continuation.yield(Array("{}\n".utf8))
            return HTTPResponseMessage(status: 200, body: .stream(stream))
        }
    }

    @Test func shutdownEndsOpenWatchesAfterTheGracePeriod() async throws {
        let server = try await HTTPServer(settings: HTTPServerSettings(host: "127.0.0.1", port: 0, tls: nil, threads: 1), responder: Endless())
        let running = Task { await server.run() }
        let port = server.boundPort
        let watch = Task { await Self.onThread { Self.exchange(port: port, "GET /watch HTTP/1.1\r\nHost: x\r\n\r\n", wait: 20) } }
        try await Task.sleep(for: .milliseconds(300))
        let started = ContinuousClock.now
        server.shutdown(grace: .milliseconds(300))
        await running.value
        #expect(ContinuousClock.now - started < .seconds(5), "run() returns once the grace period closed the watch")
        #expect(await watch.value.closed)
    }
}
