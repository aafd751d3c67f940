/// Verifies the kernel and cgroups can run containers: the kernel must be new enough, and every cgroup
/// controller the kubelet's container manager uses must be enabled. This is the part of kubeadm's
/// system-validators that matters for a bundled runtime (no kernel-config or OS table).
public struct SystemVerificationCheck: PreflightCheck {
    public let name = "SystemVerification"
    /// Root `cgroup.controllers`; its presence means the unified (v2-only) hierarchy is mounted.
    public var cgroupV2ControllersPath: String
    /// The kernel's v1 controller table (`#subsys_name hierarchy num_cgroups enabled`).
    public var cgroupV1TablePath: String

    /// - Parameters:
    ///   - cgroupV2ControllersPath: where the root cgroup v2 controller list lives.
    ///   - cgroupV1TablePath: where the kernel lists cgroup v1 controllers.
    public init(
        cgroupV2ControllersPath: String = "/sys/fs/cgroup/cgroup.controllers",
        cgroupV1TablePath: String = "/proc/cgroups"
    ) {
        self.cgroupV2ControllersPath = cgroupV2ControllersPath
        self.cgroupV1TablePath = cgroupV1TablePath
    }

    /// Kernel floors, strictest first; only the first one missed is reported. Below 3.10 containers do not
    /// work at all; below 4.19 they mostly work but Kubernetes no longer tests such kernels.
    static let kernelRequirements: [(minimum: KernelVersion, severity: Severity, fix: String)] = [
        (KernelVersion(major: 3, minor: 10), .error, "upgrade the kernel to 3.10 or newer"),
        (KernelVersion(major: 4, minor: 19), .warning, "upgrade to a 4.19+ kernel, the oldest Kubernetes tests"),
    ]

    /// Controllers the kubelet and runtime need, and in which hierarchy versions they exist as controllers
    /// (v2 has no `cpuacct`, `devices` or `freezer` controllers: their jobs are built in or done by BPF).
    static let requiredCgroups: [(controller: String, v1: Bool, v2: Bool)] = [
        ("cpu", true, true),
        ("cpuacct", true, false),
        ("cpuset", true, true),
        ("memory", true, true),
        ("pids", true, true),
        ("devices", true, false),
        ("freezer", true, false),
    ]

    static let cgroupV1Warning =
        "cgroups v1 support is in maintenance mode, please migrate to cgroups v2; add 'cgroup_no_v1=all' "
        + "(or 'systemd.unified_cgroup_hierarchy=1' with systemd) to the kernel command line and reboot"

    public func run(on host: any HostView) -> [Finding] {
        kernelFindings(host.kernelRelease) + cgroupFindings(host)
    }

    func kernelFindings(_ release: String) -> [Finding] {
        guard let version = KernelVersion(release: release) else {
            return [warning("could not parse kernel release \"\(release)\"; make sure the kernel is 3.10 or newer")]
        }
        guard let unmet = Self.kernelRequirements.first(where: { version < $0.minimum }) else { return [] }
        let message = "kernel release \(release) is older than \(unmet.minimum); \(unmet.fix)"
        return [Finding(check: name, severity: unmet.severity, message: message)]
    }

    func cgroupFindings(_ host: any HostView) -> [Finding] {
        let isV2: Bool
        let enabled: Set<String>
        if let list = host.readFile(cgroupV2ControllersPath) {
            isV2 = true
            enabled = Set(list.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init))
        } else if let table = host.readFile(cgroupV1TablePath) {
            isV2 = false
            enabled = Self.enabledV1Controllers(table)
        } else {
            return [error(
                "could not read \(cgroupV2ControllersPath) or \(cgroupV1TablePath); "
                    + "mount the cgroup2 filesystem at /sys/fs/cgroup"
            )]
        }
        var findings = Self.requiredCgroups
            .filter { (isV2 ? $0.v2 : $0.v1) && !enabled.contains($0.controller) }
            .map { error(Self.missingControllerMessage($0.controller)) }
        if !isV2 { findings.append(warning(Self.cgroupV1Warning)) }
        return findings
    }

    static func missingControllerMessage(_ controller: String) -> String {
        "required cgroups controller \"\(controller)\" is not enabled; add 'cgroup_enable=\(controller)' to the kernel "
            + "command line (and remove any 'cgroup_disable=\(controller)'), then reboot"
    }

    /// Names of the controllers whose `enabled` column (the fourth) is 1 in a `/proc/cgroups` table.
    static func enabledV1Controllers(_ table: String) -> Set<String> {
        var enabled: Set<String> = []
        for line in table.split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            if fields.count >= 4, fields[3] == "1" { enabled.insert(String(fields[0])) }
        }
        return enabled
    }
}

/// The `major.minor` of a kernel release string such as `6.1.0-18-amd64` (patch and suffix ignored).
public struct KernelVersion: Sendable, Comparable, CustomStringConvertible {
    public var major: Int
    public var minor: Int

    /// - Parameters:
    ///   - major: the major version.
    ///   - minor: the minor version.
    public init(major: Int, minor: Int) {
        self.major = major
        self.minor = minor
    }

    /// Parses the leading `major.minor` of a `uname -r` string; nil if it does not start that way.
    /// - Parameter release: the kernel release string.
    public init?(release: String) {
        let numeric = release.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
        let parts = numeric.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count >= 2, let major = Int(parts[0]), let minor = Int(parts[1]) else { return nil }
        self.init(major: major, minor: minor)
    }

    public static func < (lhs: KernelVersion, rhs: KernelVersion) -> Bool {
        (lhs.major, lhs.minor) < (rhs.major, rhs.minor)
    }

    public var description: String { "\(major).\(minor)" }
}
