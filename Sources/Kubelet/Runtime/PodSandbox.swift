import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// How a pod's sandbox is set up: the pod-level choices its containers' namespaces follow.
public struct PodSandboxConfig: Codable, Sendable, Hashable {
    /// The sandbox's container id.
    public var id: String
    /// The pod.
    public var pod: PodIdentity
    /// The pod's hostname (`spec.hostname`, default the pod name); ignored with the host's network.
    public var hostname: String?
    /// The pod's network: CNI's namespace (`.join`), a fresh isolated one (`.container`), or `hostNetwork` (`.host`).
    public var network: NamespaceMode
    /// `spec.hostPID`.
    public var hostPID: Bool
    /// `spec.hostIPC`.
    public var hostIPC: Bool
    /// `spec.shareProcessNamespace`.
    public var shareProcessNamespace: Bool
    /// The pod cgroup.
    public var cgroupParent: String

    /// Creates a sandbox config.
    public init(
        id: String, pod: PodIdentity, hostname: String? = nil, network: NamespaceMode, hostPID: Bool = false,
        hostIPC: Bool = false, shareProcessNamespace: Bool = false, cgroupParent: String
    ) {
        self.id = id
        self.pod = pod
        self.hostname = hostname
        self.network = network
        self.hostPID = hostPID
        self.hostIPC = hostIPC
        self.shareProcessNamespace = shareProcessNamespace
        self.cgroupParent = cgroupParent
    }
}

/// A pod's sandbox: a tiny infra container (the role of Kubernetes' pause container) that holds the IPC, UTS,
/// network and, with `shareProcessNamespace`, PID namespaces the pod's containers join, so they outlive any one
/// container. As PID 1 of a shared PID namespace it also reaps the zombies the containers leave.
///
/// It needs no image: its root is a read-only directory with the host's /usr (and /bin, /lib, ...) bound in
/// read-only, and it runs the host's `/bin/sh` waiting on `sleep`, as an unprivileged user with no capabilities.
public struct PodSandbox: Sendable, Hashable {
    /// How it was set up.
    public var config: PodSandboxConfig
    /// The infra process's host pid.
    public var pid: Int32

    /// `/proc/<pid>/ns/<kind>` of the infra process.
    public func namespacePath(_ kind: String) -> String { "/proc/\(pid)/ns/\(kind)" }

    /// The namespaces of one of the pod's containers.
    public var containerNamespaces: ContainerNamespaces {
        let network: NamespaceMode
        switch config.network {
        case .host: network = .host
        case .join(let path): network = .join(path: path)
        case .container: network = .join(path: namespacePath("net"))
        }
        return ContainerNamespaces(
            network: network,
            pid: config.hostPID ? .host : config.shareProcessNamespace ? .join(path: namespacePath("pid")) : .container,
            ipc: config.hostIPC ? .host : .join(path: namespacePath("ipc")),
            uts: config.network == .host ? .host : .join(path: namespacePath("uts"))
        )
    }
}
