import Foundation

/// Linux capability names and the sets a container gets.
public enum LinuxCapabilities {
    /// Capability names by number (`<linux/capability.h>`), up to CAP_CHECKPOINT_RESTORE (40).
    public static let all: [String] = [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL",
        "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE",
        "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE",
        "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT",
        "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE",
        "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG",
        "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE",
    ]

    /// The set an unprivileged container starts from (containerd's and Docker's default).
    public static let defaults: [String] = [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID",
        "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL",
        "CAP_AUDIT_WRITE",
    ]

    /// The capabilities a container gets, in kernel order.
    ///
    /// Privileged containers get everything. Otherwise containerd's order applies: `add: [ALL]` fills the set,
    /// then `drop: [ALL]` empties it, then individual adds, then individual drops; so `add: [ALL], drop: [CHOWN]`
    /// is everything but CHOWN and `drop: [ALL], add: [NET_BIND_SERVICE]` is just that one. Names are accepted with or without `CAP_`, in any case. Whatever results is
    /// cut down to `available`: a process cannot grant what it does not hold (this host has no CAP_SYS_RESOURCE),
    /// and asking runc to would fail the container.
    /// - Parameters:
    ///   - security: the container's security settings.
    ///   - available: the capabilities the kubelet may hand out (its bounding set).
    public static func resolve(_ security: ContainerSecurity, available: Set<String>) -> [String] {
        let add = security.capabilitiesAdd.map(canonical)
        let drop = security.capabilitiesDrop.map(canonical)
        var set = Set(defaults)
        if security.privileged || add.contains("CAP_ALL") {
            set = Set(all)
        }
        if !security.privileged {
            if drop.contains("CAP_ALL") { set = [] }
            set.formUnion(add.filter { $0 != "CAP_ALL" })
            set.subtract(drop)
        }
        return all.filter { set.contains($0) && available.contains($0) }
    }

    /// `NET_ADMIN`, `net_admin` and `CAP_NET_ADMIN` all become `CAP_NET_ADMIN`.
    static func canonical(_ name: String) -> String {
        let upper = name.uppercased()
        return upper.hasPrefix("CAP_") ? upper : "CAP_" + upper
    }

    /// The capabilities in a `/proc/<pid>/status` mask line such as `CapBnd:\t000001fffeffffff`.
    static func names(inMask hex: String) -> Set<String> {
        guard let mask = UInt64(hex.trimmingCharacters(in: .whitespaces), radix: 16) else { return [] }
        return Set(all.indices.filter { mask & (1 << UInt64($0)) != 0 }.map { all[$0] })
    }
}
