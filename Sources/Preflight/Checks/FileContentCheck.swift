/// Fails when a kernel switch (a file under `/proc/sys`) does not hold the value pod networking needs.
public struct FileContentCheck: PreflightCheck {
    /// The absolute path to read.
    public var path: String
    /// The required content, compared after trimming surrounding whitespace (procfs adds a newline).
    public var expected: String
    /// How to set the value, appended when the content differs.
    public var fix: String
    /// Why the file may be missing and how to create it, appended when it does not exist.
    public var missingFix: String

    /// - Parameters:
    ///   - path: the absolute path to read.
    ///   - expected: the required content.
    ///   - fix: how to set the value when it differs.
    ///   - missingFix: how to make the file appear when it is absent.
    public init(
        path: String,
        expected: String = "1",
        fix: String? = nil,
        missingFix: String = "check that /proc is mounted and the kernel feature is enabled"
    ) {
        self.path = path
        self.expected = expected
        self.fix = fix ?? "write \(expected) to it: echo \(expected) > \(path)"
        self.missingFix = missingFix
    }

    /// `FileContent-` plus the path with "/" → "-", e.g. `FileContent--proc-sys-net-ipv4-ip_forward`.
    public var name: String { CheckName.forPath("FileContent", path) }

    public func run(on host: any HostView) -> [Finding] {
        guard let content = host.readFile(path) else {
            return [error("\(path) does not exist; \(missingFix)")]
        }
        guard content.trimmingWhitespace() != expected else { return [] }
        return [error("\(path) contents are not set to \(expected); \(fix)")]
    }
}

extension FileContentCheck {
    /// IPv4 forwarding must be on, or pod traffic is not routed off the node.
    public static let ipv4Forwarding = FileContentCheck(
        path: "/proc/sys/net/ipv4/ip_forward",
        fix: "run 'sysctl -w net.ipv4.ip_forward=1' (persist it in /etc/sysctl.d/)",
        missingFix: "IPv4 networking looks unavailable; check that /proc is mounted"
    )

    /// IPv6 forwarding, the IPv6 counterpart of `ipv4Forwarding` for IPv6 or dual-stack clusters.
    public static let ipv6Forwarding = FileContentCheck(
        path: "/proc/sys/net/ipv6/conf/default/forwarding",
        fix: "run 'sysctl -w net.ipv6.conf.default.forwarding=1' (persist it in /etc/sysctl.d/)",
        missingFix: "IPv6 looks disabled; enable it or use an IPv4 cluster"
    )

    /// Bridged pod traffic must pass through iptables, or Service rules never see it. The file only exists
    /// once `br_netfilter` is loaded, hence its own message when absent.
    public static let bridgeNFCallIPTables = FileContentCheck(
        path: "/proc/sys/net/bridge/bridge-nf-call-iptables",
        fix: "run 'modprobe br_netfilter && sysctl -w net.bridge.bridge-nf-call-iptables=1'",
        missingFix: "the br_netfilter module is not loaded; run 'modprobe br_netfilter' "
            + "(persist it in /etc/modules-load.d/)"
    )
}

extension StringProtocol {
    /// The string without leading and trailing spaces, tabs and newlines (Foundation-free).
    func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
