import Foundation
import HTTPTransport
import KubeAPI
import KubeClient
import PKI

/// The `kube-scheduler` process: upstream flag names, health endpoints over HTTPS on `--secure-port` (10259),
/// leader election on the `kube-system/kube-scheduler` Lease, and the scheduling cycle over informer caches.
public enum KubeScheduler {
    public struct Options: Sendable {
        public var kubeconfig = ""
        public var leaderElect = true
        public var bindAddress = "0.0.0.0"
        public var securePort = 10259
        public var ignored: [String] = []

        public init() {}

        static let accepted: Set<String> = ["authentication-kubeconfig", "authorization-kubeconfig", "v", "profiling", "config",
                                            "leader-elect-lease-duration", "leader-elect-renew-deadline", "leader-elect-retry-period"]

        /// Parses `--name=value` / `--name value` / boolean `--leader-elect`.
        public static func parse(_ arguments: [String]) throws -> Options {
            var options = Options()
            var index = 0
            while index < arguments.count {
                let argument = arguments[index]
                guard argument.hasPrefix("--") else { throw SchedulerError("unexpected argument \"\(argument)\"; flags look like --name=value") }
                let body = argument.dropFirst(2)
                var name = String(body)
                let value: String
                if let equals = body.firstIndex(of: "=") {
                    name = String(body[..<equals])
                    value = String(body[body.index(after: equals)...])
                } else if name == "leader-elect" || name == "profiling" {
                    value = "true"
                } else {
                    guard index + 1 < arguments.count else { throw SchedulerError("flag --\(name) needs a value") }
                    index += 1
                    value = arguments[index]
                }
                switch name {
                case "kubeconfig": options.kubeconfig = value
                case "leader-elect":
                    guard let flag = Bool(value) else { throw SchedulerError("--leader-elect takes true or false, not \"\(value)\"") }
                    options.leaderElect = flag
                case "bind-address": options.bindAddress = value
                case "secure-port":
                    guard let port = Int(value), (0...65535).contains(port) else { throw SchedulerError("--secure-port must be a port number, not \"\(value)\"") }
                    options.securePort = port
                case _ where accepted.contains(name): options.ignored.append(name)
                default: throw SchedulerError("unknown flag: --\(name)")
                }
                index += 1
            }
            guard !options.kubeconfig.isEmpty else { throw SchedulerError("--kubeconfig is required (kubeadm passes /etc/kubernetes/scheduler.conf)") }
            return options
        }
    }

    /// Runs until SIGTERM/SIGINT cancels the task.
    public static func run(_ options: Options, log: @escaping @Sendable (String) -> Void) async throws {
        let client: RESTClient
        do {
            client = try RESTClient(kubeconfig: options.kubeconfig, component: "kube-scheduler")
        } catch {
            throw SchedulerError("cannot use --kubeconfig=\(options.kubeconfig): \(error)")
        }
        let cluster = try KubeClientCluster(client: client)
        let loop = SchedulerLoop(cluster: cluster)
        let health = try await serveHealth(options, synced: { cluster.nodeInformer.hasSynced && cluster.podInformer.hasSynced })
        let identity = ProcessInfo.processInfo.hostName + "_" + UUID().uuidString.lowercased()
        log("serving health checks securely on \(options.bindAddress):\(health?.boundPort ?? 0)")
        let schedule: @Sendable () async -> Void = {
            log("started scheduling")
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await cluster.run() }
                group.addTask {
                    _ = await cluster.waitForSync()
                    while !Task.isCancelled {
                        await loop.refresh(clusterChanged: cluster.takeChanged())
                        await loop.scheduleAvailable()
                        try? await Task.sleep(for: .milliseconds(100))
                    }
                }
            }
        }
        let serving = Task { await health?.run() }
        defer {
            health?.shutdown()
            serving.cancel()
        }
        if options.leaderElect {
            let elector = try LeaderElector(
                client: client, config: LeaderElectionConfig(name: "kube-scheduler", identity: identity),
                callbacks: .init(onStartedLeading: schedule, onStoppedLeading: { log("lost the kube-system/kube-scheduler lease") }))
            await elector.run()
        } else {
            await schedule()
        }
        await client.shutdown()
    }

    /// /healthz, /livez and /readyz over HTTPS with a self-signed certificate, as kubeadm's probes expect.
    static func serveHealth(_ options: Options, synced: @escaping @Sendable () -> Bool) async throws -> HTTPServer? {
        guard options.securePort != 0 else { return nil }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kube-scheduler-serving").path
        let host = ProcessInfo.processInfo.hostName
        let (certificate, key) = try SelfSignedServingCertificate.ensure(directory: directory, name: "kube-scheduler", hostname: host,
                                                                         addresses: ["127.0.0.1", options.bindAddress].filter { $0 != "0.0.0.0" })
        return try await HTTPServer(
            settings: HTTPServerSettings(host: options.bindAddress, port: options.securePort,
                                         tls: .init(certificateFile: certificate, privateKeyFile: key, clientCAFile: nil), threads: 1),
            responder: ComponentHealth(ready: synced))
    }
}

/// `ok` on /healthz and /livez; /readyz also waits for the informers' first sync.
struct ComponentHealth: HTTPResponder {
    let ready: @Sendable () -> Bool

    func respond(to request: HTTPRequestMessage) async -> HTTPResponseMessage {
        let text: (Int, String)
        switch request.path {
        case "/healthz", "/livez": text = (200, "ok")
        case "/readyz": text = ready() ? (200, "ok") : (500, "[-]informer-sync failed: not synced yet\nreadyz check failed")
        default: text = (404, "404 page not found")
        }
        return HTTPResponseMessage(status: text.0, headers: [("content-type", "text/plain; charset=utf-8")], body: .bytes(Array(text.1.utf8)))
    }
}

public struct SchedulerError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
