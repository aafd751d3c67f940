import Foundation

/// What `runc state` and `runc list --format json` report for one container.
public struct RuncState: Codable, Sendable, Equatable {
    /// The container id.
    public var id: String
    /// The container's init process on the host (0 once it has stopped).
    public var pid: Int32
    /// `created`, `running`, `paused` or `stopped`.
    public var status: String
    /// The bundle directory runc was started from.
    public var bundle: String
    /// When runc created the container (RFC 3339).
    public var created: String?
}

/// The runc command line, pointed at the kubelet's own state root.
///
/// `--root` keeps our containers apart from any other runc user on the machine (Docker, containerd, a second test
/// node), so `list` sees only ours and a `reset` can delete all of them.
public struct Runc: Sendable {
    /// The runc executable.
    public var binary: String
    /// runc's state directory (`--root`).
    public var root: String

    /// Creates a runc handle.
    /// - Parameters:
    ///   - binary: the runc executable (absolute path).
    ///   - root: runc's state directory.
    public init(binary: String, root: String) {
        self.binary = binary
        self.root = root
    }

    /// The argument vector for a runc subcommand.
    func command(_ arguments: [String]) -> [String] {
        [binary, "--root", root] + arguments
    }

    /// The state of one container, or `nil` when runc does not know it.
    public func state(_ id: String) async throws -> RuncState? {
        let result = try await Subprocess.run(command(["state", id]))
        if result.exitCode != 0 {
            if Self.isNotFound(result.errorText) { return nil }
            throw RuntimeError(.commandFailed, "runc state \(id): \(result.errorText)")
        }
        return try JSONDecoder().decode(RuncState.self, from: Data(result.stdout))
    }

    /// Every container under our root.
    public func list() async throws -> [RuncState] {
        let result = try await Subprocess.run(command(["list", "--format", "json"]))
        guard result.exitCode == 0 else {
            throw RuntimeError(.commandFailed, "runc list: \(result.errorText)")
        }
        // runc prints `null` for an empty list.
        return try JSONDecoder().decode([RuncState]?.self, from: Data(result.stdout)) ?? []
    }

    /// Sends `signal` to the container's init process, or to every process in its cgroup with `all`.
    /// A container that is already stopped or gone is not an error: the caller wanted it dead.
    public func kill(_ id: String, signal: Int32, all: Bool = false) async throws {
        let result = try await Subprocess.run(command(["kill"] + (all ? ["--all"] : []) + [id, String(signal)]))
        if result.exitCode != 0, !Self.isNotFound(result.errorText), !Self.isNotRunning(result.errorText) {
            throw RuntimeError(.commandFailed, "runc kill \(id) \(signal): \(result.errorText)")
        }
    }

    /// Deletes the container's runc state and cgroups; `force` kills it first if it still runs.
    /// Deleting a container runc does not know is not an error.
    public func delete(_ id: String, force: Bool = true) async throws {
        let result = try await Subprocess.run(command(["delete"] + (force ? ["--force"] : []) + [id]))
        if result.exitCode != 0, !Self.isNotFound(result.errorText) {
            throw RuntimeError(.commandFailed, "runc delete \(id): \(result.errorText)")
        }
    }

    static func isNotFound(_ message: String) -> Bool {
        message.contains("does not exist") || message.contains("not found")
    }

    static func isNotRunning(_ message: String) -> Bool {
        message.contains("not running") || message.contains("container not running")
            || message.contains("process already finished")
    }

    /// Finds runc on `PATH` (Debian installs it as /usr/sbin/runc, which a non-login PATH may lack).
    public static func locate(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        let path = (environment["PATH"] ?? "") + ":/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
        for directory in path.split(separator: ":") where !directory.isEmpty {
            let candidate = "\(directory)/runc"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}
