import Foundation
import Manifests

#if canImport(Glibc)
import Glibc
#endif

/// The directory of the kubelet's pod network namespaces (`/run/kubeadm-swift/netns/<pod-uid>`).
///
/// `ip netns add` would do the same work, but it hard-codes `/run/netns` (the compiled-in `NETNS_RUN_DIR`), which
/// would mix our pods with other tools' namespaces and escape a test host's private root. So the store repeats
/// its steps itself: make the directory a shared mount point, create an empty file, `unshare(CLONE_NEWNET)` on a
/// throwaway thread and bind-mount that thread's `/proc/thread-self/ns/net` onto the file.
public struct NetworkNamespaceStore: Sendable {
    /// The store directory (``HostPaths/podNetnsDir`` on a node).
    public var directory: String

    /// - Parameters:
    ///   - directory: where the namespace files live; created on first use.
    public init(directory: String) {
        self.directory = directory
    }

    /// The path a namespace called `name` has in this store, whether or not it exists.
    /// - Parameters:
    ///   - name: the namespace name (a pod UID).
    public func path(of name: String) -> String { directory + "/" + name }

    /// The namespace called `name` if its file exists (mounted or a stale leftover).
    /// - Parameters:
    ///   - name: the namespace name (a pod UID).
    public func namespace(named name: String) -> NetworkNamespace? {
        let path = path(of: name)
        return FileManager.default.fileExists(atPath: path) ? NetworkNamespace(name: name, path: path) : nil
    }

    /// Creates the namespace `name`, or returns it unchanged if it is already mounted (a kubelet restart may ask
    /// again for a pod whose namespace survived).
    /// - Parameters:
    ///   - name: the namespace name; a pod UID (letters, digits, `-`, `_`, `.`, starting with a letter or digit).
    public func create(named name: String) async throws -> NetworkNamespace {
        let path = path(of: name)
        try Self.validate(name: name, path: path)
        if NetworkNamespace.isNamespaceMount(path) { return NetworkNamespace(name: name, path: path) }
        try prepareDirectory()
        let descriptor = open(path, O_RDONLY | O_CREAT | O_CLOEXEC, 0o444)
        guard descriptor >= 0 else {
            throw NetworkNamespaceError(operation: "create", path: path, reason: NamespaceSyscalls.lastError(),
                                        hint: "check that \(directory) is writable (run the kubelet as root)")
        }
        close(descriptor)
        do {
            try await NamespaceSyscalls.onThrowawayThread { try Self.mountFreshNamespace(on: path) }
        } catch {
            unlink(path)
            throw error
        }
        return NetworkNamespace(name: name, path: path)
    }

    /// Unmounts and removes the namespace `name`; a namespace that is already gone is not an error.
    ///
    /// The mount is detached lazily, so a process still inside the namespace keeps it until it exits, as with
    /// `ip netns del`.
    /// - Parameters:
    ///   - name: the namespace name (a pod UID).
    public func delete(named name: String) throws {
        let path = path(of: name)
        try Self.validate(name: name, path: path)
        if umount2(path, Int32(MNT_DETACH)) != 0, errno != EINVAL, errno != ENOENT {
            throw NetworkNamespaceError(operation: "delete", path: path, reason: NamespaceSyscalls.lastError(),
                                        hint: "run the kubelet as root; `umount -l \(path)` removes it by hand")
        }
        if unlink(path) != 0, errno != ENOENT {
            throw NetworkNamespaceError(operation: "delete", path: path, reason: NamespaceSyscalls.lastError(),
                                        hint: "remove the file by hand once nothing holds it")
        }
    }

    /// Every namespace file in the store, sorted by name, mounted or not (orphan cleanup removes both kinds).
    public func list() throws -> [NetworkNamespace] {
        guard FileManager.default.fileExists(atPath: directory) else { return [] }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw NetworkNamespaceError(operation: "list", path: directory, reason: "\(error)",
                                        hint: "check that the directory is readable")
        }
        return names.filter { !$0.hasPrefix(".") }.sorted().map { NetworkNamespace(name: $0, path: path(of: $0)) }
    }

    /// Deletes every namespace and unmounts the store directory's own mount (what `kubeadm-swift reset` does).
    public func deleteAll() throws {
        for namespace in try list() { try delete(named: namespace.name) }
        if umount2(directory, Int32(MNT_DETACH)) != 0, errno != EINVAL, errno != ENOENT {
            throw NetworkNamespaceError(operation: "unmount the store of", path: directory,
                                        reason: NamespaceSyscalls.lastError(), hint: "run as root")
        }
    }

    // MARK: - Steps

    /// Names become file names and CNI container IDs, so they must be plain path components.
    private static func validate(name: String, path: String) throws {
        guard CNIIdentifier.isValid(name) else {
            throw NetworkNamespaceError(operation: "name", path: path, reason: "\"\(name)\" is not a valid namespace name",
                                        hint: "use a pod UID (letters, digits, '-', '_', '.', starting with a letter or digit)")
        }
    }

    /// Makes the directory a mount point with shared propagation, exactly like `ip netns add` does for /run/netns.
    ///
    /// Shared propagation means that when a namespace file is unmounted here, copies of the mount that other
    /// mount namespaces took (containers created while it existed) are unmounted too, so the kernel can free the
    /// namespace instead of keeping it alive in a container's view of /run.
    private func prepareDirectory() throws {
        try AtomicFile.ensureDirectory(URL(fileURLWithPath: directory), mode: 0o755)
        var madeMountPoint = false
        while mount("", directory, "none", UInt(MS_SHARED | MS_REC), nil) != 0 {
            guard errno == EINVAL, !madeMountPoint else {
                throw NetworkNamespaceError(operation: "share the mount of", path: directory,
                                            reason: NamespaceSyscalls.lastError(), hint: "run the kubelet as root")
            }
            // EINVAL: not a mount point yet; bind it onto itself and try again.
            guard mount(directory, directory, "none", UInt(MS_BIND | MS_REC), nil) == 0 else {
                throw NetworkNamespaceError(operation: "bind-mount the store", path: directory,
                                            reason: NamespaceSyscalls.lastError(), hint: "run the kubelet as root")
            }
            madeMountPoint = true
        }
    }

    /// Runs on a throwaway thread: switch it into a new namespace, pin that namespace on `path`, switch back.
    private static func mountFreshNamespace(on path: String) throws {
        let original = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC)
        guard original >= 0 else {
            throw NetworkNamespaceError(operation: "create", path: path, reason: "cannot open /proc/thread-self/ns/net: "
                                        + NamespaceSyscalls.lastError(), hint: "mount /proc (Linux 3.17 or later)")
        }
        defer { close(original) }
        guard NamespaceSyscalls.unshareNetwork() == 0 else {
            throw NetworkNamespaceError(operation: "create", path: path, reason: "unshare: " + NamespaceSyscalls.lastError(),
                                        hint: "creating network namespaces needs root (CAP_SYS_ADMIN)")
        }
        let mounted = mount("/proc/thread-self/ns/net", path, "none", UInt(MS_BIND), nil)
        let mountError = NamespaceSyscalls.lastError()
        // Switching back is a courtesy only: the thread ends right after, whatever namespace it is in.
        _ = NamespaceSyscalls.enterNetwork(original)
        guard mounted == 0 else {
            throw NetworkNamespaceError(operation: "create", path: path, reason: "bind mount: " + mountError,
                                        hint: "check that the kubelet runs as root and \(path) is on a writable filesystem")
        }
    }
}
