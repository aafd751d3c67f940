// scheduler-bench: the bundled kube-apiserver and kube-scheduler (and, for the Deployment case,
// kube-controller-manager) as separate processes on 127.0.0.1, with nodes that exist only as API objects (no
// kubelets, as upstream's scheduler_perf). See docs/benchmarks.md for how to run it (bench/scheduler.sh).
//
// Cases:
// - pods: `--pods` pods created by 32 clients against `--nodes` nodes; throughput = pods / (last bound - first
//   create sent), latency = bound (seen through a watch) - create sent. Baseline in the same run: the rate at which
//   the API server accepted those creates (the scheduler cannot bind faster than pods appear).
// - backlog: the scheduler stopped, `--pods` more pods created, a new scheduler started; its drain rate is pods /
//   (last bound - first bound), the scheduler's own ceiling with no creates competing for the CPU.
// - deployment: one Deployment of `--replicas` replicas; time from its create to every pod bound, against the time
//   to every pod created (the controllers' part).
import Foundation
import KubeAPI
import KubeClient
import Synchronization

let arguments = CommandLine.arguments
func option(_ name: String, _ fallback: String) -> String {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return fallback }
    return arguments[index + 1]
}
let binary = option("--binary", ".build/release/kubeadm-swift")
let nodeCount = Int(option("--nodes", "5000")) ?? 5000
let podCount = Int(option("--pods", "10000")) ?? 10000
let replicas = Int(option("--replicas", "1000")) ?? 1000
let pidFile = option("--pid-file", "")
let clients = 32

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

func run(_ tool: String, _ args: [String]) throws {
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
}

func percentile(_ values: [Double], _ p: Double) -> Double {
    guard !values.isEmpty else { return .nan }
    let sorted = values.sorted()
    return sorted[min(sorted.count - 1, max(0, Int((Double(sorted.count) * p).rounded(.up)) - 1))]
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
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

func cpuSeconds(_ pid: Int32) -> Double {
    guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
          let close = text.lastIndex(of: ")") else { return 0 }
    let fields = text[text.index(after: close)...].split(separator: " ")
    // utime and stime are fields 14 and 15 of stat; after the ")" they are the 12th and 13th.
    guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
    return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
}

// MARK: - Setup: PKI, a system:masters kubeconfig, the API server

let work = option("--work", FileManager.default.temporaryDirectory.appendingPathComponent("scheduler-bench-\(UUID().uuidString)").path)
try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(atPath: work) }
let pki = work + "/pki"
let port = freePort()
try run(binary, ["init", "phase", "certs", "all", "--cert-dir", pki, "--apiserver-advertise-address", "127.0.0.1"])
try run(binary, ["init", "phase", "kubeconfig", "super-admin", "--cert-dir", pki, "--kubeconfig-dir", work,
                 "--apiserver-advertise-address", "127.0.0.1", "--apiserver-bind-port", String(port)])
let kubeconfig = work + "/super-admin.conf"

let children = Mutex<[Process]>([])
func start(_ args: [String], log: String) throws -> Process {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: binary)
    process.arguments = args
    _ = FileManager.default.createFile(atPath: log, contents: nil)
    let handle = FileHandle(forWritingAtPath: log)
    process.standardOutput = handle
    process.standardError = handle
    try process.run()
    children.withLock { $0.append(process) }
    if !pidFile.isEmpty {
        let pids = children.withLock { $0.map { String($0.processIdentifier) } }.joined(separator: "\n") + "\n"
        try pids.write(toFile: pidFile, atomically: true, encoding: .utf8)
    }
    return process
}
func stopAll() {
    for process in children.withLock({ $0 }).reversed() where process.isRunning {
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
    }
}
defer { stopAll() }

let apiserver = try start(["kube-apiserver", "--advertise-address=127.0.0.1", "--bind-address=127.0.0.1", "--secure-port=\(port)",
                           "--tls-cert-file=\(pki)/apiserver.crt", "--tls-private-key-file=\(pki)/apiserver.key",
                           "--client-ca-file=\(pki)/ca.crt", "--authorization-mode=Node,RBAC", "--enable-admission-plugins=NodeRestriction",
                           "--storage-dir=\(work)/db", "--service-account-key-file=\(pki)/sa.pub",
                           "--service-account-signing-key-file=\(pki)/sa.key",
                           "--service-account-issuer=https://kubernetes.default.svc.cluster.local"], log: work + "/apiserver.log")

var config = try ClientConfig.fromKubeconfig(path: kubeconfig)
config.maxConnections = clients
let client = try RESTClient(config: config, component: "scheduler-bench")
guard let podsInfo = ResourceTable.resource(group: "", version: "v1", plural: "pods"),
      let deploymentsInfo = ResourceTable.resource(group: "apps", version: "v1", plural: "deployments")
else { throw BenchError("resource table lacks pods or deployments") }

var ready = false
for _ in 0..<300 {
    if let response = try? await client.send(method: "GET", path: "/readyz"), response.status == 200 { ready = true; break }
    try await Task.sleep(for: .milliseconds(100))
}
guard ready else { throw BenchError("the API server did not become ready") }

/// Send instants by index and the next index to send, shared by the workers of `createAll`.
final class Progress: Sendable {
    let sent: Mutex<[ContinuousClock.Instant]>
    let next = Atomic<Int>(0)
    init(count: Int, started: ContinuousClock.Instant) { sent = Mutex([ContinuousClock.Instant](repeating: started, count: count)) }
}

/// Runs `count` POSTs with `clients` workers; returns each one's send instant (by index) and the wall time.
func createAll(_ client: RESTClient, _ count: Int, path: @escaping @Sendable (Int) -> String, body: @escaping @Sendable (Int) -> [UInt8])
    async throws -> (sent: [ContinuousClock.Instant], wall: Duration) {
    let started = ContinuousClock.now
    let progress = Progress(count: count, started: started)
    try await withThrowingTaskGroup(of: Void.self) { tasks in
        for _ in 0..<clients {
            tasks.addTask {
                while true {
                    let index = progress.next.wrappingAdd(1, ordering: .relaxed).oldValue
                    guard index < count else { return }
                    let now = ContinuousClock.now
                    progress.sent.withLock { $0[index] = now }
                    let response = try await client.send(method: "POST", path: path(index), body: body(index))
                    guard (200..<300).contains(response.status) else {
                        throw BenchError("POST \(path(index)): \(response.status) \(String(decoding: response.body.prefix(300), as: UTF8.self))")
                    }
                }
            }
        }
        try await tasks.waitForAll()
    }
    return (progress.sent.withLock { $0 }, ContinuousClock.now - started)
}

/// Watches pods in `namespace` and records when each (by name) is first seen bound; returns once `count` are.
final class BindingWatch: Sendable {
    final class Seen: Sendable {
        let bound = Mutex<[String: ContinuousClock.Instant]>([:])
        let created = Mutex<[String: ContinuousClock.Instant]>([:])
    }
    let seen = Seen()
    func bound() -> [String: ContinuousClock.Instant] { seen.bound.withLock { $0 } }
    func created() -> [String: ContinuousClock.Instant] { seen.created.withLock { $0 } }
    let task: Task<Void, any Error>

    /// `boundOnly` asks the server for bound pods only (`spec.nodeName!=`), so the driver decodes one event per pod
    /// instead of two and leaves more of the shared CPU to the servers; `created` then stays empty.
    init(client: RESTClient, pods: APIResourceInfo, namespace: String, count: Int, boundOnly: Bool = false) async throws {
        let stream = try await client.watch(pods, namespace: namespace,
                                            options: ListOptions(fieldSelector: boundOnly ? "spec.nodeName!=" : nil),
                                            allowWatchBookmarks: false)
        let seen = seen
        task = Task {
            for try await event in stream {
                let now = ContinuousClock.now
                let name = event.object.metadata.name ?? ""
                if event.type == .added { seen.created.withLock { if $0[name] == nil { $0[name] = now } } }
                guard let node = event.object[path: ["spec", "nodeName"]]?.string, !node.isEmpty else { continue }
                let done = seen.bound.withLock { bound -> Bool in
                    if bound[name] == nil { bound[name] = now }
                    return bound.count >= count
                }
                if done { return }
            }
        }
    }

    /// Waits for every pod to be bound, at most `timeout`.
    func wait(timeout: Duration) async throws {
        let deadline = ContinuousClock.now + timeout
        while !task.isCancelled {
            if (try? await withThrowingTaskGroup(of: Bool.self, body: { group in
                group.addTask { try await self.task.value; return true }
                group.addTask { try await Task.sleep(for: .milliseconds(200)); return false }
                let first = try await group.next() ?? false
                group.cancelAll()
                return first
            })) == true { return }
            if ContinuousClock.now > deadline {
                task.cancel()
                throw BenchError("only \(bound().count) pods bound after \(timeout)")
            }
        }
    }
}

// MARK: - Nodes (API objects only) and the scheduler

for namespace in ["bench", "deploy", "warm"] {
    _ = try await client.send(method: "POST", path: "/api/v1/namespaces", body: Array(#"{"metadata":{"name":"\#(namespace)"}}"#.utf8))
}
let (_, nodesWall) = try await createAll(client, nodeCount, path: { _ in "/api/v1/nodes" }) { index in
    Array(#"""
    {"apiVersion":"v1","kind":"Node","metadata":{"name":"node-\#(index)","labels":{"kubernetes.io/hostname":"node-\#(index)","kubernetes.io/os":"linux","kubernetes.io/arch":"amd64"}},"spec":{},"status":{"capacity":{"cpu":"32","memory":"256Gi","pods":"110"},"allocatable":{"cpu":"32","memory":"256Gi","pods":"110"},"conditions":[{"type":"Ready","status":"True","reason":"KubeletReady","message":"bench"}]}}
    """#.utf8)
}

@Sendable func podBody(_ name: String, labels: String = #"{"app":"bench"}"#) -> [UInt8] {
    Array(#"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"\#(name)","labels":\#(labels)},"spec":{"containers":[{"name":"c","image":"busybox:1.36","command":["sleep","3600"],"resources":{"requests":{"cpu":"100m","memory":"100Mi"}}}]}}"#.utf8)
}

let schedulerPort = freePort()
let scheduler = try start(["kube-scheduler", "--kubeconfig=\(kubeconfig)", "--leader-elect=false", "--bind-address=127.0.0.1",
                           "--secure-port=\(schedulerPort)"], log: work + "/scheduler.log")
// The scheduler is ready once it binds a first pod (its informers have synced every node).
let warmup = try await BindingWatch(client: client, pods: podsInfo, namespace: "warm", count: 1)
_ = try await client.send(method: "POST", path: "/api/v1/namespaces/warm/pods", body: podBody("first"))
try await warmup.wait(timeout: .seconds(120))

// MARK: - Case 1: pods against nodes

let watch = try await BindingWatch(client: client, pods: podsInfo, namespace: "bench", count: podCount, boundOnly: true)
let schedulerCPU0 = cpuSeconds(scheduler.processIdentifier), apiserverCPU0 = cpuSeconds(apiserver.processIdentifier)
let (sent, createWall) = try await createAll(client, podCount, path: { _ in "/api/v1/namespaces/bench/pods" }) { podBody("p-\($0)") }
try await watch.wait(timeout: .seconds(600))
let schedulerCPU = cpuSeconds(scheduler.processIdentifier) - schedulerCPU0
let apiserverCPU = cpuSeconds(apiserver.processIdentifier) - apiserverCPU0
let bound = watch.bound()
let firstSent = sent.min() ?? .now
let lastBound = bound.values.max() ?? .now
let boundWall = lastBound - firstSent
let latencies = (0..<podCount).compactMap { index in bound["p-\(index)"].map { seconds($0 - sent[index]) * 1000 } }
let throughput = Double(podCount) / seconds(boundWall)
// How many Scheduled events made it (the scheduler drops them past 1,000 queued); their posters may still be busy.
try await Task.sleep(for: .seconds(1))
var scheduledEvents = 0
if let eventsInfo = ResourceTable.resource(group: "", version: "v1", plural: "events") {
    scheduledEvents = try await client.listAll(eventsInfo, namespace: "bench").items.count
}
let createRate = Double(podCount) / seconds(createWall)

// MARK: - Case 2: a backlog (pods created with no scheduler running, then one starts): the scheduler's own rate

kill(scheduler.processIdentifier, SIGTERM)
scheduler.waitUntilExit()
let backlog = try await BindingWatch(client: client, pods: podsInfo, namespace: "backlog", count: podCount, boundOnly: true)
_ = try await client.send(method: "POST", path: "/api/v1/namespaces", body: Array(#"{"metadata":{"name":"backlog"}}"#.utf8))
_ = try await createAll(client, podCount, path: { _ in "/api/v1/namespaces/backlog/pods" }) { podBody("b-\($0)") }
let restarted = ContinuousClock.now
let secondScheduler = try start(["kube-scheduler", "--kubeconfig=\(kubeconfig)", "--leader-elect=false", "--bind-address=127.0.0.1",
                                 "--secure-port=\(freePort())"], log: work + "/scheduler-2.log")
try await backlog.wait(timeout: .seconds(600))
let backlogTimes = backlog.bound().values
let firstBinding = backlogTimes.min() ?? restarted, lastBinding = backlogTimes.max() ?? restarted
let drainRate = Double(podCount) / seconds(lastBinding - firstBinding)
let startToFirst = seconds(firstBinding - restarted)
_ = secondScheduler

// MARK: - Case 3: a Deployment (controller manager started now, so cases 1 and 2 ran without it)

let managerPort = freePort()
let manager = try start(["kube-controller-manager", "--kubeconfig=\(kubeconfig)", "--leader-elect=false", "--bind-address=127.0.0.1",
                         "--secure-port=\(managerPort)", "--controllers=deployment,replicaset"], log: work + "/controller-manager.log")
func deployment(_ name: String, replicas: Int) -> [UInt8] {
    Array(#"""
    {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"\#(name)"},"spec":{"replicas":\#(replicas),"selector":{"matchLabels":{"app":"\#(name)"}},"template":{"metadata":{"labels":{"app":"\#(name)"}},"spec":{"containers":[{"name":"c","image":"busybox:1.36","command":["sleep","3600"],"resources":{"requests":{"cpu":"100m","memory":"100Mi"}}}]}}}}
    """#.utf8)
}
// Ready once a one-replica Deployment's pod is bound (the controllers' informers have synced).
let warmDeployment = try await BindingWatch(client: client, pods: podsInfo, namespace: "warm", count: 2)
_ = try await client.send(method: "POST", path: "/apis/apps/v1/namespaces/warm/deployments", body: deployment("warm", replicas: 1))
try await warmDeployment.wait(timeout: .seconds(120))
_ = deploymentsInfo

let deployWatch = try await BindingWatch(client: client, pods: podsInfo, namespace: "deploy", count: replicas)
let deployStarted = ContinuousClock.now
let response = try await client.send(method: "POST", path: "/apis/apps/v1/namespaces/deploy/deployments", body: deployment("big", replicas: replicas))
guard (200..<300).contains(response.status) else { throw BenchError("Deployment create: \(response.status)") }
try await deployWatch.wait(timeout: .seconds(600))
let deployBound = seconds((deployWatch.bound().values.max() ?? .now) - deployStarted)
let deployCreated = seconds((deployWatch.created().values.max() ?? .now) - deployStarted)
_ = manager

// MARK: - Report

print("scheduler-bench: \(nodeCount) nodes (API objects only), \(podCount) pods from \(clients) clients, Deployment of \(replicas)")
print(String(format: #"{"nodes": %d, "pods": %d, "pods_per_s": %.0f, "create_per_s": %.0f, "ratio": %.2f, "p50_ms": %.0f, "p99_ms": %.0f, "#
             + #""scheduler_cpu_ms_per_pod": %.2f, "apiserver_cpu_ms_per_pod": %.2f, "scheduled_events": %d, "backlog_pods_per_s": %.0f, "#
             + #""backlog_start_to_first_bind_s": %.2f, "deployment_replicas": %d, "deployment_all_bound_s": %.2f, "#
             + #""deployment_all_created_s": %.2f, "node_create_s": %.1f}"#,
             nodeCount, podCount, throughput, createRate, throughput / createRate, percentile(latencies, 0.5), percentile(latencies, 0.99),
             schedulerCPU * 1000 / Double(podCount), apiserverCPU * 1000 / Double(podCount), scheduledEvents, drainRate, startToFirst,
             replicas, deployBound, deployCreated, seconds(nodesWall)))
await client.shutdown()
