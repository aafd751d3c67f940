/// Checks that a host tool the node shells out to is on `PATH`. Mandatory tools (`runc`, `iptables`, ...)
/// give an error; nice-to-have ones (`socat` for port-forward, `ethtool`, ...) only a warning.
public struct InPathCheck: PreflightCheck {
    /// The bare executable name.
    public var binary: String
    /// Whether a missing binary is an error (true) or a warning (false).
    public var mandatory: Bool
    /// How to install it, appended to the message.
    public var hint: String

    /// - Parameters:
    ///   - binary: the bare executable name, e.g. `iptables`.
    ///   - mandatory: whether a missing binary is an error rather than a warning.
    ///   - hint: how to install it; defaults to the `apt-get` line from `InstallHints`.
    public init(binary: String, mandatory: Bool, hint: String? = nil) {
        self.binary = binary
        self.mandatory = mandatory
        self.hint = hint ?? InstallHints.hint(for: binary)
    }

    /// `FileExisting-<binary>`, e.g. `FileExisting-runc` (kubeadm's name for this check).
    public var name: String { "FileExisting-\(binary)" }

    public func run(on host: any HostView) -> [Finding] {
        guard host.lookPath(binary) == nil else { return [] }
        let message = "\(binary) not found in system path; \(hint)"
        return [mandatory ? error(message) : warning(message)]
    }
}

/// Which Debian/Ubuntu package provides each host tool, so a missing-binary message can name the exact
/// install command instead of leaving the user to search for it.
public enum InstallHints {
    /// Binary name → package, where they differ or are non-obvious.
    public static let packageForBinary: [String: String] = [
        "runc": "runc",
        "ip": "iproute2",
        "tc": "iproute2",
        "iptables": "iptables",
        "ebtables": "ebtables",
        "mount": "mount",
        "nsenter": "util-linux",
        "ethtool": "ethtool",
        "socat": "socat",
        "touch": "coreutils",
        "conntrack": "conntrack",
    ]

    /// The package that provides the standard CNI plugins (installed to `/usr/lib/cni` on Debian).
    public static let cniPluginsPackage = "containernetworking-plugins"

    /// `install it: 'apt-get install <package>'` for `binary` (the package defaults to the binary's name).
    /// - Parameter binary: the bare executable name.
    public static func hint(for binary: String) -> String {
        "install it: 'apt-get install \(packageForBinary[binary] ?? binary)'"
    }
}
