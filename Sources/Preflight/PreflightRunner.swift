/// Runs checks, prints warnings as they are found, and collects every error before reporting.
public enum PreflightRunner {
    /// The header `run` prints first.
    public static let header = "[preflight] Running pre-flight checks"

    /// Prints `header`, runs any `IsPrivilegedUser` check first and alone (a non-root user gets that one error
    /// and nothing else), then every other check in order, collecting all errors.
    ///
    /// Warnings and ignored errors are printed through `output` as `\t[WARNING <Name>]: <message>` when found;
    /// errors are not printed here but returned, so the caller can throw `PreflightError` once with all of them.
    /// - Parameters:
    ///   - checks: the checks, e.g. from `CheckSets`.
    ///   - host: the machine to inspect.
    ///   - ignoring: the checks whose errors become warnings.
    ///   - output: receives each printed line (without a trailing newline).
    /// - Returns: the warnings, errors and printed lines.
    public static func run(
        _ checks: [any PreflightCheck],
        on host: any HostView,
        ignoring: IgnoreSet,
        output: (String) -> Void
    ) -> PreflightReport {
        var report = PreflightReport()
        func emit(_ line: String) {
            report.lines.append(line)
            output(line)
        }
        emit(header)

        let rootName = IsPrivilegedUserCheck().name
        let stages = [checks.filter { $0.name == rootName }, checks.filter { $0.name != rootName }]
        for stage in stages {
            for check in stage {
                for finding in check.run(on: host) {
                    if finding.severity == .error && !ignoring.ignores(check.name) {
                        report.errors.append(finding)
                    } else {
                        var downgraded = finding
                        downgraded.severity = .warning
                        report.warnings.append(downgraded)
                        emit(downgraded.line())
                    }
                }
            }
            if report.hasErrors { break }
        }
        return report
    }
}
