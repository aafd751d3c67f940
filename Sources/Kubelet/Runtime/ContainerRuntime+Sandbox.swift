import Foundation

#if canImport(Glibc)
import Glibc
#endif

extension ContainerRuntime {
    /// The annotation carrying a sandbox's config, so a restarted kubelet can rebuild its `PodSandbox`.
    static let sandboxAnnotation = "io.kubeadm-swift.sandbox"

    /// The infra process: exits on SIGTERM; `wait` collects any child of PID 1, orphans included.
    static let pauseScript = "trap 'exit 0' TERM INT; while :; do sleep 2147483647 & wait $!; done"

    /// Starts a pod's sandbox. Remove it with `remove(_:)` after the pod's containers.
    public func runSandbox(_ config: PodSandboxConfig) async throws -> PodSandbox {
        let (rootfs, mounts) = try prepareSandboxRootfs()
        let bundle = try bundle(config.id)
        let spec = ContainerSpec(
            id: config.id, pod: config.pod, name: "POD", rootfs: rootfs,
            args: ["/bin/sh", "-c", Self.pauseScript], env: ["PATH=/usr/sbin:/usr/bin:/sbin:/bin"],
            user: ProcessUser(uid: 65535, gid: 65535), mounts: mounts,
            security: ContainerSecurity(capabilitiesDrop: ["ALL"], readOnlyRootFilesystem: true, allowPrivilegeEscalation: false),
            namespaces: ContainerNamespaces(
                network: config.network, pid: config.hostPID ? .host : .container,
                ipc: config.hostIPC ? .host : .container, uts: config.network == .host ? .host : .container),
            hostname: config.hostname ?? config.pod.name, cgroupParent: config.cgroupParent,
            annotations: [Self.sandboxAnnotation: String(decoding: try Self.encoder.encode(config), as: UTF8.self)],
            logPath: bundle.directory + "/sandbox.log")
        let status = try await run(spec)
        guard status.state == .running, let pid = status.pid else {
            throw RuntimeError(.startFailed, "pod sandbox \(config.id) exited at once: \(status.reason ?? "")")
        }
        return PodSandbox(config: config, pid: pid)
    }

    /// A running sandbox by id (after a kubelet restart); `nil` when it is not a sandbox or not running.
    public func sandbox(_ id: String) throws -> PodSandbox? {
        guard let text = try spec(id).annotations[Self.sandboxAnnotation],
            let config = try? JSONDecoder().decode(PodSandboxConfig.self, from: Data(text.utf8))
        else { return nil }
        let current = try status(id)
        guard current.state == .running, let pid = current.pid else { return nil }
        return PodSandbox(config: config, pid: pid)
    }

    /// The shared sandbox root: mount points for the kernel filesystems, and for each of the host's top-level
    /// program directories either the same symlink (`/bin -> usr/bin` on merged-/usr systems) or a mount point
    /// with a read-only bind mount of the host's directory.
    private func prepareSandboxRootfs() throws -> (String, [ContainerMount]) {
        let rootfs = configuration.stateDirectory + "/sandbox-rootfs"
        for directory in ["proc", "dev", "sys"] {
            try Self.makeDirectory(rootfs + "/" + directory, mode: 0o755)
        }
        var mounts: [ContainerMount] = []
        for top in ["bin", "sbin", "lib", "lib32", "lib64", "libx32", "usr"] {
            var st = stat()
            guard lstat("/" + top, &st) == 0 else { continue }
            let target = rootfs + "/" + top
            if (st.st_mode & S_IFMT) == S_IFLNK {
                if !PosixIO.exists(target), let link = try? FileManager.default.destinationOfSymbolicLink(atPath: "/" + top) {
                    try FileManager.default.createSymbolicLink(atPath: target, withDestinationPath: link)
                }
            } else if (st.st_mode & S_IFMT) == S_IFDIR {
                try Self.makeDirectory(target, mode: 0o755)
                mounts.append(.bind("/" + top, at: "/" + top, readOnly: true))
            }
        }
        return (rootfs, mounts)
    }
}
