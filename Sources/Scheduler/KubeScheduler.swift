import Foundation
import HTTPTransport
import KubeAPI
import KubeClient
import Manifests

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
            let pairs: [(name: String, value: String)]
            do {
                pairs = try ComponentFlags.parse(arguments, booleans: ["leader-elect", "profiling"])
            } catch {
                throw SchedulerError(error.description)
            }
            for (name, value) in pairs {
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
            }
            guard !options.kubeconfig.isEmpty else { throw SchedulerError("--kubeconfig is required (kubeadm passes /etc/kubernetes/scheduler.conf)") }
            return options
        }
    }

    /// Runs until SIGTERM/SIGINT cancels the task.
    public static func run(_ options: Options, log: @escaping @Sendable (String) -> Void) async throws {
        let client: RESTClient
        do {
            var config = try ClientConfig.fromKubeconfig(path: options.kubeconfig)
            // One connection per binding in flight and per event poster (upstream's client multiplexes them over HTTP/2).
            config.maxConnections = SchedulerLoop.maxBindsInFlight + KubeClientCluster.reportWorkers
            client = try RESTClient(config: config, component: "kube-scheduler")
        } catch {
            throw SchedulerError("cannot use --kubeconfig=\(options.kubeconfig): \(error)")
        }
        let cluster = try KubeClientCluster(client: client)
        let loop = SchedulerLoop(cluster: cluster)
        let health = try await ComponentHealthServer.bind(component: "kube-scheduler", bindAddress: options.bindAddress, port: options.securePort,
                                                          ready: { cluster.nodeInformer.hasSynced && cluster.podInformer.hasSynced })
        let identity = ProcessInfo.processInfo.hostName + "_" + UUID().uuidString.lowercased()
        log("serving health checks securely on \(options.bindAddress):\(health?.boundPort ?? 0)")
        let schedule: @Sendable () async -> Void = {
            log("started scheduling")
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await cluster.run() }
                group.addTask { for await event in cluster.nodeChanges { await loop.apply(node: event) } }
                group.addTask { for await event in cluster.podChanges { await loop.apply(pod: event) } }
                group.addTask {
                    _ = await cluster.waitForSync()
                    while !Task.isCancelled {
                        // Straight on while pods keep coming; otherwise look again shortly (new pods, expiring back-offs).
                        if await loop.scheduleAvailable() == 0 { try? await Task.sleep(for: .milliseconds(20)) }
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
}

public struct SchedulerError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
