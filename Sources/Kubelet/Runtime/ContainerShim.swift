import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Starts a container so that it outlives the kubelet and its exit code is never lost.
///
/// The "shim" is a two-line `/bin/sh` script started through `setsid --fork`, so it is in its own session and is
/// not the kubelet's child (the kubelet can die or restart at any time; init reaps the shim). It runs
/// `runc run --keep` in the foreground: runc waits for the container and exits with its status, and `--keep`
/// leaves the stopped container (and so its cgroup and OOM counter) in place until the kubelet deletes it. The
/// script then writes runc's exit code to the bundle's `exit` file.
///
/// The container's stdout and stderr are the bundle's FIFOs, opened read-write for the shim: with a reader always
/// attached (itself), a write never fails with EPIPE while no kubelet reads; it waits in the pipe buffer until
/// the next log pump drains it.
///
/// Rejected alternatives: `runc run -d` leaves the container re-parented to init, whose exit code nobody can
/// collect after a kubelet restart; a pipeline such as `runc ... | logger` dies with its reader.
enum ContainerShim {
    /// `$1` runc, `$2` runc root, `$3` bundle, `$4` container id. `$$` is recorded first so that the kubelet can
    /// tell a live shim from one that died without recording an exit.
    static let script = """
        echo $$ > "$3/shim.pid"
        "$1" --root "$2" --log "$3/runc.log" --log-format json run --keep --bundle "$3" --pid-file "$3/pid" "$4" </dev/null
        echo $? > "$3/exit"
        """

    /// The pipe buffer for each FIFO: what a container may write while no kubelet reads before it blocks.
    static let fifoBufferSize: Int32 = 1 << 20

    /// The programs the shim needs.
    struct Tools: Sendable {
        /// `setsid` from util-linux.
        var setsid = "/usr/bin/setsid"
        /// A POSIX shell.
        var shell = "/bin/sh"
    }

    /// Creates the bundle's FIFOs.
    static func makeFifos(_ bundle: ContainerBundle) throws {
        for path in [bundle.stdoutFifo, bundle.stderrFifo] {
            guard mkfifo(path, 0o600) == 0 else { throw RuntimeError.system("mkfifo \(path)") }
        }
    }

    /// Opens the FIFOs read-write for the shim, with a large pipe buffer.
    static func openForContainer(_ bundle: ContainerBundle) throws -> (stdout: Int32, stderr: Int32) {
        let out = try PosixIO.open(bundle.stdoutFifo, O_RDWR)
        let err: Int32
        do { err = try PosixIO.open(bundle.stderrFifo, O_RDWR) } catch {
            PosixIO.closeQuietly(out)
            throw error
        }
        for fd in [out, err] {
            // Best effort: the default 64 KiB still works, it only blocks the container sooner.
            _ = fcntl(fd, PosixIO.setPipeSize, fifoBufferSize)
        }
        return (out, err)
    }

    /// Launches the shim and returns once it is detached (the container is starting, not necessarily started).
    /// - Parameters:
    ///   - runc: the runc to run.
    ///   - bundle: the container's bundle.
    ///   - id: the container id.
    ///   - fifos: the FIFOs from `openForContainer`, opened before the log pump so that the pump never sees a
    ///     FIFO without writers (which reads as end of file); the caller closes them after launching.
    ///   - tools: setsid and sh.
    static func launch(
        runc: Runc, bundle: ContainerBundle, id: String, fifos: (stdout: Int32, stderr: Int32), tools: Tools
    ) async throws {
        let argv = [tools.setsid, "--fork", tools.shell, "-c", script, "kubeadm-swift-shim",
                    runc.binary, runc.root, bundle.directory, id]
        let code = try await BlockingThread.run(name: "shim " + id) {
            let pid = try Spawn.start(argv, stdout: fifos.stdout, stderr: fifos.stderr)
            return Spawn.wait(pid)
        }
        guard code == 0 else { throw RuntimeError(.commandFailed, "setsid exited with \(code) starting \(id)") }
    }

    /// The last error runc logged, for a start failure's message.
    static func lastRuncError(_ bundle: ContainerBundle) -> String? {
        guard let text = PosixIO.readText(bundle.runcLogFile) else { return nil }
        for line in text.split(separator: "\n").reversed() {
            guard let data = line.data(using: .utf8),
                let entry = try? JSONDecoder().decode([String: String].self, from: data),
                entry["level"] == "error" || entry["level"] == "fatal"
            else { continue }
            return entry["msg"]
        }
        return nil
    }
}
