import Foundation
import Manifests

/// Starts and stops the node's kubelet the way `kubelet-start` and `reset` need it: as a daemon in its own session
/// with a pid file and a log file (these hosts have no systemd as PID 1; where systemd runs, a unit is used instead).
///
/// The command line is the one kubeadm's systemd drop-in builds: `--bootstrap-kubeconfig` (when the file exists),
/// `--kubeconfig`, `--config`, then `KUBELET_KUBEADM_ARGS` from kubeadm-flags.env.
public struct HostKubelet: Sendable {
    public var paths: HostPaths
    /// The kubeadm-swift binary that runs `kubelet` (this process's own executable by default).
    public var binary: String

    public init(paths: HostPaths = HostPaths(), binary: String = HostKubelet.ownExecutable()) {
        self.paths = paths
        self.binary = binary
    }

    public var pidFile: String { paths.runDir + "/kubelet.pid" }
    public var logFile: String { paths.rooted("/var/log/kubeadm-swift") + "/kubelet.log" }
    public var bootstrapKubeconfig: String { paths.kubernetesDir + "/bootstrap-kubelet.conf" }

    public static func ownExecutable() -> String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    /// The kubelet's arguments, from the files kubelet-start wrote.
    public func arguments() throws -> [String] {
        var args = ["kubelet"]
        if FileManager.default.fileExists(atPath: bootstrapKubeconfig) { args.append("--bootstrap-kubeconfig=\(bootstrapKubeconfig)") }
        args += ["--kubeconfig=\(paths.kubeconfig(.kubelet))", "--config=\(paths.kubeletConfigFile)"]
        if let env = try? String(contentsOfFile: paths.kubeletFlagsFile, encoding: .utf8) {
            args += Self.kubeadmArgs(fromEnvFile: env)
        }
        return args
    }

    /// The words of `KUBELET_KUBEADM_ARGS="..."` (kubeadm writes flags without spaces inside values).
    static func kubeadmArgs(fromEnvFile text: String) -> [String] {
        for line in text.split(separator: "\n") where line.hasPrefix("KUBELET_KUBEADM_ARGS=") {
            var value = line.dropFirst("KUBELET_KUBEADM_ARGS=".count)
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = value.dropFirst().dropLast() }
            return value.split(separator: " ").map(String.init)
        }
        return []
    }

    /// The running kubelet's pid, if the pid file names a live `kubelet` process of ours.
    public func runningPID() -> pid_t? {
        guard let text = try? String(contentsOfFile: pidFile, encoding: .utf8),
              let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)), pid > 1 else { return nil }
        // The pid may have been reused since: only a process whose command line is our kubelet counts.
        guard let cmdline = try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/cmdline")) else { return nil }
        let words = cmdline.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
        return words.count > 1 && words[1] == "kubelet" ? pid : nil
    }

    /// (Re)starts the kubelet: stops the one from the pid file, then starts a new one in its own session.
    /// - Returns: the new kubelet's pid.
    @discardableResult
    public func restart() async throws -> pid_t {
        _ = await stop()
        let args = try arguments()
        try AtomicFile.ensureDirectory(URL(fileURLWithPath: (logFile as NSString).deletingLastPathComponent), mode: 0o755)
        try AtomicFile.ensureDirectory(URL(fileURLWithPath: paths.runDir), mode: 0o700)
        let log = open(logFile, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard log >= 0 else { throw HostKubeletError("cannot open the kubelet log \(logFile): \(String(cString: strerror(errno)))") }
        defer { close(log) }
        let pid: pid_t
        do {
            pid = try Spawn.start([binary] + args, stdout: log, stderr: log, newSession: true)
        } catch {
            throw HostKubeletError("cannot start the kubelet (\(binary) \(args.joined(separator: " "))): \(error)")
        }
        try AtomicFile.write("\(pid)\n", to: pidFile, mode: 0o644)
        // Reap it if it dies while this process still runs (init/join waiting), so it leaves no zombie.
        BlockingThread.start(name: "kubelet reaper") { _ = Spawn.wait(pid) }
        return pid
    }

    /// Stops the kubelet from the pid file: SIGTERM, then SIGKILL after `grace`. Containers keep running (a kubelet
    /// restart must not disturb them); `NodeTeardown` removes them. Returns whether a kubelet was running.
    @discardableResult
    public func stop(grace: Duration = .seconds(10)) async -> Bool {
        guard let pid = runningPID() else {
            try? FileManager.default.removeItem(atPath: pidFile)
            return false
        }
        kill(pid, SIGTERM)
        let deadline = ContinuousClock.now + grace
        while ContinuousClock.now < deadline, runningPID() == pid, !Self.isZombie(pid) {
            try? await Task.sleep(for: .milliseconds(50))
        }
        if runningPID() == pid, !Self.isZombie(pid) { kill(pid, SIGKILL) }
        try? FileManager.default.removeItem(atPath: pidFile)
        return true
    }

    static func isZombie(_ pid: pid_t) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return true }
        return stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).hasPrefix("Z")
    }

    /// The last lines of the kubelet's log (for wait-control-plane's failure help).
    public func logTail(lines: Int = 20) -> [String] {
        guard let text = try? String(contentsOfFile: logFile, encoding: .utf8) else { return [] }
        return Array(text.split(separator: "\n").suffix(lines).map(String.init))
    }
}

public struct HostKubeletError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
