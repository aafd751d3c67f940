/// What every container gets unless the pod says otherwise: containerd's CRI defaults, as a table.
enum OCIDefaults {
    /// The kernel filesystems a container needs. `/sys` and `/sys/fs/cgroup` are read-only unless privileged.
    static func mounts(privileged: Bool) -> [OCISpec.Mount] {
        let sysMode = privileged ? "rw" : "ro"
        return [
            .init(destination: "/proc", type: "proc", source: "proc", options: ["nosuid", "noexec", "nodev"]),
            .init(destination: "/dev", type: "tmpfs", source: "tmpfs",
                  options: ["nosuid", "strictatime", "mode=755", "size=65536k"]),
            .init(destination: "/dev/pts", type: "devpts", source: "devpts",
                  options: ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"]),
            .init(destination: "/dev/shm", type: "tmpfs", source: "shm",
                  options: ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"]),
            .init(destination: "/dev/mqueue", type: "mqueue", source: "mqueue", options: ["nosuid", "noexec", "nodev"]),
            .init(destination: "/sys", type: "sysfs", source: "sysfs", options: ["nosuid", "noexec", "nodev", sysMode]),
            .init(destination: "/sys/fs/cgroup", type: "cgroup", source: "cgroup",
                  options: ["nosuid", "noexec", "nodev", "relatime", sysMode]),
        ]
    }

    /// Paths hidden from unprivileged containers (bind-mounted over with /dev/null or an empty tmpfs).
    static let maskedPaths = [
        "/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
        "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware", "/sys/devices/virtual/powercap",
    ]

    /// Paths unprivileged containers may read but not write.
    static let readonlyPaths = ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"]

    /// Deny every device; runc then allows its own default set (null, zero, full, tty, random, urandom, ptmx,
    /// pts, ...) on top, as it does for containerd.
    static let denyAllDevices = [OCISpec.DeviceRule(allow: false, access: "rwm")]

    /// A privileged container may use every device.
    static let allowAllDevices = [OCISpec.DeviceRule(allow: true, access: "rwm")]
}
