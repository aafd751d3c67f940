import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Derives a container's status from its bundle files alone, so that listing containers (the kubelet's relist,
/// once a second) costs a few `stat`s and no runc call.
///
/// | files present                | state                                                             |
/// |------------------------------|-------------------------------------------------------------------|
/// | status.json                  | as saved (final)                                                  |
/// | exit, pid                    | exited: `exit`'s code; OOMKilled if the cgroup counted an OOM kill |
/// | exit, no pid                 | exited: StartError (runc failed before the process existed)       |
/// | pid, shim alive              | running                                                           |
/// | neither, shim alive          | created (runc is starting it)                                     |
/// | no exit, shim gone           | exited: Unknown (the shim was killed) unless the process still runs |
struct ContainerStatusReader: Sendable {
    /// For OOM counters.
    var cgroups: CgroupManager
    /// The pod logs root, to name the log file.
    var podLogsDirectory: String
    /// How long a container may sit without a shim pid before it counts as abandoned.
    var launchGrace: TimeInterval = 60

    /// The container's spec as the kubelet wrote it.
    func spec(_ bundle: ContainerBundle) throws -> ContainerSpec {
        guard let data = FileManager.default.contents(atPath: bundle.specFile) else {
            throw RuntimeError(.notFound, "no container spec in \(bundle.directory)")
        }
        return try JSONDecoder().decode(ContainerSpec.self, from: data)
    }

    /// The container's status; an exit is recorded in status.json the first time it is seen.
    func status(_ bundle: ContainerBundle) throws -> ContainerStatus {
        if let data = FileManager.default.contents(atPath: bundle.statusFile),
            let saved = try? JSONDecoder().decode(ContainerStatus.self, from: data)
        {
            return saved
        }
        let spec = try spec(bundle)
        var status = ContainerStatus(
            id: spec.id, pod: spec.pod, name: spec.name, restartCount: spec.restartCount, state: .created,
            createdAt: PosixIO.modificationTime(bundle.specFile) ?? Date(),
            logPath: PodLogPaths.logFile(root: podLogsDirectory, spec: spec))
        // Look at the shim before the exit file: the shim writes the exit file and then ends, so an exit file
        // missing *after* the shim was seen dead is conclusive, whereas the other order races with that write.
        // Likewise the exit file before the pid file, which runc writes first.
        let shimRunning = shimAlive(bundle, createdAt: status.createdAt)
        let exitCode = PosixIO.readText(bundle.exitFile).flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        let pid = PosixIO.readText(bundle.pidFile).flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        status.startedAt = pid == nil ? nil : PosixIO.modificationTime(bundle.pidFile)

        if let code = exitCode {
            status.state = .exited
            status.finishedAt = PosixIO.modificationTime(bundle.exitFile)
            if pid == nil {
                status.exitCode = TerminationReason.startErrorExitCode
                status.reason = TerminationReason.startError
                status.message = ContainerShim.lastRuncError(bundle) ?? "runc exited with \(code) before starting the process"
            } else {
                status.exitCode = code
                let oomKills = cgroups.oomKillCount(spec.cgroupPath) ?? 0
                status.reason = TerminationReason.forExit(code: code, oomKilled: oomKills > 0)
            }
            save(status, bundle)
            return status
        }

        if shimRunning {
            status.state = pid == nil ? .created : .running
            status.pid = pid
            return status
        }
        if let pid, processAlive(pid) {
            // The shim is gone but the container lives on: report what is true now; its exit code will be lost.
            status.state = .running
            status.pid = pid
            return status
        }
        status.state = .exited
        status.finishedAt = Date()
        status.exitCode = TerminationReason.unknownExitCode
        status.reason = TerminationReason.unknown
        status.message = "the container's shim ended without recording an exit code"
        save(status, bundle)
        return status
    }

    private func save(_ status: ContainerStatus, _ bundle: ContainerBundle) {
        // Best effort: if it cannot be written, the next read derives the same status again (minus a vanished
        // OOM counter), which is no worse.
        if let data = try? JSONEncoder().encode(status) { try? PosixIO.writeAtomically(data, to: bundle.statusFile) }
    }

    /// Whether the shim of this bundle still runs (its pid alive and still naming this bundle: pids get reused).
    private func shimAlive(_ bundle: ContainerBundle, createdAt: Date) -> Bool {
        guard let text = PosixIO.readText(bundle.shimPidFile),
            let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
        else {
            // No pid yet: the shim is being launched, unless that began long ago.
            return Date().timeIntervalSince(createdAt) < launchGrace
        }
        guard processAlive(pid), let cmdline = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else {
            return false
        }
        return String(decoding: cmdline, as: UTF8.self).contains(bundle.directory)
    }

    private func processAlive(_ pid: Int32) -> Bool {
        guard pid > 0, kill(pid, 0) == 0 || errno == EPERM else { return false }
        // A zombie has exited already; only its parent has not collected it yet.
        let stat = PosixIO.readText("/proc/\(pid)/stat") ?? ""
        guard let close = stat.lastIndex(of: ")") else { return false }
        return !stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).hasPrefix("Z")
    }
}
