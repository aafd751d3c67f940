import Foundation
import HTTPTransport
import KubeAPI
import KubeClient
import Manifests
import PKI

/// The `kube-controller-manager` process: upstream flag names, HTTPS health endpoints on `--secure-port` (10257),
/// leader election on the `kube-system/kube-controller-manager` Lease, shared informers and the controllers built
/// so far: serviceaccount, root-ca-cert-publisher, csrapproving, csrsigning.
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
        public var ignored: [String] = []

        public init() {}

        static let accepted: Set<String> = [
            "authentication-kubeconfig", "authorization-kubeconfig", "client-ca-file", "cluster-name", "requestheader-client-ca-file",
            "service-account-private-key-file", "allocate-node-cidrs", "cluster-cidr",
            "service-cluster-ip-range", "node-cidr-mask-size", "v", "profiling", "cluster-signing-duration", "flex-volume-plugin-dir",
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
                case _ where accepted.contains(name): options.ignored.append(name)
                default: throw ControllerManagerError("unknown flag: --\(name)")
                }
            }
            guard !options.kubeconfig.isEmpty else {
                throw ControllerManagerError("--kubeconfig is required (kubeadm passes /etc/kubernetes/controller-manager.conf)")
            }
            return options
        }

        /// Upstream's `--controllers` rule: `*` enables the defaults, `name` adds one, `-name` removes one.
        public func enabled(_ controller: String) -> Bool {
            if controllers.contains("-" + controller) { return false }
            return controllers.contains(controller) || controllers.contains("*")
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
        func clientFor(_ controller: String) async throws -> RESTClient {
            guard let credentials else { return client }
            return try await credentials.client(for: controller)
        }
        // Shared informers read with the manager's own identity (its role may list and watch everything, as upstream's
        // shared informers do); each controller writes with its own.
        let namespaces = Informer(client: client, resource: NamespaceDefaultsController.info("", "namespaces"))
        let csrs = Informer(client: client, resource: CSRControllers.csrs)
        let certificates = CSRControllers(client: try await clientFor("certificate-controller"), caCertificate: caCertificate, caKey: caKey)
        let workloadInformers = (deployments: Informer(client: client, resource: Self.info("apps", "deployments")),
                                 replicaSets: Informer(client: client, resource: Self.info("apps", "replicasets")),
                                 pods: Informer(client: client, resource: Self.info("", "pods")))
        let serviceAccounts = try await clientFor("service-account-controller")
        let rootCAPublisher = try await clientFor("root-ca-cert-publisher")
        var loops: [ControllerLoop] = []
        if options.enabled("serviceaccount") || options.enabled("root-ca-cert-publisher") {
            loops.append(ControllerLoop(name: "namespace-defaults", informers: [namespaces]) { key in
                try await NamespaceDefaultsController.reconcile(namespace: key, namespaces: namespaces, reader: client, serviceAccounts: serviceAccounts,
                                                      configMaps: rootCAPublisher,
                                                      rootCA: options.enabled("root-ca-cert-publisher") ? rootCA : nil)
            })
        }
        if options.enabled("csrapproving") || options.enabled("csrsigning") {
            loops.append(ControllerLoop(name: "certificates", informers: [csrs]) { key in
                guard let csr = csrs.cache.get(key) else { return }
                try await certificates.reconcile(csr)
            })
        }
        if options.enabled("replicaset") {
            loops.append(WorkloadControllers.replicaSets(replicaSets: workloadInformers.replicaSets, pods: workloadInformers.pods,
                                                         executor: ActionExecutor(client: try await clientFor("replicaset-controller"))))
        }
        if options.enabled("deployment") {
            loops.append(WorkloadControllers.deployments(deployments: workloadInformers.deployments, replicaSets: workloadInformers.replicaSets,
                                                         pods: workloadInformers.pods,
                                                         executor: ActionExecutor(client: try await clientFor("deployment-controller"))))
        }
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
                    group.addTask {
                        await credentials.keepFresh(["namespace-controller", "certificate-controller", "service-account-controller",
                                                     "root-ca-cert-publisher", "replicaset-controller", "deployment-controller"], log: log)
                    }
                }
                group.addTask { await namespaces.run() }
                group.addTask { await csrs.run() }
                group.addTask { await workloadInformers.deployments.run() }
                group.addTask { await workloadInformers.replicaSets.run() }
                group.addTask { await workloadInformers.pods.run() }
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

    static func info(_ group: String, _ plural: String) -> APIResourceInfo {
        ResourceTable.resource(group: group, version: "v1", plural: plural)
            ?? APIResourceInfo(group: group, version: "v1", kind: plural, plural: plural, namespaced: true, verbs: [])
    }
}

public struct ControllerManagerError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
