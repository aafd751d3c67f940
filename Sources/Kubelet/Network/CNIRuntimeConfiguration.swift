import Manifests

/// Where the kubelet's CNI pieces live and how long a plugin may take; computed from ``HostPaths`` so a test node
/// keeps everything under its own root.
public struct CNIRuntimeConfiguration: Sendable, Equatable {
    /// `/etc/cni/net.d`.
    public var configDirectory: String
    /// `CNI_PATH`: Debian's `/usr/lib/cni`, then the upstream `/opt/cni/bin`.
    public var pluginDirectories: [String]
    /// `/var/lib/cni`: the result cache (`results/`) and host-local's reservations (`networks/`).
    public var stateDirectory: String
    /// The pod's interface (`CNI_IFNAME`).
    public var interfaceName: String
    /// The limit for one plugin invocation; bridge+portmap take well under a second, iptables lock waits more.
    public var pluginTimeout: Duration

    /// - Parameters:
    ///   - paths: the node's paths.
    ///   - interfaceName: the pod interface name.
    ///   - pluginTimeout: the limit for one plugin invocation.
    public init(paths: HostPaths, interfaceName: String = "eth0", pluginTimeout: Duration = .seconds(60)) {
        configDirectory = paths.cniConfDir
        pluginDirectories = [paths.cniBinDir, paths.rooted("/opt/cni/bin")]
        stateDirectory = paths.cniStateDir
        self.interfaceName = interfaceName
        self.pluginTimeout = pluginTimeout
    }

    /// host-local's default data directory (`/var/lib/cni/networks`).
    public var hostLocalDataDirectory: String { stateDirectory + "/networks" }
}
