/// A pod's attachment to the node's pod network, as the kubelet reports it (`status.podIPs`).
public struct PodNetworkStatus: Sendable, Equatable {
    /// The pod (and CNI container ID).
    public var podUID: String
    /// The network (configuration list) name.
    public var networkName: String
    /// The pod's network namespace.
    public var netnsPath: String
    /// The pod's interface.
    public var interfaceName: String
    /// The pod's addresses, primary first (`status.podIP` is the first).
    public var ips: [String]
    /// The final ADD result, as cached.
    public var result: CNIResult

    /// A pod's attachment; ``CNIRuntime`` builds these.
    public init(podUID: String, networkName: String, netnsPath: String, interfaceName: String, ips: [String], result: CNIResult) {
        self.podUID = podUID
        self.networkName = networkName
        self.netnsPath = netnsPath
        self.interfaceName = interfaceName
        self.ips = ips
        self.result = result
    }
}
