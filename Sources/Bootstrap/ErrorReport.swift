import KubeAPI
import Manifests
import PKI
import Preflight

/// How a failure is shown and which exit code it gets: kubeadm's codes are 1 (general), 2 (preflight)
/// and 3 (validation). One table, so every command reports errors the same way.
public struct ErrorReport {
    public var message: String
    public var exitCode: Int32

    public init(_ error: any Error) {
        let root = (error as? PhaseError)?.underlying ?? error
        switch root {
        case is PreflightError: exitCode = 2
        case is ConfigError, is IgnoreSetError, is JoinValidationError: exitCode = 3
        default: exitCode = 1
        }
        message = "\(error)\nTo see the stack trace of this error execute with --v=5 or higher"
    }
}
