/// Fails when a file this workflow is about to write already exists, because silently overwriting another
/// cluster's manifest or kubeconfig is worse than stopping.
public struct FileAvailableCheck: PreflightCheck {
    /// The absolute path that must not exist.
    public var path: String

    /// - Parameter path: the absolute path that must not exist.
    public init(path: String) {
        self.path = path
    }

    /// `FileAvailable-` plus the path with "/" → "-", e.g. `FileAvailable--etc-kubernetes-kubelet.conf`.
    public var name: String { CheckName.forPath("FileAvailable", path) }

    public func run(on host: any HostView) -> [Finding] {
        guard host.fileExists(path) else { return [] }
        return [error("\(path) already exists; run 'kubeadm-swift reset' or remove it")]
    }
}

/// Fails when a directory this workflow fills (manifests, etcd data) already has content from an earlier run.
/// An absent directory passes: the workflow creates it.
public struct DirAvailableCheck: PreflightCheck {
    /// The absolute path that must be absent or an empty directory.
    public var path: String

    /// - Parameter path: the absolute path that must be absent or an empty directory.
    public init(path: String) {
        self.path = path
    }

    /// `DirAvailable-` plus the path with "/" → "-", e.g. `DirAvailable--var-lib-etcd`.
    public var name: String { CheckName.forPath("DirAvailable", path) }

    public func run(on host: any HostView) -> [Finding] {
        if let entries = host.directoryEntries(path) {
            guard !entries.isEmpty else { return [] }
            return [error("\(path) is not empty; run 'kubeadm-swift reset' or empty it")]
        }
        guard host.fileExists(path) else { return [] }
        return [error("\(path) exists but is not a directory; remove it")]
    }
}

/// Fails when a file the node needs at run time (such as a CNI plugin binary) is missing.
public struct FileExistingCheck: PreflightCheck {
    /// The absolute path that must exist.
    public var path: String
    /// How to get the file, e.g. `install the CNI plugins: 'apt-get install containernetworking-plugins'`.
    public var hint: String

    /// - Parameters:
    ///   - path: the absolute path that must exist.
    ///   - hint: how to get the file; appended to the message.
    public init(path: String, hint: String = "create it or install the package that provides it") {
        self.path = path
        self.hint = hint
    }

    /// `FileExisting-` plus the path with "/" → "-", e.g. `FileExisting--usr-lib-cni-bridge`.
    public var name: String { CheckName.forPath("FileExisting", path) }

    public func run(on host: any HostView) -> [Finding] {
        guard !host.fileExists(path) else { return [] }
        return [error("\(path) does not exist; \(hint)")]
    }
}
