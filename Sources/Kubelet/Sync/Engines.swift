import KubeAPI

/// One container to start, fully resolved: the sync loop builds it, the runtime runs it.
public struct ContainerLaunch: Sendable, Equatable {
    public var podUID: String
    public var podNamespace: String
    public var podName: String
    public var containerName: String
    /// Restart count of this run (0 for the first), part of the log path and the container id.
    public var attempt: Int
    public var image: String
    /// Entrypoint and arguments, already merged with the image's (`command` overrides Entrypoint, `args` Cmd).
    public var command: [String]
    public var args: [String]
    public var environment: [(String, String)]
    public var workingDir: String?
    public var mounts: [VolumeManager.Mount]
    /// The pod's network namespace path; nil = the host's network (hostNetwork).
    public var networkNamespace: String?
    public var hostname: String
    /// The API container object (resources, securityContext, ports, probes) for runtime-specific settings.
    public var container: JSONValue
    /// The pod spec (shareProcessNamespace, securityContext, hostPID/hostIPC).
    public var podSpec: JSONValue
    public var logPath: String

    public static func == (lhs: ContainerLaunch, rhs: ContainerLaunch) -> Bool {
        lhs.podUID == rhs.podUID && lhs.containerName == rhs.containerName && lhs.attempt == rhs.attempt
    }

    public init(podUID: String, podNamespace: String, podName: String, containerName: String, attempt: Int, image: String,
                command: [String], args: [String], environment: [(String, String)], workingDir: String?,
                mounts: [VolumeManager.Mount], networkNamespace: String?, hostname: String, container: JSONValue,
                podSpec: JSONValue, logPath: String) {
        self.podUID = podUID; self.podNamespace = podNamespace; self.podName = podName; self.containerName = containerName
        self.attempt = attempt; self.image = image; self.command = command; self.args = args; self.environment = environment
        self.workingDir = workingDir; self.mounts = mounts; self.networkNamespace = networkNamespace; self.hostname = hostname
        self.container = container; self.podSpec = podSpec; self.logPath = logPath
    }
}

/// A container the runtime knows about (found again after a kubelet restart by its labels).
public struct ContainerRecord: Sendable, Equatable {
    public enum State: Sendable, Equatable {
        case running(startedAt: KubeTime)
        case exited(code: Int32, reason: String, startedAt: KubeTime?, finishedAt: KubeTime)
        /// Created but never started, or its state cannot be read.
        case unknown
    }

    public var id: String
    public var podUID: String
    public var containerName: String
    public var attempt: Int
    public var state: State
    public var imageID: String

    public init(id: String, podUID: String, containerName: String, attempt: Int, state: State, imageID: String) {
        self.id = id; self.podUID = podUID; self.containerName = containerName; self.attempt = attempt
        self.state = state; self.imageID = imageID
    }
}

/// Runs containers (the runc runtime in production, a fake in tests).
public protocol ContainerEngine: Sendable {
    /// Starts a container; returns its id.
    func start(_ launch: ContainerLaunch) async throws -> String
    /// Every container this kubelet's runtime holds.
    func containers() async -> [ContainerRecord]
    /// SIGTERM, then SIGKILL after `grace`; returns when the container has exited.
    func stop(id: String, grace: Duration) async
    /// Deletes a stopped container and its rootfs.
    func remove(id: String) async
    /// Runs a command in a running container (exec probes); returns the exit code.
    func exec(id: String, command: [String], timeout: Duration) async -> Int32
    /// exec and attach sessions in a container (the kubelet API); nil when the engine has none.
    func streaming(id: String) -> (any ContainerStreaming)?
    /// A container's CRI log file (the kubelet API's `/containerLogs`).
    func logPath(id: String) -> String?
}

extension ContainerEngine {
    public func streaming(id: String) -> (any ContainerStreaming)? { nil }
    public func logPath(id: String) -> String? { nil }
}

/// Wires pod network namespaces (CNI in production).
public protocol PodNetworkEngine: Sendable {
    /// Creates the pod's network namespace and runs the CNI ADD; returns the namespace path and the pod IPs.
    func setUp(podUID: String, namespace: String, name: String, portMappings: [JSONValue]) async throws -> (netns: String, ips: [String])
    /// CNI DEL and namespace removal; tolerant of what is already gone.
    func tearDown(podUID: String, namespace: String, name: String) async
    /// Removes the network state of pods not in `keep` (after a kubelet restart).
    func cleanUp(keeping podUIDs: Set<String>) async
}

/// Resolves images to what the runtime needs; never pulls from a registry.
public protocol ImageResolver: Sendable {
    /// The image's default entrypoint, cmd, env and working dir; throws `ImageUnavailable` when not present.
    func configuration(of image: String) async throws -> ImageDefaults
}

public struct ImageDefaults: Sendable, Equatable {
    public var entrypoint: [String]
    public var cmd: [String]
    public var env: [String]
    public var workingDir: String?
    public var imageID: String

    public init(entrypoint: [String], cmd: [String], env: [String], workingDir: String?, imageID: String) {
        self.entrypoint = entrypoint; self.cmd = cmd; self.env = env; self.workingDir = workingDir; self.imageID = imageID
    }
}

/// A missing image: the container waits with `reason` (ErrImageNeverPull or ImagePullBackOff) and `message`.
public struct ImageUnavailable: Error, Sendable, Equatable {
    public var reason: String
    public var message: String

    public init(reason: String, message: String) {
        self.reason = reason
        self.message = message
    }
}
