// apiserver-bench: the bundled kube-apiserver over HTTPS, as a separate process, against the raw store in the same
// run. See docs/benchmarks.md for how to run it (bench/apiserver.sh) and the figures.
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Storage
import Synchronization

let arguments = CommandLine.arguments
func option(_ name: String, _ fallback: String) -> String {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return fallback }
    return arguments[index + 1]
}
let binary = option("--binary", ".build/release/kubeadm-swift")
let podCount = Int(option("--pods", "10000")) ?? 10000
let watcherCount = Int(option("--watchers", "100")) ?? 100
let singleCount = Int(option("--single", "2000")) ?? 2000

func run(_ tool: String, _ args: [String]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: tool)
    process.arguments = args
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { throw BenchError("\(tool) \(args.joined(separator: " ")) failed: \(String(decoding: data, as: UTF8.self))") }
    return String(decoding: data, as: UTF8.self)
}

func percentile(_ values: [Double], _ p: Double) -> Double {
    guard !values.isEmpty else { return .nan }
    let sorted = values.sorted()
    return sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
}

func ms(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
}

func rssKiB(_ pid: Int32, field: String) -> Int {
    guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return 0 }
    for line in text.split(separator: "\n") where line.hasPrefix(field + ":") {
        return Int(line.split(separator: " ").dropFirst().first { !$0.isEmpty }.map(String.init) ?? "") ?? 0
    }
    return 0
}

func freePort() -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
    _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
    return Int(UInt16(bigEndian: address.sin_port))
}

func podBody(_ name: String) -> [UInt8] {
    Array(#"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"\#(name)","labels":{"app":"bench"}},"spec":{"containers":[{"name":"c","image":"busybox:1.36","command":["sleep","3600"]}]}}"#.utf8)
}

// MARK: - Setup: PKI, a system:masters identity, the server process

let work = FileManager.default.temporaryDirectory.appendingPathComponent("apiserver-bench-\(UUID().uuidString)").path
try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(atPath: work) }
let pki = work + "/pki"
let port = freePort()
_ = try run(binary, ["init", "phase", "certs", "all", "--cert-dir", pki, "--apiserver-advertise-address", "127.0.0.1"])
_ = try run(binary, ["init", "phase", "kubeconfig", "super-admin", "--cert-dir", pki, "--kubeconfig-dir", work,
                     "--apiserver-advertise-address", "127.0.0.1", "--apiserver-bind-port", String(port)])
let kubeconfig = try String(contentsOfFile: work + "/super-admin.conf", encoding: .utf8)
for (field, file) in [("client-certificate-data", "/client.crt"), ("client-key-data", "/client.key")] {
    guard let line = kubeconfig.split(separator: "\n").first(where: { $0.contains(field + ":") }),
          let encoded = line.split(separator: ":").last.map({ $0.trimmingCharacters(in: .whitespaces) }),
          let data = Data(base64Encoded: encoded)
    else { throw BenchError("no \(field) in super-admin.conf") }
    try data.write(to: URL(fileURLWithPath: work + file))
}

let server = Process()
server.executableURL = URL(fileURLWithPath: binary)
server.arguments = ["kube-apiserver", "--advertise-address=127.0.0.1", "--bind-address=127.0.0.1", "--secure-port=\(port)",
                    "--tls-cert-file=\(pki)/apiserver.crt", "--tls-private-key-file=\(pki)/apiserver.key",
                    "--client-ca-file=\(pki)/ca.crt", "--authorization-mode=Node,RBAC", "--enable-admission-plugins=NodeRestriction", "--storage-dir=\(work)/db",
                    "--service-account-key-file=\(pki)/sa.pub", "--service-account-signing-key-file=\(pki)/sa.key",
                    "--service-account-issuer=https://kubernetes.default.svc.cluster.local"]
server.standardOutput = FileHandle.nullDevice
server.standardError = FileHandle.nullDevice
try server.run()
defer {
    kill(server.processIdentifier, SIGTERM)
    server.waitUntilExit()
}

let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
let tls = try HTTPSClient.makeContext(ca: pki + "/ca.crt", cert: work + "/client.crt", key: work + "/client.key")

/// Runs `count` requests on one keep-alive connection; returns each request's latency in ms.
func session(_ count: Int, _ make: @Sendable @escaping (Int) -> (HTTPMethod, String, [UInt8])) async throws -> [Double] {
    let connection = try await HTTPSClient.connect(group: group, host: "127.0.0.1", port: port, context: tls)
    return try await connection.executeThenClose { inbound, outbound in
        var iterator = inbound.makeAsyncIterator()
        var latencies: [Double] = []
        latencies.reserveCapacity(count)
        for index in 0..<count {
            let (method, path, body) = make(index)
            let started = ContinuousClock.now
            let response = try await HTTPSClient.send(method, path, body: body, iterator: &iterator, outbound: outbound)
            latencies.append(ms(ContinuousClock.now - started))
            guard response.status < 300 else {
                throw BenchError("\(method) \(path): \(response.status) \(String(decoding: response.body.prefix(300), as: UTF8.self))")
            }
        }
        return latencies
    }
}

/// `clients` sessions in parallel; returns all latencies and the wall time.
func parallel(_ clients: Int, _ perClient: Int, _ make: @Sendable @escaping (Int, Int) -> (HTTPMethod, String, [UInt8])) async throws -> ([Double], Double) {
    let started = ContinuousClock.now
    let all = try await withThrowingTaskGroup(of: [Double].self) { tasks in
        for client in 0..<clients { tasks.addTask { try await session(perClient) { make(client, $0) } } }
        var merged: [Double] = []
        for try await part in tasks { merged += part }
        return merged
    }
    return (all, ms(ContinuousClock.now - started))
}

var ready = false
for _ in 0..<300 {
    if let latency = try? await session(1, { _ in (.GET, "/readyz", []) }), !latency.isEmpty { ready = true; break }
    try await Task.sleep(for: .milliseconds(100))
}
guard ready else { throw BenchError("the server did not become ready") }
try await Task.sleep(for: .seconds(1))
let idleRSS = rssKiB(server.processIdentifier, field: "VmRSS")
let idleAnon = rssKiB(server.processIdentifier, field: "RssAnon")
for namespace in ["bench", "bench-one", "fanout"] {
    _ = try await session(1) { _ in (.POST, "/api/v1/namespaces", Array(#"{"metadata":{"name":"\#(namespace)"}}"#.utf8)) }
}

// MARK: - Baseline: the raw store with the same concurrency, in this run

func storeCreates(writers: Int, perWriter: Int) async throws -> Double {
    let directory = work + "/baseline-\(writers)"
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let store = try SQLiteStore(path: directory + "/state.db")
    let started = ContinuousClock.now
    try await withThrowingTaskGroup(of: Void.self) { tasks in
        for writer in 0..<writers {
            tasks.addTask {
                for index in 0..<perWriter {
                    _ = try await store.create("/registry/pods/bench/p-\(writer)-\(index)", value: podBody("p-\(writer)-\(index)"))
                }
            }
        }
        try await tasks.waitForAll()
    }
    let elapsed = ms(ContinuousClock.now - started)
    await store.close()
    return Double(writers * perWriter) / elapsed * 1000
}

let storeOne = try await storeCreates(writers: 1, perWriter: singleCount)
let storeMany = try await storeCreates(writers: 32, perWriter: podCount / 32)

// MARK: - Measurements over HTTPS

let (singleLatencies, singleWall) = try await parallel(1, singleCount) { _, index in
    (.POST, "/api/v1/namespaces/bench-one/pods", podBody("one-\(index)"))
}
let perClient = podCount / 32
let (manyLatencies, manyWall) = try await parallel(32, perClient) { client, index in
    (.POST, "/api/v1/namespaces/bench/pods", podBody("p-\(client)-\(index)"))
}
let (getLatencies, _) = try await parallel(32, 200) { client, index in
    (.GET, "/api/v1/namespaces/bench/pods/p-\((client * 7 + index) % 32)-\(index % perClient)", [])
}
var listTimes: [Double] = []
for _ in 0..<5 {
    listTimes += try await session(1) { _ in (.GET, "/api/v1/namespaces/bench/pods", []) }
}
let loadRSS = rssKiB(server.processIdentifier, field: "VmHWM")

// Watch fan-out: `watcherCount` watches, then events created one at a time; latency = event seen - create sent.
let events = 20
let sentAt = Mutex([Int: ContinuousClock.Instant]())
let seen = Mutex([Double]())
let readyCount = Mutex(0)
let watchers = Task {
    try await withThrowingTaskGroup(of: Void.self) { tasks in
        for _ in 0..<watcherCount {
            tasks.addTask {
                let connection = try await HTTPSClient.connect(group: group, host: "127.0.0.1", port: port, context: tls)
                try await connection.executeThenClose { inbound, outbound in
                    try await HTTPSClient.writeRequest(.GET, "/api/v1/namespaces/fanout/configmaps?watch=true", outbound: outbound)
                    var received = 0
                    var pending: [UInt8] = []
                    for try await part in inbound {
                        switch part {
                        case .head: readyCount.withLock { $0 += 1 }
                        case .body(let buffer):
                            let now = ContinuousClock.now
                            pending.append(contentsOf: buffer.readableBytesView)
                            while let newline = pending.firstIndex(of: 10) {
                                let line = String(decoding: pending[..<newline], as: UTF8.self)
                                pending.removeSubrange(...newline)
                                guard let range = line.range(of: "\"name\":\"e-") else { continue }
                                let digits = line[range.upperBound...].prefix { $0.isNumber }
                                if let index = Int(digits), let sent = sentAt.withLock({ $0[index] }) {
                                    seen.withLock { $0.append(ms(now - sent)) }
                                    received += 1
                                }
                            }
                            if received == events { return }
                        case .end: return
                        }
                    }
                }
            }
        }
        try await tasks.waitForAll()
    }
}
while readyCount.withLock({ $0 }) < watcherCount { try await Task.sleep(for: .milliseconds(20)) }
try await Task.sleep(for: .milliseconds(200))
_ = try await session(events) { index in
    sentAt.withLock { $0[index] = ContinuousClock.now }
    return (.POST, "/api/v1/namespaces/fanout/configmaps", Array(#"{"metadata":{"name":"e-\#(index)"}}"#.utf8))
}
let deadline = ContinuousClock.now + .seconds(30)
while seen.withLock({ $0.count }) < events * watcherCount && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
watchers.cancel()
let fanout = seen.withLock { $0 }

// MARK: - Report

let singleRate = Double(singleCount) / singleWall * 1000
let manyRate = Double(perClient * 32) / manyWall * 1000
print("apiserver-bench: \(podCount) pods, \(watcherCount) watchers, HTTPS with a client certificate, Node,RBAC, SQLite store")
print("| measurement | value | baseline (raw store, same run) | ratio |")
print("|---|---|---|---|")
print(String(format: "| creates/s, 1 client | %.0f (p50 %.2f ms, p99 %.2f ms) | %.0f | %.2fx |", singleRate,
             percentile(singleLatencies, 0.5), percentile(singleLatencies, 0.99), storeOne, singleRate / storeOne))
print(String(format: "| creates/s, 32 clients | %.0f (p50 %.2f ms, p99 %.2f ms) | %.0f | %.2fx |", manyRate,
             percentile(manyLatencies, 0.5), percentile(manyLatencies, 0.99), storeMany, manyRate / storeMany))
print(String(format: "| GET p50 / p99, 32 clients | %.2f / %.2f ms | | |", percentile(getLatencies, 0.5), percentile(getLatencies, 0.99)))
print(String(format: "| LIST %d pods (median of 5) | %.1f ms | | |", perClient * 32, percentile(listTimes, 0.5)))
print(String(format: "| watch fan-out p50 / p99 (%d watchers x %d events, %d delivered) | %.2f / %.2f ms | | |", watcherCount, events,
             fanout.count, percentile(fanout, 0.5), percentile(fanout, 0.99)))
print(String(format: "| server RSS idle / peak | %.1f / %.1f MiB | | |", Double(idleRSS) / 1024, Double(loadRSS) / 1024))
print(String(format: "| server RSS idle: private (anonymous) / file-backed (binary and shared libraries) | %.1f / %.1f MiB | | |",
             Double(idleAnon) / 1024, Double(idleRSS - idleAnon) / 1024))
try await group.shutdownGracefully()
