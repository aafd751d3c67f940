import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A persistent network namespace: an nsfs bind mount on an empty file, as `ip netns add` makes them.
///
/// The mount keeps the namespace alive with no process in it, so CNI can wire it before the pod's first container
/// starts, and runc joins it by path.
public struct NetworkNamespace: Sendable, Hashable {
    /// The file name, which is the pod UID for pod namespaces.
    public var name: String
    /// The bind-mounted file (`CNI_NETNS`, and the path runc's spec joins).
    public var path: String

    /// - Parameters:
    ///   - name: the file name inside the store directory.
    ///   - path: the full path of the file.
    public init(name: String, path: String) {
        self.name = name
        self.path = path
    }

    /// Whether `path` is a live namespace mount rather than a leftover plain file (or nothing).
    ///
    /// Every nsfs inode lives on one kernel-internal device, so comparing the device with that of our own
    /// `/proc/self/ns/net` tells a mounted namespace from the empty file under it without parsing mountinfo.
    public var isMounted: Bool { Self.isNamespaceMount(path) }

    /// Whether the file at `path` is an nsfs namespace (see ``isMounted``).
    /// - Parameters:
    ///   - path: any path.
    public static func isNamespaceMount(_ path: String) -> Bool {
        var target = stat()
        var reference = stat()
        guard stat(path, &target) == 0, stat("/proc/self/ns/net", &reference) == 0 else { return false }
        return target.st_dev == reference.st_dev
    }
}

/// A namespace operation that failed, naming the path, the system's reason and what to do about it.
public struct NetworkNamespaceError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What was attempted ("create", "delete", ...).
    public var operation: String
    /// The namespace file or store directory.
    public var path: String
    /// The system's reason (`strerror`) or a validation message.
    public var reason: String
    /// How to fix it.
    public var hint: String

    /// - Parameters:
    ///   - operation: what was attempted.
    ///   - path: the file or directory.
    ///   - reason: the system's reason.
    ///   - hint: how to fix it.
    public init(operation: String, path: String, reason: String, hint: String) {
        self.operation = operation
        self.path = path
        self.reason = reason
        self.hint = hint
    }

    public var description: String { "cannot \(operation) network namespace \(path): \(reason); \(hint)" }
}
