import Foundation
import HTTPTransport
import KubeAPI
import KubeClient
import Manifests
import PKI

/// The `kube-controller-manager` process: upstream flag names, HTTPS health endpoints on `--secure-port` (10257),
/// leader election on the `kube-system/kube-controller-manager` Lease, shared informers and the controllers of
/// `ControllerTable`.
public enum KubeControllerManager {
    public struct Options: Sendable {
        public var kubeconfig = ""
        public var leaderElect = true
        public var bindAddress = "0.0.0.0"
        public var securePort = 10257
        public var clusterSigningCertFile = ""
        public var clusterSigningKeyFile = ""
        public var rootCAFile = ""
        public var controllers = ["*"]
        public var useServiceAccountCredentials = false
        /// `--allocate-node-cidrs`: nodeipam gives each Node a pod CIDR out of `--cluster-cidr`.
        public var allocateNodeCIDRs = false
        public var clusterCIDR = ""
        /// `--node-cidr-mask-size` (or `-ipv4`): the prefix length of each Node's pod CIDR.
        public var nodeCIDRMaskSize = 24
        /// `--service-cluster-ip-range`: kept out of node pod CIDRs when it overlaps the cluster CIDR.
        public var serviceClusterIPRange = ""
        /// `--node-monitor-grace-period`: how long a silent kubelet is trusted before its Node turns Unknown.
        public var nodeMonitorGracePeriodSeconds = 40.0
        /// `--node-monitor-period`: how often node lifecycle looks at every Node.
        public var nodeMonitorPeriodSeconds = 5.0
        /// `--terminated-pod-gc-threshold`: terminated pods kept before pod GC deletes the oldest.
        public var terminatedPodGCThreshold = 12_500
        public var ignored: [String] = []

        public init() {}

        static let accepted: Set<String> = [
            "authentication-kubeconfig", "authorization-kubeconfig", "client-ca-file", "cluster-name", "requestheader-client-ca-file",
            "service-account-private-key-file", "v", "profiling", "cluster-signing-duration", "flex-volume-plugin-dir",
        ]
        static let booleans: Set<String> = ["leader-elect", "use-service-account-credentials", "allocate-node-cidrs", "profiling"]

        public static func parse(_ arguments: [String]) throws -> Options {
            var options = Options()
            let pairs: [(name: String, value: String)]
            do {
                pairs = try ComponentFlags.parse(arguments, booleans: booleans)
            } catch {
                throw ControllerManagerError(error.description)
            }
            for (name, value) in pairs {
                switch name {
                case "kubeconfig": options.kubeconfig = value
                case "leader-elect":
                    guard let flag = Bool(value) else { throw ControllerManagerError("--leader-elect takes true or false, not \"\(value)\"") }
                    options.leaderElect = flag
                case "bind-address": options.bindAddress = value
                case "secure-port":
                    guard let port = Int(value), (0...65535).contains(port) else { throw ControllerManagerError("--secure-port must be a port number") }
                    options.securePort = port
                case "cluster-signing-cert-file": options.clusterSigningCertFile = value
                case "cluster-signing-key-file": options.clusterSigningKeyFile = value
                case "root-ca-file": options.rootCAFile = value
                case "controllers": options.controllers = value.split(separator: ",").map(String.init)
                case "use-service-account-credentials":
                    guard let flag = Bool(value) else { throw ControllerManagerError("--use-service-account-credentials takes true or false") }
                    options.useServiceAccountCredentials = flag
                case "allocate-node-cidrs":
                    guard let flag = Bool(value) else { throw ControllerManagerError("--allocate-node-cidrs takes true or false") }
                    options.allocateNodeCIDRs = flag
                case "cluster-cidr": options.clusterCIDR = value
                case "service-cluster-ip-range": options.serviceClusterIPRange = value
                case "node-cidr-mask-size", "node-cidr-mask-size-ipv4":
                    guard let size = Int(value), (1...32).contains(size) else { throw ControllerManagerError("--\(name) takes a prefix length") }
                    options.nodeCIDRMaskSize = size
                case "node-monitor-grace-period", "node-monitor-period":
                    let seconds: Double
                    do { seconds = try GoDuration(parsing: value).seconds } catch { throw ControllerManagerError("--\(name): \(error)") }
                    guard seconds > 0 else { throw ControllerManagerError("--\(name) must be positive") }
                    if name == "node-monitor-period" { options.nodeMonitorPeriodSeconds = seconds } else { options.nodeMonitorGracePeriodSeconds = seconds }
                case "terminated-pod-gc-threshold":
                    guard let threshold = Int(value) else { throw ControllerManagerError("--terminated-pod-gc-threshold takes a number") }
                    options.terminatedPodGCThreshold = threshold
                case _ where accepted.contains(name): options.ignored.append(name)
                default: throw ControllerManagerError("unknown flag: --\(name)")
                }
            }
            if options.allocateNodeCIDRs {
                do {
                    try NodeCIDRAllocator.validate(clusterCIDR: options.clusterCIDR, maskSize: options.nodeCIDRMaskSize)
                } catch {
                    throw ControllerManagerError(error.description)
                }
            }
            guard !options.kubeconfig.isEmpty else {
                throw ControllerManagerError("--kubeconfig is required (kubeadm passes /etc/kubernetes/controller-manager.conf)")
            }
            return options
        }

        /// Controllers `*` leaves off (upstream's `ControllersDisabledByDefault`); kubeadm names them explicitly.
        static let disabledByDefault: Set<String> = ["bootstrapsigner", "tokencleaner"]

        /// Upstream's `--controllers` rule: `*` enables the defaults, `name` adds one, `-name` removes one.
        public func enabled(_ controller: String) -> Bool {
            if controllers.contains("-" + controller) { return false }
            return controllers.contains(controller) || (controllers.contains("*") && !Self.disabledByDefault.contains(controller))
        }
    }

    public static func run(_ options: Options, log: @escaping @Sendable (String) -> Void) async throws {
        let client: RESTClient
        do {
            client = try RESTClient(kubeconfig: options.kubeconfig, component: "kube-controller-manager")
        } catch {
            throw ControllerManagerError("cannot use --kubeconfig=\(options.kubeconfig): \(error)")
        }
        let rootCA = options.rootCAFile.isEmpty ? nil : try? String(contentsOfFile: options.rootCAFile, encoding: .utf8)
        var caCertificate: Certificate?
        var caKey: PrivateKey?
        if !options.clusterSigningCertFile.isEmpty && !options.clusterSigningKeyFile.isEmpty {
            do {
                caCertificate = try Certificate(pem: String(contentsOfFile: options.clusterSigningCertFile, encoding: .utf8))
                caKey = try PrivateKey(pem: String(contentsOfFile: options.clusterSigningKeyFile, encoding: .utf8))
            } catch {
                throw ControllerManagerError("cannot load --cluster-signing-cert-file / --cluster-signing-key-file: \(error)")
            }
        }
        let credentials: ControllerCredentials?
        if options.useServiceAccountCredentials {
            credentials = ControllerCredentials(base: try ClientConfig.fromKubeconfig(path: options.kubeconfig), client: client)
        } else {
            credentials = nil
        }
        /// Each controller's client: its own ServiceAccount's, or the manager's.
        @Sendable func clientFor(_ controller: String) async throws -> RESTClient {
            guard let credentials else { return client }
            return try await credentials.client(for: controller)
        }
        let informers = SharedInformers(client: client)
        let context = ControllerContext(options: options, informers: informers, reader: client, clientFor: clientFor, rootCA: rootCA,
                                        caCertificate: caCertificate, caKey: caKey, log: log)
        let enabled = ControllerTable.enabled(options)
        var loops: [ControllerLoop] = []
        for definition in enabled { loops += try await definition.build(context) }
        var seen = Set<String>()
        let accounts = enabled.flatMap(\.serviceAccounts).filter { seen.insert($0).inserted }
        let health = try await ComponentHealthServer.bind(component: "kube-controller-manager", bindAddress: options.bindAddress,
                                                          port: options.securePort)
        let serving = Task { await health?.run() }
        defer {
            health?.shutdown()
            serving.cancel()
        }
        log("serving health checks securely on \(options.bindAddress):\(health?.boundPort ?? 0)")
        let controllers: @Sendable () async -> Void = { [loops] in
            log("started \(loops.count) controller loops")
            await withTaskGroup(of: Void.self) { group in
                if let credentials {
                    group.addTask { await credentials.keepFresh(accounts, log: log) }
                }
                group.addTask { await informers.run() }
                for loop in loops { group.addTask { await loop.run(log: log) } }
            }
        }
        if options.leaderElect {
            let identity = ProcessInfo.processInfo.hostName + "_" + UUID().uuidString.lowercased()
            let elector = try LeaderElector(
                client: client, config: LeaderElectionConfig(name: "kube-controller-manager", identity: identity),
                callbacks: .init(onStartedLeading: controllers, onStoppedLeading: { log("lost the kube-system/kube-controller-manager lease") }))
            await elector.run()
        } else {
            await controllers()
        }
        await client.shutdown()
    }
}

public struct ControllerManagerError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
