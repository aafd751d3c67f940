/// Where one kind of Linux namespace of a container comes from.
public enum NamespaceMode: Codable, Sendable, Hashable {
    /// A new namespace for this container alone.
    case container
    /// An existing namespace, by path: the pod's network namespace from CNI (`/run/netns/...`), or a pod-level
    /// IPC/UTS/PID namespace (`/proc/<pid>/ns/<kind>`) when containers of a pod share it.
    case join(path: String)
    /// The host's namespace (`hostNetwork`, `hostPID`, `hostIPC`).
    case host
}

/// The namespaces a container runs in. The mount namespace is always the container's own.
///
/// Kubernetes shares network (always), IPC and UTS (per pod) and PID (`shareProcessNamespace`) between the
/// containers of a pod; the kubelet expresses that with `.join(path:)` on the pod's namespaces. A pod with
/// `hostNetwork` also uses the host's UTS namespace, so it keeps the node's hostname.
public struct ContainerNamespaces: Codable, Sendable, Hashable {
    /// The network namespace.
    public var network: NamespaceMode
    /// The PID namespace.
    public var pid: NamespaceMode
    /// The IPC namespace.
    public var ipc: NamespaceMode
    /// The UTS (hostname) namespace.
    public var uts: NamespaceMode

    /// Creates a namespace set; by default every namespace is the container's own.
    public init(
        network: NamespaceMode = .container, pid: NamespaceMode = .container,
        ipc: NamespaceMode = .container, uts: NamespaceMode = .container
    ) {
        self.network = network
        self.pid = pid
        self.ipc = ipc
        self.uts = uts
    }

    /// The namespaces of a pod's container: the pod's network namespace from CNI (or the host's with
    /// `hostNetwork`), and each other kind the host's, a pod-level one by path, or the container's own.
    /// - Parameters:
    ///   - networkNamespacePath: the pod's network namespace, or `nil` with `hostNetwork`.
    ///   - hostPID: `spec.hostPID`.
    ///   - hostIPC: `spec.hostIPC`.
    ///   - sharedPID: the pod's PID namespace when `shareProcessNamespace` is set.
    ///   - sharedIPC: the pod's IPC namespace, when the pod has a sandbox holding one.
    ///   - sharedUTS: the pod's UTS namespace, when the pod has a sandbox holding one.
    public static func pod(
        networkNamespacePath: String?, hostPID: Bool = false, hostIPC: Bool = false,
        sharedPID: String? = nil, sharedIPC: String? = nil, sharedUTS: String? = nil
    ) -> ContainerNamespaces {
        func shared(_ host: Bool, _ path: String?) -> NamespaceMode {
            host ? .host : path.map { .join(path: $0) } ?? .container
        }
        return ContainerNamespaces(
            network: networkNamespacePath.map { .join(path: $0) } ?? .host,
            pid: shared(hostPID, sharedPID),
            ipc: shared(hostIPC, sharedIPC),
            uts: shared(networkNamespacePath == nil, sharedUTS)
        )
    }

    /// Whether every process of the container shares a PID namespace with something else, so that killing the
    /// container's init does not take the others down and a kill must reach every process in the cgroup.
    var sharesPIDNamespace: Bool {
        if case .container = pid { return false }
        return true
    }
}
