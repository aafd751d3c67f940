import Foundation

/// Turns a `ContainerSpec` into the OCI config runc runs, with containerd's CRI defaults.
struct OCISpecBuilder: Sendable {
    /// What the kubelet's process may hand out.
    var host: HostFacts
    /// Whether the memory controller accounts swap, so that `memory.swap` can pin swap use to zero.
    var swapAccounting: Bool
    /// Whether the host uses cgroup v2 (containers then get a cgroup namespace, as containerd gives them).
    var cgroupV2: Bool
    /// The host's device nodes, for privileged containers (a closure so tests need not walk /dev).
    var hostDevices: @Sendable () -> [OCISpec.Device] = { HostDevices.list() }

    /// Builds the OCI config for `spec`.
    func build(_ spec: ContainerSpec) -> OCISpec {
        let security = spec.security
        let capabilities = LinuxCapabilities.resolve(security, available: host.boundingCapabilities)
        let process = OCISpec.Process(
            terminal: false,
            user: .init(
                uid: spec.user.uid, gid: spec.user.gid,
                additionalGids: spec.user.additionalGids.isEmpty ? nil : spec.user.additionalGids),
            args: spec.args,
            env: spec.env,
            cwd: spec.workingDir.flatMap { $0.isEmpty ? nil : $0 } ?? "/",
            capabilities: .init(bounding: capabilities, effective: capabilities, permitted: capabilities),
            noNewPrivileges: security.noNewPrivileges ? true : nil,
            oomScoreAdj: spec.oomScoreAdj.map(host.allowedOOMScoreAdj)
        )
        let ownUTS = spec.namespaces.uts == .container
        return OCISpec(
            process: process,
            root: .init(path: spec.rootfs, readonly: security.readOnlyRootFilesystem ? true : nil),
            hostname: ownUTS ? spec.hostname : nil,
            mounts: mounts(spec),
            annotations: spec.annotations.isEmpty ? nil : spec.annotations,
            linux: .init(
                namespaces: namespaces(spec.namespaces),
                resources: resources(spec),
                cgroupsPath: spec.cgroupPath,
                devices: security.privileged ? hostDevices() : nil,
                sysctl: security.sysctls.isEmpty ? nil : security.sysctls,
                maskedPaths: security.privileged ? nil : OCIDefaults.maskedPaths,
                readonlyPaths: security.privileged ? nil : OCIDefaults.readonlyPaths,
                rootfsPropagation: rootfsPropagation(spec.mounts)
            )
        )
    }

    /// The default kernel mounts (minus any the pod replaces), then the pod's mounts, parents before children.
    func mounts(_ spec: ContainerSpec) -> [OCISpec.Mount] {
        let replaced = Set(spec.mounts.map { Self.clean($0.destination) })
        let defaults = OCIDefaults.mounts(privileged: spec.security.privileged).filter { !replaced.contains($0.destination) }
        // A stable sort by depth mounts /data before /data/cache whatever order the volumes were listed in.
        let ordered = spec.mounts.enumerated().sorted { lhs, rhs in
            let (l, r) = (Self.depth(lhs.element.destination), Self.depth(rhs.element.destination))
            return l != r ? l < r : lhs.offset < rhs.offset
        }.map(\.element)
        return defaults + ordered.map(Self.ociMount)
    }

    static func ociMount(_ mount: ContainerMount) -> OCISpec.Mount {
        let access = mount.readOnly ? "ro" : "rw"
        switch mount.kind {
        case .bind:
            return .init(destination: clean(mount.destination), type: "bind", source: mount.source,
                         options: ["rbind", mount.propagation.rawValue, access] + mount.options)
        case .tmpfs:
            return .init(destination: clean(mount.destination), type: "tmpfs", source: "tmpfs",
                         options: ["nosuid", "nodev", "mode=1777", access] + mount.options)
        }
    }

    /// Mount propagation needs the root to propagate too: shared for bidirectional mounts, slave for host-to-container.
    func rootfsPropagation(_ mounts: [ContainerMount]) -> String? {
        let kinds = Set(mounts.map(\.propagation))
        if kinds.contains(.bidirectional) { return "rshared" }
        if kinds.contains(.hostToContainer) { return "rslave" }
        return nil
    }

    /// Namespace entries: an entry without a path is a new namespace, one with a path joins it, and a missing entry
    /// means the host's.
    func namespaces(_ modes: ContainerNamespaces) -> [OCISpec.Namespace] {
        var entries: [OCISpec.Namespace] = []
        let kinds: [(String, NamespaceMode)] = [
            ("pid", modes.pid), ("ipc", modes.ipc), ("uts", modes.uts), ("network", modes.network),
        ]
        for (type, mode) in kinds {
            switch mode {
            case .container: entries.append(.init(type: type))
            case .join(let path): entries.append(.init(type: type, path: path))
            case .host: break
            }
        }
        entries.append(.init(type: "mount"))
        if cgroupV2 { entries.append(.init(type: "cgroup")) }
        return entries
    }

    /// Container-level cgroup limits: shares always (2 for no request), quota for a CPU limit, memory for a
    /// memory limit (with swap pinned to the same value, so the container cannot swap), pids when capped.
    func resources(_ spec: ContainerSpec) -> OCISpec.Resources {
        let r = spec.resources
        var cpu = OCISpec.CPU(shares: CPUMath.shares(milliCPU: r.effectiveCPURequestMilli ?? 0))
        if let limit = r.cpuLimitMilli, limit > 0 {
            cpu.quota = CPUMath.quota(milliCPU: limit)
            cpu.period = CPUMath.defaultPeriod
        }
        var memory: OCISpec.Memory?
        if let limit = r.memoryLimitBytes, limit > 0 {
            memory = OCISpec.Memory(limit: limit, swap: swapAccounting ? limit : nil)
        }
        return OCISpec.Resources(
            devices: spec.security.privileged ? OCIDefaults.allowAllDevices : OCIDefaults.denyAllDevices,
            memory: memory,
            cpu: cpu,
            pids: spec.pidsLimit.map { OCISpec.Pids(limit: $0) }
        )
    }

    static func clean(_ path: String) -> String {
        let parts = path.split(separator: "/").filter { $0 != "." }
        return "/" + parts.joined(separator: "/")
    }

    static func depth(_ path: String) -> Int {
        path.split(separator: "/").filter { $0 != "." }.count
    }

    /// The config as runc reads it: pretty, with sorted keys so that two builds of one spec are byte-identical.
    static func encode(_ spec: OCISpec) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(spec)
    }
}
