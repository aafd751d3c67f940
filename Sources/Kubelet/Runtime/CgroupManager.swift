import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The cgroupfs driver: pod cgroups under `<cgroupRoot>/kubepods/[burstable|besteffort]/pod<uid>`, containers as
/// their children (runc creates those from `cgroupsPath`).
///
/// Paths are in cgroupfs form (`/kubepods/burstable/pod<uid>`): the same string names the cgroup in every
/// hierarchy, and runc takes it as `cgroupsPath`. Absolute paths matter here: runc puts relative ones under the
/// kubelet's own cgroup, which on this host differs per controller.
public struct CgroupManager: Sendable {
    /// The cgroup interface in use.
    public enum Version: String, Sendable {
        /// Per-controller hierarchies (also hybrid hosts, whose cgroup2 mount carries no useful controller).
        case v1
        /// The unified hierarchy mounted at the cgroup root.
        case v2
    }

    /// The v1 controllers the kubelet creates pod cgroups in and configures; runc creates the rest on demand.
    static let managedV1Controllers = ["cpu", "cpuacct", "memory", "pids"]
    /// The v2 controllers enabled for pod subtrees, when the kernel offers them.
    static let managedV2Controllers = ["cpu", "memory", "pids", "io", "cpuset", "hugetlb"]

    /// v1 or v2.
    public let version: Version
    /// The parent of `kubepods` (`/` on a real node; a distinct one per test node).
    public let cgroupRoot: String
    /// Every mounted hierarchy under the mount root: removal must clear all of them, including the ones runc
    /// populated on its own (`name=systemd`, the hybrid cgroup2 mount).
    public let hierarchies: [CgroupHierarchy]

    /// A manager for the running host.
    /// - Parameters:
    ///   - cgroupRoot: the parent of `kubepods`, in cgroupfs form.
    ///   - mountRoot: where the cgroup filesystems are mounted.
    public init(cgroupRoot: String = "/", mountRoot: String = "/sys/fs/cgroup") {
        let mounts = CgroupMounts.parse(mountInfo: PosixIO.readText("/proc/self/mountinfo") ?? "")
        self.init(cgroupRoot: cgroupRoot, hierarchies: mounts, mountRoot: mountRoot)
    }

    /// A manager over given hierarchies (tests point them at temporary directories).
    /// - Parameters:
    ///   - cgroupRoot: the parent of `kubepods`, in cgroupfs form.
    ///   - hierarchies: the mounted hierarchies.
    ///   - mountRoot: where the cgroup filesystems are mounted; a unified hierarchy exactly there means v2.
    public init(cgroupRoot: String, hierarchies: [CgroupHierarchy], mountRoot: String) {
        let relevant = hierarchies.filter { $0.mountPoint == mountRoot || $0.mountPoint.hasPrefix(mountRoot + "/") }
        self.hierarchies = relevant
        self.version = relevant.contains { $0.unified && $0.mountPoint == mountRoot } ? .v2 : .v1
        self.cgroupRoot = OCISpecBuilder.clean(cgroupRoot)
    }

    // MARK: - Names

    /// `<cgroupRoot>/kubepods`.
    public var kubepods: String { join(cgroupRoot, "kubepods") }

    /// The cgroup holding a QoS class's pods.
    public func qosCgroup(_ qos: QOSClass) -> String {
        qos.cgroupDirectory.map { join(kubepods, $0) } ?? kubepods
    }

    /// A pod's cgroup: `<kubepods>/[burstable|besteffort/]pod<uid>`.
    public func podCgroup(uid: String, qos: QOSClass) -> String {
        join(qosCgroup(qos), "pod" + uid)
    }

    /// The directories a cgroupfs path names, one per hierarchy that has it configured or may hold it.
    func directories(_ path: String, hierarchies selected: [CgroupHierarchy]? = nil) -> [String] {
        (selected ?? hierarchies).map { $0.mountPoint + (path == "/" ? "" : path) }
    }

    /// The hierarchies the kubelet configures: the unified one on v2, the managed controllers' on v1.
    var managedHierarchies: [CgroupHierarchy] {
        switch version {
        case .v2: return hierarchies.filter(\.unified)
        case .v1:
            return hierarchies.filter { h in !h.unified && h.controllers.contains { Self.managedV1Controllers.contains($0) } }
        }
    }

    private func hierarchy(for controller: String) -> CgroupHierarchy? {
        switch version {
        case .v2: return hierarchies.first(where: \.unified)
        case .v1: return hierarchies.first { !$0.unified && $0.controllers.contains(controller) }
        }
    }

    // MARK: - Creating

    /// Creates `kubepods` and the burstable and best-effort parents; best-effort work gets the minimum CPU weight.
    public func ensureNodeCgroups() throws {
        for path in [kubepods, qosCgroup(.burstable), qosCgroup(.bestEffort)] {
            try create(path)
        }
        try setCPUShares(CPUMath.minShares, at: qosCgroup(.bestEffort))
    }

    /// Creates (or updates) a pod's cgroup with its limits and returns its path, the pod's `cgroupParent`.
    /// - Parameters:
    ///   - uid: the pod's UID.
    ///   - qos: the pod's QoS class.
    ///   - config: the pod-level limits (`PodCgroupConfig.forPod`).
    @discardableResult
    public func ensurePod(uid: String, qos: QOSClass, config: PodCgroupConfig) throws -> String {
        try ensureNodeCgroups()
        let path = podCgroup(uid: uid, qos: qos)
        try create(path)
        try apply(config, at: path)
        return path
    }

    /// Writes a pod's limits into its cgroup.
    public func apply(_ config: PodCgroupConfig, at path: String) throws {
        try setCPUShares(config.cpuShares, at: path)
        switch version {
        case .v1:
            if let quota = config.cpuQuota {
                // The period first: a quota is checked against the current period.
                try write(String(config.cpuPeriod ?? CPUMath.defaultPeriod), controller: "cpu", file: "cpu.cfs_period_us", at: path)
                try write(String(quota), controller: "cpu", file: "cpu.cfs_quota_us", at: path)
            } else {
                try write("-1", controller: "cpu", file: "cpu.cfs_quota_us", at: path)
            }
            try write(config.memoryLimitBytes.map(String.init) ?? "-1", controller: "memory", file: "memory.limit_in_bytes", at: path)
        case .v2:
            let period = config.cpuPeriod ?? CPUMath.defaultPeriod
            try write("\(config.cpuQuota.map(String.init) ?? "max") \(period)", controller: "cpu", file: "cpu.max", at: path)
            try write(config.memoryLimitBytes.map(String.init) ?? "max", controller: "memory", file: "memory.max", at: path)
        }
        try write(config.pidsLimit.map(String.init) ?? "max", controller: "pids", file: "pids.max", at: path)
    }

    private func setCPUShares(_ shares: UInt64, at path: String) throws {
        switch version {
        case .v1: try write(String(shares), controller: "cpu", file: "cpu.shares", at: path)
        case .v2: try write(String(CPUMath.weight(shares: shares)), controller: "cpu", file: "cpu.weight", at: path)
        }
    }

    /// Makes `path` in every managed hierarchy, parents first; on v2 also enables the controllers for each level.
    func create(_ path: String) throws {
        let components = path.split(separator: "/").map(String.init)
        for hierarchy in managedHierarchies {
            var current = hierarchy.mountPoint
            for component in components {
                if hierarchy.unified { try enableControllers(in: current) }
                current += "/" + component
                if mkdir(current, 0o755) != 0 && errno != EEXIST {
                    throw RuntimeError(.cgroup, "mkdir \(current): \(String(cString: strerror(errno)))")
                }
            }
        }
    }

    /// cgroup v2 only delegates a controller to children once the parent lists it in `cgroup.subtree_control`.
    private func enableControllers(in directory: String) throws {
        let available = (PosixIO.readText(directory + "/cgroup.controllers") ?? "").split(separator: " ")
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        let enabled = Set((PosixIO.readText(directory + "/cgroup.subtree_control") ?? "").split(separator: " ")
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) })
        let wanted = Self.managedV2Controllers.filter { available.contains($0) && !enabled.contains($0) }
        guard !wanted.isEmpty else { return }
        try writeFile(directory + "/cgroup.subtree_control", wanted.map { "+" + $0 }.joined(separator: " "))
    }

    private func write(_ value: String, controller: String, file: String, at path: String) throws {
        guard let hierarchy = hierarchy(for: controller) else { return }  // the controller is not mounted: nothing to limit
        try writeFile(hierarchy.mountPoint + path + "/" + file, value)
    }

    private func writeFile(_ file: String, _ value: String) throws {
        // O_CREAT only matters for tests over plain directories; cgroupfs control files always exist already.
        let fd = Glibc.open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            let failure = errno
            // A control file that is missing from an existing cgroup belongs to a controller this cgroup does not
            // have (v2 without `pids` delegated, say): there is nothing to limit.
            if !PosixIO.exists(file), PosixIO.exists((file as NSString).deletingLastPathComponent) { return }
            throw RuntimeError(.cgroup, "open \(file): \(String(cString: strerror(failure)))")
        }
        defer { PosixIO.closeQuietly(fd) }
        do { try PosixIO.writeAll(fd, Array(value.utf8)) } catch {
            throw RuntimeError(.cgroup, "write \(value) to \(file): \(String(cString: strerror(errno)))")
        }
    }

    // MARK: - Reading

    /// How many processes the kernel's OOM killer has killed in the cgroup (`oom_kill` in v1 `memory.oom_control`,
    /// v2 `memory.events`); `nil` when the cgroup is gone.
    public func oomKillCount(_ path: String) -> Int? {
        guard let memory = hierarchy(for: "memory") else { return nil }
        let file = memory.mountPoint + path + (version == .v2 ? "/memory.events" : "/memory.oom_control")
        guard let text = PosixIO.readText(file) else { return nil }
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ")
            if fields.count == 2, fields[0] == "oom_kill" { return Int(fields[1]) }
        }
        return 0
    }

    /// Whether the memory controller accounts swap (`memory.memsw.*` on v1, `memory.swap.max` on v2), so a
    /// container's swap can be pinned to its memory limit.
    public var swapAccounting: Bool {
        guard let memory = hierarchy(for: "memory") else { return false }
        switch version {
        case .v1: return PosixIO.exists(memory.mountPoint + "/memory.memsw.limit_in_bytes")
        case .v2: return PosixIO.exists(memory.mountPoint + kubepods + "/memory.swap.max")
        }
    }

    /// The pods that have a cgroup on this node, for the kubelet's orphan cleanup.
    public func existingPods() -> [(uid: String, qos: QOSClass)] {
        guard let hierarchy = managedHierarchies.first else { return [] }
        var pods: [(String, QOSClass)] = []
        for qos in [QOSClass.guaranteed, .burstable, .bestEffort] {
            let directory = hierarchy.mountPoint + qosCgroup(qos)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
            for name in names.sorted() where name.hasPrefix("pod") {
                pods.append((String(name.dropFirst(3)), qos))
            }
        }
        return pods
    }

    // MARK: - Removing

    /// Removes a pod's cgroup from every hierarchy, with anything still inside it.
    public func removePod(uid: String, qos: QOSClass) async throws {
        try await remove(podCgroup(uid: uid, qos: qos))
    }

    /// Removes `kubepods` and everything below it, then the cgroup root itself when it is ours alone and empty
    /// (`reset`, and test cleanup).
    public func removeAll() async throws {
        try await remove(kubepods)
        guard cgroupRoot != "/" else { return }
        for directory in directories(cgroupRoot) where PosixIO.exists(directory) {
            _ = rmdir(directory)  // still busy means someone else uses this root: leave it
        }
    }

    /// Removes a cgroup subtree from every hierarchy: children first, processes still inside killed, and each
    /// `rmdir` retried while the kernel finishes tearing the killed processes down.
    public func remove(_ path: String) async throws {
        for directory in directories(path) where PosixIO.exists(directory) {
            try await removeTree(directory)
        }
    }

    private func removeTree(_ directory: String) async throws {
        let children = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter {
            var st = stat()
            return lstat(directory + "/" + $0, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
        }
        for child in children {
            try await removeTree(directory + "/" + child)
        }
        let deadline = ContinuousClock.now + .seconds(10)
        while rmdir(directory) != 0 {
            let failure = errno
            if failure == ENOENT { return }
            guard failure == EBUSY || failure == EAGAIN, ContinuousClock.now < deadline else {
                throw RuntimeError(.cgroup, "rmdir \(directory): \(String(cString: strerror(failure)))")
            }
            killProcesses(in: directory)
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    private func killProcesses(in directory: String) {
        let text = PosixIO.readText(directory + "/cgroup.procs") ?? ""
        for line in text.split(separator: "\n") {
            if let pid = Int32(line), pid > 0 { _ = kill(pid, SIGKILL) }
        }
    }

    private func join(_ parent: String, _ child: String) -> String {
        parent == "/" ? "/" + child : parent + "/" + child
    }
}
