import Foundation
import HTTPTransport
import KubeAPI
import KubeClient
import Manifests

/// The kubelet process: reads its flags and configuration, starts the health endpoint and the kubelet API, runs
/// the sync loop with the given runtime, network and image store, and (when a kubeconfig is given) the API side.
/// Returns on SIGTERM/SIGINT after stopping its servers; containers keep running, as upstream's do.
public enum KubeletMain {
    /// The node-level engines: runc, CNI and the local image store in production.
    public struct Engines: Sendable {
        public var containers: any ContainerEngine
        public var network: any PodNetworkEngine
        public var images: any ImageResolver

        public init(containers: any ContainerEngine, network: any PodNetworkEngine, images: any ImageResolver) {
            self.containers = containers
            self.network = network
            self.images = images
        }
    }

    /// The node's name: `--hostname-override`, else the host name, lower-cased (node names are DNS subdomains).
    public static func nodeName(_ options: KubeletOptions) -> String {
        (options.hostnameOverride.isEmpty ? ProcessInfo.processInfo.hostName : options.hostnameOverride).lowercased()
    }

    /// `--node-ip`, else the first IPv4 address of an interface that is up and not loopback.
    public static func nodeIP(_ options: KubeletOptions) -> String {
        if !options.nodeIP.isEmpty { return options.nodeIP }
        var addresses: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&addresses) == 0, let first = addresses else { return "127.0.0.1" }
        defer { freeifaddrs(addresses) }
        var cursor: UnsafeMutablePointer<ifaddrs>? = first
        while let entry = cursor {
            defer { cursor = entry.pointee.ifa_next }
            let flags = Int32(entry.pointee.ifa_flags)
            guard let address = entry.pointee.ifa_addr, address.pointee.sa_family == sa_family_t(AF_INET),
                  flags & Int32(IFF_UP) != 0, flags & Int32(IFF_LOOPBACK) == 0 else { continue }
            var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            if getnameinfo(address, socklen_t(MemoryLayout<sockaddr_in>.size), &host, socklen_t(host.count), nil, 0, NI_NUMERICHOST) == 0 {
                return String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            }
        }
        return "127.0.0.1"
    }

    /// Starts the health server on `healthzBindAddress:healthzPort`; nil when the port is 0 (disabled).
    public static func startHealthz(_ config: KubeletConfiguration, healthy: @escaping @Sendable () async -> Bool) async throws -> HTTPServer? {
        guard config.healthzPort != 0 else { return nil }
        return try await HTTPServer(
            settings: HTTPServerSettings(host: config.healthzBindAddress, port: config.healthzPort, tls: nil, threads: 1),
            responder: HealthzResponder(healthy: healthy))
    }
}

extension KubeletMain {
    /// Runs the kubelet until the task is cancelled (SIGTERM). Containers keep running when it stops.
    public static func run(_ options: KubeletOptions, engines: Engines, log: @escaping @Sendable (String) -> Void) async throws {
        let config = options.configFile.isEmpty ? KubeletConfiguration() : try KubeletConfiguration(file: options.configFile)
        let nodeName = nodeName(options)
        let nodeIP = nodeIP(options)
        var client: RESTClient?
        if !options.kubeconfig.isEmpty, !FileManager.default.fileExists(atPath: options.kubeconfig), !options.bootstrapKubeconfig.isEmpty,
           FileManager.default.fileExists(atPath: options.bootstrapKubeconfig) {
            // Upstream order: the bootstrap kubeconfig is used only while kubelet.conf does not exist yet.
            try await TLSBootstrap(bootstrapKubeconfig: options.bootstrapKubeconfig, kubeconfig: options.kubeconfig,
                                   pkiDirectory: options.rootDir + "/pki", nodeName: nodeName, log: log).run()
        }
        if !options.kubeconfig.isEmpty, FileManager.default.fileExists(atPath: options.kubeconfig) {
            client = try RESTClient(kubeconfig: options.kubeconfig, component: "kubelet")
        }
        let lookup: @Sendable (String, String, String) async -> JSONValue? = { [client] plural, namespace, name in
            guard let client, let info = ResourceTable.resource(group: "", version: "v1", plural: plural) else { return nil }
            return try? await client.get(info, namespace: info.namespaced ? namespace : nil, name: name)
        }
        let volumes = VolumeManager(
            kubeletRoot: options.rootDir,
            configMap: { await lookup("configmaps", $0, $1) }, secret: { await lookup("secrets", $0, $1) },
            persistentVolumeClaim: { await lookup("persistentvolumeclaims", $0, $1) },
            persistentVolume: { await lookup("persistentvolumes", "", $0) },
            token: nil)
        let environment = EnvironmentResolver(configMap: { await lookup("configmaps", $0, $1) }, secret: { await lookup("secrets", $0, $1) })
        let syncer = PodSyncer(.init(engine: engines.containers, network: engines.network, images: engines.images, volumes: volumes,
                                     environment: environment, podLogsDir: HostPaths().podLogsDir, hostIP: nodeIP,
                                     dns: PodDNSSettings(clusterDNS: config.clusterDNS, clusterDomain: config.clusterDomain,
                                                         hostResolvConf: config.resolvConf),
                                     log: log))
        let machine = MachineInfo.read(storagePath: options.rootDir, runtimeVersion: "runc://1.1.5")
        let node = NodeObject(name: nodeName, hostname: nodeName, internalIP: nodeIP, machine: machine, maxPods: config.maxPods,
                              podCIDR: config.podCIDR, labels: options.nodeLabels)
        let network = engines.network as? DeferredPodNetwork
        let onNodes: @Sendable (JSONValue, [JSONValue]) async -> Void = { own, all in
            if let cidr = own[path: ["spec", "podCIDR"]]?.string, !cidr.isEmpty { network?.activate(podCIDR: cidr) }
            let peers = all.map { node in
                (name: node.metadata.name ?? "", podCIDR: node[path: ["spec", "podCIDR"]]?.string,
                 internalIP: (node[path: ["status", "addresses"]]?.array ?? []).first { $0["type"]?.string == "InternalIP" }?["address"]?.string)
            }
            for problem in await PeerRoutes.apply(PeerRoutes.wanted(ownName: nodeName, nodes: peers)) { log("pod routes: \(problem)") }
        }
        let apiSide = client.map {
            KubeletAPIConnection(client: $0, node: node, leaseDurationSeconds: config.nodeLeaseDurationSeconds, onNodes: onNodes, log: log)
        }
        let staticPath = options.podManifestPath ?? config.staticPodPath
        let daemon = KubeletDaemon(staticPods: staticPath.isEmpty ? nil : StaticPodSource(directory: staticPath, nodeName: nodeName),
                                   syncer: syncer, api: apiSide, log: log)
        apiSide?.setOnPodChange { daemon.wake() }
        let healthz = try await startHealthz(config) { await daemon.healthy() }
        let kubeletAPI = try await startKubeletAPI(config, certificateDirectory: options.rootDir + "/pki", nodeName: nodeName, nodeIP: nodeIP,
                                                   client: client, backend: DaemonAPIBackend(daemon: daemon, engine: engines.containers))
        log("node \(nodeName) (\(nodeIP)); static pods from \(staticPath.isEmpty ? "nowhere" : staticPath); healthz on \(config.healthzBindAddress):\(healthz?.boundPort ?? 0); "
            + "kubelet API on \(config.address):\(kubeletAPI?.boundPort ?? 0)")
        await withTaskGroup(of: Void.self) { group in
            if let healthz { group.addTask { await healthz.run() } }
            if let kubeletAPI { group.addTask { await kubeletAPI.run() } }
            if let apiSide { group.addTask { await apiSide.run() } }
            group.addTask { await daemon.run() }
            await group.next()
            group.cancelAll()
            healthz?.shutdown()
            kubeletAPI?.shutdown()
        }
        await client?.shutdown()
    }
}

extension KubeletMain {
    /// The node's real engines: runc through the runtime (recovering containers a previous kubelet started), the
    /// local image store with the bundled control-plane image built from this binary, and host networking until
    /// CNI arrives.
    public static func productionEngines(_ options: KubeletOptions, log: @escaping @Sendable (String) -> Void) async throws -> Engines {
        let config = options.configFile.isEmpty ? KubeletConfiguration() : try KubeletConfiguration(file: options.configFile)
        let store = ImageStore(host: HostPaths())
        let bundled = try store.ensureBundledImage()
        log("bundled image \(bundled.reference) ready")
        let runtime = try ContainerRuntime(configuration: RuntimeConfiguration(paths: HostPaths(), cgroupRoot: options.cgroupRoot ?? config.cgroupRoot))
        let recovered = try await runtime.recover()
        if !recovered.isEmpty { log("recovered \(recovered.count) containers from a previous run") }
        let images = ImageStoreEngines(store: store)
        return Engines(containers: RuncEngine(runtime: runtime, rootfs: images), network: podNetwork(config, log: log), images: images)
    }

    /// CNI when a network configuration is installed (or can be, from the node's podCIDR); otherwise host
    /// networking only, with pods that need their own network waiting and saying why.
    static func podNetwork(_ config: KubeletConfiguration, log: @escaping @Sendable (String) -> Void) -> any PodNetworkEngine {
        let paths = HostPaths()
        if !config.podCIDR.isEmpty, let defaults = try? CNIDefaultConfig(podCIDRs: [config.podCIDR], ipamDataDir: paths.cniStateDir + "/networks"),
           let installed = try? defaults.installIfMissing(in: paths.cniConfDir) {
            log("installed the default CNI configuration \(installed)")
        }
        guard (try? CNIConfigLoader.defaultNetwork(in: paths.cniConfDir, pluginDirectories: [paths.cniBinDir, "/opt/cni/bin"])) != nil else {
            // The node's podCIDR may still come from the controller manager (nodeipam): wait for it.
            return DeferredPodNetwork(waitingReason: "no CNI configuration in \(paths.cniConfDir) and no podCIDR on this node yet; only hostNetwork pods run",
                                      paths: paths, log: log)
        }
        return CNIPodNetwork(paths: paths, report: log)
    }
}
