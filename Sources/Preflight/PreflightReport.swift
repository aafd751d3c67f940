/// What a preflight run found: warnings (including ignored errors) and the errors that stop the workflow.
public struct PreflightReport: Sendable {
    /// Non-fatal findings, in the order found; ignored errors appear here with severity `.warning`.
    public var warnings: [Finding]
    /// Fatal findings, in the order found.
    public var errors: [Finding]
    /// Every line the run printed, in order (the header and each warning line).
    public var lines: [String]

    /// - Parameters:
    ///   - warnings: non-fatal findings.
    ///   - errors: fatal findings.
    ///   - lines: printed lines.
    public init(warnings: [Finding] = [], errors: [Finding] = [], lines: [String] = []) {
        self.warnings = warnings
        self.errors = errors
        self.lines = lines
    }

    /// Whether the workflow must stop.
    public var hasErrors: Bool { !errors.isEmpty }

    /// Throws the fatal errors as one `PreflightError`, so a phase can just `try report.throwIfFatal()`.
    public func throwIfFatal() throws {
        if hasErrors { throw PreflightError(errors: errors) }
    }
}

/// The fatal preflight errors, formatted as kubeadm prints them (the caller adds the
/// `error execution phase preflight: ` prefix the way it wraps every phase error).
public struct PreflightError: Error, CustomStringConvertible, Equatable {
    /// The fatal findings.
    public var errors: [Finding]

    /// - Parameter errors: the fatal findings.
    public init(errors: [Finding]) {
        self.errors = errors
    }

    /// The line after the error list, telling the user how to proceed anyway.
    public static let ignoreHint = "[preflight] If you know what you are doing, "
        + "you can make a check non-fatal with `--ignore-preflight-errors=...`"

    public var description: String {
        (["[preflight] Some fatal errors occurred:"] + errors.map { $0.line(as: .error) } + [Self.ignoreHint])
            .joined(separator: "\n")
    }
}
