import Foundation
import HTTPTransport
import KubeAPI
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
