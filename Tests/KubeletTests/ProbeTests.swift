import Foundation
import KubeAPI
import Testing
@testable import Kubelet

struct ProbeTests {
    /// A listener on 127.0.0.1 that answers every connection with `reply` once, on a background thread.
    final class Listener: @unchecked Sendable {
        let fd: Int32
        let port: Int

        init(reply: String) {
            let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            fd = listener
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) } }
            _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) } }
            port = Int(UInt16(bigEndian: address.sin_port))
            listen(listener, 8)
            Thread.detachNewThread {
                while true {
                    let client = accept(listener, nil, nil)
                    if client < 0 { return }
                    var buffer = [UInt8](repeating: 0, count: 1024)
                    _ = recv(client, &buffer, buffer.count, 0)
                    _ = reply.withCString { send(client, $0, strlen($0), 0) }
                    close(client)
                }
            }
        }

        func stop() { shutdown(fd, Int32(SHUT_RDWR)); close(fd) }
    }

    @Test func tcpAndHTTPProbes() {
        let ok = Listener(reply: "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
        let bad = Listener(reply: "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n")
        defer { ok.stop(); bad.stop() }
        #expect(NetworkProbe.tcp(host: "127.0.0.1", port: ok.port, timeout: 1) == .success)
        #expect(NetworkProbe.http(host: "127.0.0.1", port: ok.port, path: "/healthz", headers: [], timeout: 1) == .success)
        #expect(NetworkProbe.http(host: "127.0.0.1", port: bad.port, path: "/", headers: [], timeout: 1)
                == .failure("HTTP probe failed with statuscode: 503"))
        let closedPort = Listener(reply: "")
        let port = closedPort.port
        closedPort.stop()
        #expect(!NetworkProbe.tcp(host: "127.0.0.1", port: port, timeout: 1).succeeded)
    }

    @Test func specDefaultsAndNamedPorts() throws {
        let container: JSONValue = ["ports": [["name": "http", "containerPort": 8080]]]
        let spec = try #require(ProbeSpec(["httpGet": ["port": "http", "path": "/ready"], "failureThreshold": 2], container: container))
        #expect(spec.action == .http(host: nil, port: 8080, path: "/ready", scheme: "HTTP", headers: []))
        #expect(spec.periodSeconds == 10 && spec.timeoutSeconds == 1 && spec.failureThreshold == 2 && spec.successThreshold == 1)
        #expect(ProbeSpec(["grpc": ["port": 9000]], container: container) == nil)
    }

    @Test func trackerHonoursThresholds() throws {
        let spec = try #require(ProbeSpec(["tcpSocket": ["port": 80], "failureThreshold": 3, "successThreshold": 2], container: .emptyObject))
        var liveness = ProbeTracker(kind: .liveness, spec: spec)
        #expect(liveness.healthy)
        liveness.record(.failure("x"))
        liveness.record(.failure("x"))
        #expect(liveness.healthy, "two failures are below the threshold")
        let changed = liveness.record(.failure("x"))
        #expect(changed)
        #expect(!liveness.healthy && liveness.lastFailure == "x")
        var readiness = ProbeTracker(kind: .readiness, spec: spec)
        #expect(!readiness.healthy)
        readiness.record(.success)
        #expect(!readiness.healthy)
        readiness.record(.success)
        #expect(readiness.healthy)
    }
}
