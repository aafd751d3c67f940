import Foundation
import HTTPTransport
import KubeAPI
import Testing
@testable import Kubelet

struct KubeletAPITests {
    struct Backend: KubeletAPIBackend {
        let log: String
        func pods() async -> [JSONValue] { [["metadata": ["name": "p"]]] }
        func logFile(namespace: String, pod: String, container: String, previous: Bool) async throws -> (path: String, running: Bool) {
            guard pod == "p" else { throw CRILogError("pod \(namespace)/\(pod) not found") }
            return (log, false)
        }
        func healthy() async -> Bool { true }
        func streaming(namespace: String, pod: String, container: String) async throws -> any ContainerStreaming {
            throw RemoteCommandError("container \(container) not found", status: 404)
        }
    }

    static func collect(_ response: HTTPResponseMessage) async throws -> String {
        switch response.body {
        case .bytes(let bytes): return String(decoding: bytes, as: UTF8.self)
        case .stream(let chunks):
            var all: [UInt8] = []
            for try await chunk in chunks { all += chunk }
            return String(decoding: all, as: UTF8.self)
        case .upgrade: return "<upgrade>"
        }
    }

    @Test func logsPodsAndAuthorization() async throws {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("cri-\(UUID().uuidString).log").path
        defer { try? FileManager.default.removeItem(atPath: log) }
        try """
            2026-11-26T10:00:00.000000001Z stdout F one
            2026-11-26T10:00:01.000000001Z stderr P par
            2026-11-26T10:00:01.000000002Z stderr F tial
            2026-11-26T10:00:02.000000001Z stdout F three

            """.write(toFile: log, atomically: true, encoding: .utf8)
        let allowed = KubeletAPIHandler(backend: Backend(log: log), tokenReview: { $0 == "good" ? KubeletUser(name: "bob", groups: []) : nil },
                                        accessReview: { user, _, subresource in user.name == "bob" && subresource == "proxy" },
                                        allowAnonymous: false)
        let auth = [("authorization", "Bearer good")]
        let all = try await Self.collect(await allowed.respond(to: HTTPRequestMessage(method: "GET", path: "/containerLogs/ns/p/c", headers: auth)))
        #expect(all == "one\npartial\nthree\n")
        let tail = try await Self.collect(await allowed.respond(to: HTTPRequestMessage(
            method: "GET", path: "/containerLogs/ns/p/c", query: [("tailLines", "1"), ("timestamps", "true")], headers: auth)))
        #expect(tail == "2026-11-26T10:00:02.000000001Z three\n")
        #expect(await allowed.respond(to: HTTPRequestMessage(method: "GET", path: "/containerLogs/ns/p/c")).status == 401)
        #expect(await allowed.respond(to: HTTPRequestMessage(method: "GET", path: "/containerLogs/ns/p/c",
                                                             headers: [("authorization", "Bearer bad")])).status == 401)
        #expect(await allowed.respond(to: HTTPRequestMessage(method: "GET", path: "/metrics", headers: auth)).status == 403)
        #expect(await allowed.respond(to: HTTPRequestMessage(method: "GET", path: "/containerLogs/ns/nope/c", headers: auth)).status == 404)
        let pods = try await Self.collect(await allowed.respond(to: HTTPRequestMessage(method: "GET", path: "/pods", headers: auth)))
        #expect(pods.contains("\"kind\":\"PodList\""))
        #expect(KubeletAPIHandler.subresource(for: "/stats/summary") == "stats")
        #expect(KubeletAPIHandler.subresource(for: "/exec/ns/p/c") == "proxy")
    }

    @Test func followedLogsSeeNewLines() async throws {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("cri-\(UUID().uuidString).log").path
        defer { try? FileManager.default.removeItem(atPath: log) }
        try "2026-11-26T10:00:00.1Z stdout F first\n".write(toFile: log, atomically: true, encoding: .utf8)
        let running = RunningFlag()
        let reader = CRILogReader(path: log, options: .init(follow: true), stillRunning: { running.value }, pollInterval: .milliseconds(20))
        var iterator = reader.stream().makeAsyncIterator()
        #expect(try await iterator.next().map { String(decoding: $0, as: UTF8.self) } == "first\n")
        let handle = try #require(FileHandle(forWritingAtPath: log))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("2026-11-26T10:00:01.1Z stdout F second\n".utf8))
        try handle.close()
        #expect(try await iterator.next().map { String(decoding: $0, as: UTF8.self) } == "second\n")
        running.value = false
        #expect(try await iterator.next() == nil)
    }

    final class RunningFlag: @unchecked Sendable {
        private let lock = NSLock()
        private var running = true
        var value: Bool {
            get { lock.withLock { running } }
            set { lock.withLock { running = newValue } }
        }
    }
}
