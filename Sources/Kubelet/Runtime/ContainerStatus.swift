import Foundation

/// What the runtime knows about one container, in the terms the kubelet reports in a pod's `containerStatuses`.
public struct ContainerStatus: Codable, Sendable, Hashable {
    /// The container's lifecycle state.
    public enum State: String, Codable, Sendable, Hashable {
        /// The bundle exists and the shim is starting runc; the process does not exist yet.
        case created
        /// The process runs.
        case running
        /// The process has ended (or never started; see `reason`).
        case exited
    }

    /// The container id.
    public var id: String
    /// The pod it belongs to.
    public var pod: PodIdentity
    /// The container's name in the pod.
    public var name: String
    /// The restart count it was started with.
    public var restartCount: Int
    /// Its state.
    public var state: State
    /// The process's host pid while it runs.
    public var pid: Int32?
    /// When the kubelet created it.
    public var createdAt: Date
    /// When its process started.
    public var startedAt: Date?
    /// When its process ended.
    public var finishedAt: Date?
    /// The exit code once exited (137 for SIGKILL, OOM kills included; 128 when it never started).
    public var exitCode: Int32?
    /// Why it ended: `Completed`, `Error`, `OOMKilled`, `StartError` or `Unknown` (`TerminationReason`).
    public var reason: String?
    /// Detail for `StartError` and `Unknown`.
    public var message: String?
    /// Its CRI log file.
    public var logPath: String
}

/// The termination reasons the kubelet reports, as containerd spells them.
public enum TerminationReason {
    /// Exit code 0.
    public static let completed = "Completed"
    /// A non-zero exit code.
    public static let error = "Error"
    /// The kernel's OOM killer killed a process of the container (it hit its memory limit).
    public static let oomKilled = "OOMKilled"
    /// runc could not start the process (bad binary, bad mount, ...).
    public static let startError = "StartError"
    /// The exit code was lost (the shim was killed).
    public static let unknown = "Unknown"

    /// The exit code reported with `StartError` (containerd's choice).
    public static let startErrorExitCode: Int32 = 128
    /// The exit code reported with `Unknown` (containerd's choice).
    public static let unknownExitCode: Int32 = 255

    /// The reason for an exit: an OOM kill anywhere in the container wins (as containerd reports it), otherwise
    /// the exit code decides.
    static func forExit(code: Int32, oomKilled: Bool) -> String {
        oomKilled ? Self.oomKilled : code == 0 ? completed : error
    }
}
