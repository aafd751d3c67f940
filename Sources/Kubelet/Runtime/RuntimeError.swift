import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A failure of the container runtime layer: a stable `code` callers can switch on, plus the detail a human needs.
///
/// Shaped like `ServiceGroupError`: a struct with static codes, so new codes never break a caller's `switch`.
public struct RuntimeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of failure this is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The code's stable name (also used as the container status reason where one applies).
        public let name: String

        /// The spec cannot be turned into a container (bad id, missing rootfs, ...).
        public static let invalidSpec = Code(name: "InvalidSpec")
        /// No container with that id is known.
        public static let notFound = Code(name: "NotFound")
        /// A container with that id already exists.
        public static let alreadyExists = Code(name: "AlreadyExists")
        /// runc could not start the container process; the status keeps the reason `StartError`.
        public static let startFailed = Code(name: "StartError")
        /// The operation needs a running container.
        public static let notRunning = Code(name: "NotRunning")
        /// A helper command (runc, setsid) failed.
        public static let commandFailed = Code(name: "CommandFailed")
        /// Waiting for something took longer than allowed.
        public static let timeout = Code(name: "Timeout")
        /// A system call failed.
        public static let system = Code(name: "SystemError")
        /// A cgroup could not be created, configured or removed.
        public static let cgroup = Code(name: "CgroupError")

        public var description: String { name }
    }

    /// What kind of failure this is.
    public var code: Code
    /// What happened, with the paths or ids involved.
    public var message: String

    /// Creates an error.
    /// - Parameters:
    ///   - code: the kind of failure.
    ///   - message: what happened.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }

    /// A failed system call, with `errno` spelled out.
    static func system(_ what: String, errno number: Int32 = errno) -> RuntimeError {
        RuntimeError(.system, "\(what): \(String(cString: strerror(number)))")
    }
}
