import Manifests

/// Where the runtime keeps its state and logs, and how it behaves.
public struct RuntimeConfiguration: Sendable {
    /// The runtime state root (`/run/kubeadm-swift`): bundles under `containers/`, runc's state under `runc/`.
    public var stateDirectory: String
    /// The pod logs root (`/var/log/pods`).
    public var podLogsDirectory: String
    /// The parent of `kubepods` in every cgroup hierarchy (`/`; a distinct one per test node).
    public var cgroupRoot: String
    /// The runc binary; found on PATH (and in /usr/sbin) when `nil`.
    public var runcPath: String?
    /// Rotate a container log once it would pass this size (the kubelet's `containerLogMaxSize`, 10 MiB).
    public var logMaxSize: Int
    /// Keep this many log files per container, the live one included (`containerLogMaxFiles`, 5).
    public var logMaxFiles: Int
    /// How long runc may take to start a container process.
    public var startTimeout: Duration

    /// Creates a configuration; the defaults are a real node's.
    public init(
        stateDirectory: String = "/run/kubeadm-swift", podLogsDirectory: String = "/var/log/pods",
        cgroupRoot: String = "/", runcPath: String? = nil, logMaxSize: Int = 10 << 20, logMaxFiles: Int = 5,
        startTimeout: Duration = .seconds(60)
    ) {
        self.stateDirectory = stateDirectory
        self.podLogsDirectory = podLogsDirectory
        self.cgroupRoot = cgroupRoot
        self.runcPath = runcPath
        self.logMaxSize = logMaxSize
        self.logMaxFiles = logMaxFiles
        self.startTimeout = startTimeout
    }

    /// The configuration for a node laid out by `HostPaths`.
    /// - Parameters:
    ///   - paths: the node's paths.
    ///   - cgroupRoot: the kubelet's `--cgroup-root`.
    public init(paths: HostPaths, cgroupRoot: String = "/") {
        self.init(stateDirectory: paths.runDir, podLogsDirectory: paths.podLogsDir, cgroupRoot: cgroupRoot)
    }

    /// The bundles' parent directory.
    public var containersDirectory: String { stateDirectory + "/containers" }
    /// runc's `--root`.
    public var runcRoot: String { stateDirectory + "/runc" }
}
