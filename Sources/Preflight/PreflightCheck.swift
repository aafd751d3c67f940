/// How bad a preflight finding is.
///
/// Warnings are printed and never stop a workflow; errors stop it unless the user names the check in
/// `--ignore-preflight-errors`, in which case they are printed as warnings instead.
public enum Severity: Sendable, Hashable {
    case warning
    case error

    /// The tag kubeadm prints in front of the check name (`[WARNING Swap]`, `[ERROR Port-6443]`).
    public var tag: String {
        switch self {
        case .warning: "WARNING"
        case .error: "ERROR"
        }
    }
}

/// One problem a check found, tied to the check's stable name so it can be ignored by that name.
public struct Finding: Sendable, Equatable {
    /// The name of the check that produced this finding (what `--ignore-preflight-errors` matches).
    public var check: String
    /// Whether the finding stops the workflow.
    public var severity: Severity
    /// What is wrong, followed by a short, concrete fix.
    public var message: String

    /// - Parameters:
    ///   - check: the producing check's name.
    ///   - severity: warning or error.
    ///   - message: the problem and its fix.
    public init(check: String, severity: Severity, message: String) {
        self.check = check
        self.severity = severity
        self.message = message
    }

    /// The console line for this finding, printed with `severity`'s tag (ignored errors print as warnings).
    /// - Parameter severity: the tag to print; defaults to the finding's own severity.
    public func line(as severity: Severity? = nil) -> String {
        "\t[\((severity ?? self.severity).tag) \(check)]: \(message)"
    }
}

/// A named, side-effect-free inspection of the host.
///
/// Checks read the machine only through `HostView`, so every check can be tested against a fake host.
/// The `name` is stable: users pass it to `--ignore-preflight-errors`.
public protocol PreflightCheck: Sendable {
    /// The stable name printed in `[ERROR <name>]` and matched (case-insensitively) by the ignore list.
    var name: String { get }
    /// Inspects the host and returns every problem found (empty when the check passes).
    /// - Parameter host: the machine to inspect.
    func run(on host: any HostView) -> [Finding]
}

extension PreflightCheck {
    /// A finding of severity `.error` attributed to this check.
    func error(_ message: String) -> Finding {
        Finding(check: name, severity: .error, message: message)
    }

    /// A finding of severity `.warning` attributed to this check.
    func warning(_ message: String) -> Finding {
        Finding(check: name, severity: .warning, message: message)
    }
}

/// Builds check names from absolute paths the way kubeadm does, so names users already know keep working.
enum CheckName {
    /// `prefix` followed by `path` with every "/" replaced by "-"
    /// (`/etc/kubernetes/pki/ca.crt` → `FileAvailable--etc-kubernetes-pki-ca.crt`).
    static func forPath(_ prefix: String, _ path: String) -> String {
        prefix + "-" + String(path.map { $0 == "/" ? "-" : $0 })
    }
}
