import Manifests

/// The facts a workflow knows (node name, ports, paths) that decide which checks run and what they look at.
///
/// Paths are absolute strings so a caller working under a different root (or a test) can point them elsewhere.
public struct PreflightInput: Sendable {
    /// The node name; empty means the machine's lower-cased host name.
    public var nodeName: String
    public var apiServerBindPort: Int
    public var kubeletPort: Int
    public var controllerManagerPort: Int
    public var schedulerPort: Int
    /// Whether this node runs a local etcd, which adds its two ports, its manifest and its data directory.
    public var localEtcd: Bool
    public var etcdDataDir: String
    public var manifestsDir: String
    public var kubernetesDir: String
    public var caCertPath: String
    /// Where the standard CNI plugin binaries are expected (Debian's `containernetworking-plugins` location).
    public var cniBinDir: String
    public var cniPlugins: [String]
    /// Host tools whose absence is an error.
    public var requiredBinaries: [String]
    /// Host tools whose absence is only a warning.
    public var optionalBinaries: [String]
    /// Whether this is `join --control-plane`. The join set then skips the worker-only CA check, and the init
    /// set (run as the second pass after discovery) skips the root and node checks the join pass already ran.
    public var isControlPlaneJoin: Bool

    /// - Parameters: one per property; everything but `nodeName` defaults to kubeadm's value.
    public init(
        nodeName: String,
        apiServerBindPort: Int = WellKnown.apiServerPort,
        kubeletPort: Int = WellKnown.kubeletPort,
        controllerManagerPort: Int = WellKnown.controllerManagerPort,
        schedulerPort: Int = WellKnown.schedulerPort,
        localEtcd: Bool = false,
        etcdDataDir: String = WellKnown.etcdDataDir,
        manifestsDir: String = HostPaths().manifestsDir,
        kubernetesDir: String = HostPaths().kubernetesDir,
        caCertPath: String = HostPaths().pkiDir + "/ca.crt",
        cniBinDir: String = HostPaths().cniBinDir,
        cniPlugins: [String] = ["bridge", "host-local", "loopback", "portmap"],
        requiredBinaries: [String] = ["runc", "ip", "iptables", "mount", "nsenter"],
        optionalBinaries: [String] = ["ebtables", "ethtool", "socat", "tc", "touch"],
        isControlPlaneJoin: Bool = false
    ) {
        self.nodeName = nodeName
        self.apiServerBindPort = apiServerBindPort
        self.kubeletPort = kubeletPort
        self.controllerManagerPort = controllerManagerPort
        self.schedulerPort = schedulerPort
        self.localEtcd = localEtcd
        self.etcdDataDir = etcdDataDir
        self.manifestsDir = manifestsDir
        self.kubernetesDir = kubernetesDir
        self.caCertPath = caCertPath
        self.cniBinDir = cniBinDir
        self.cniPlugins = cniPlugins
        self.requiredBinaries = requiredBinaries
        self.optionalBinaries = optionalBinaries
        self.isControlPlaneJoin = isControlPlaneJoin
    }

    /// The static Pod manifest path of a component, e.g. `manifest("kube-apiserver")`.
    /// - Parameter component: the component name, without `.yaml`.
    public func manifest(_ component: String) -> String { join(manifestsDir, component + ".yaml") }
    /// The kubelet's kubeconfig, which exists once the node has joined a cluster.
    public var kubeletConfPath: String { join(kubernetesDir, "kubelet.conf") }
    /// The kubelet's bootstrap kubeconfig, which exists while the node is joining.
    public var bootstrapKubeletConfPath: String { join(kubernetesDir, "bootstrap-kubelet.conf") }

    private func join(_ directory: String, _ file: String) -> String {
        directory.hasSuffix("/") ? directory + file : directory + "/" + file
    }
}
