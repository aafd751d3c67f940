/// Everything the runtime needs to run one container, filled by the kubelet from a pod's container and the image
/// config. Plain data: it is persisted next to the bundle so that a restarted kubelet knows what it started.
public struct ContainerSpec: Codable, Sendable, Hashable {
    /// The container id: unique on the node, `[A-Za-z0-9_.-]`, used for the bundle directory, runc and the cgroup.
    public var id: String
    /// The pod this container belongs to.
    public var pod: PodIdentity
    /// The container's name in the pod spec.
    public var name: String
    /// How many times the kubelet has restarted this container; names the log file (`<restartCount>.log`).
    public var restartCount: Int
    /// The prepared root filesystem (from the image store). The runtime never modifies or removes it.
    public var rootfs: String
    /// The process argv, already merged from the image and the pod (`ContainerCommand.resolve`).
    public var args: [String]
    /// `KEY=VALUE` entries (`ContainerCommand.mergeEnvironment`).
    public var env: [String]
    /// The working directory; `/` when `nil`.
    public var workingDir: String?
    /// The user the process runs as (`ProcessUser.resolve`).
    public var user: ProcessUser
    /// Volume and host-path mounts, plus /etc/hosts and friends.
    public var mounts: [ContainerMount]
    /// Requests and limits.
    public var resources: ContainerResources
    /// Security settings.
    public var security: ContainerSecurity
    /// Namespaces.
    public var namespaces: ContainerNamespaces
    /// The hostname, applied when the container has its own UTS namespace.
    public var hostname: String?
    /// The pod cgroup in cgroupfs form (`/kubepods/burstable/pod<uid>`, from `CgroupManager`); the container's
    /// cgroup is `<cgroupParent>/<id>`.
    public var cgroupParent: String
    /// `oom_score_adj` for the process (`OOMScoreAdjust.forContainer`); clamped when the host forbids lowering it.
    public var oomScoreAdj: Int?
    /// The signal that asks the container to stop (the image's `StopSignal`, default SIGTERM).
    public var stopSignal: Int32
    /// A cap on the number of processes (`podPidsLimit`).
    public var pidsLimit: Int64?
    /// Free-form OCI annotations (they end up in config.json; runc ignores them).
    public var annotations: [String: String]
    /// Where the CRI log goes instead of the pod's log directory (a pod sandbox keeps its own in its bundle).
    public var logPath: String?

    /// Creates a container spec; everything but identity, rootfs and argv has a sensible default.
    public init(
        id: String, pod: PodIdentity, name: String, restartCount: Int = 0, rootfs: String, args: [String],
        env: [String] = ["PATH=\(ContainerCommand.defaultPath)"], workingDir: String? = nil,
        user: ProcessUser = .root, mounts: [ContainerMount] = [], resources: ContainerResources = .init(),
        security: ContainerSecurity = .init(), namespaces: ContainerNamespaces = .init(), hostname: String? = nil,
        cgroupParent: String, oomScoreAdj: Int? = nil, stopSignal: Int32 = 15, pidsLimit: Int64? = nil,
        annotations: [String: String] = [:], logPath: String? = nil
    ) {
        self.id = id
        self.pod = pod
        self.name = name
        self.restartCount = restartCount
        self.rootfs = rootfs
        self.args = args
        self.env = env
        self.workingDir = workingDir
        self.user = user
        self.mounts = mounts
        self.resources = resources
        self.security = security
        self.namespaces = namespaces
        self.hostname = hostname
        self.cgroupParent = cgroupParent
        self.oomScoreAdj = oomScoreAdj
        self.stopSignal = stopSignal
        self.pidsLimit = pidsLimit
        self.annotations = annotations
        self.logPath = logPath
    }

    /// The container's own cgroup in cgroupfs form: runc's `cgroupsPath`.
    public var cgroupPath: String {
        (cgroupParent.hasSuffix("/") ? String(cgroupParent.dropLast()) : cgroupParent) + "/" + id
    }

    /// Whether `id` can name a container: it becomes a directory name, so nothing that could climb out of the
    /// state directory (`..`, `/`) passes.
    public static func isValidID(_ id: String) -> Bool {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-")
        return !id.isEmpty && id.count <= 128 && id.allSatisfy(allowed.contains) && id.first != "."
    }

    /// Checks what would otherwise fail late inside runc, or escape the state directory.
    func validate() throws {
        guard Self.isValidID(id) else {
            throw RuntimeError(.invalidSpec, "container id \"\(id)\" must be 1-128 characters of [A-Za-z0-9_.-]")
        }
        guard !args.isEmpty else { throw RuntimeError(.invalidSpec, "container \(name): no command specified") }
        guard rootfs.hasPrefix("/") else { throw RuntimeError(.invalidSpec, "rootfs \"\(rootfs)\" must be absolute") }
        guard cgroupParent.hasPrefix("/") else {
            throw RuntimeError(.invalidSpec, "cgroup parent \"\(cgroupParent)\" must be absolute")
        }
        for part in [pod.uid, pod.namespace, pod.name, name] where part.isEmpty || part.contains("/") || part.hasPrefix(".") {
            throw RuntimeError(.invalidSpec, "\"\(part)\" cannot name a log directory")
        }
        for mount in mounts where !mount.destination.hasPrefix("/") {
            throw RuntimeError(.invalidSpec, "mount destination \"\(mount.destination)\" must be absolute")
        }
    }
}
