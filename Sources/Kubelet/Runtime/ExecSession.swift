import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// What to run inside a running container (`kubectl exec`, exec probes).
public struct ExecOptions: Sendable, Hashable {
    /// The argv.
    public var command: [String]
    /// Whether to give the process a terminal (stdout and stderr are then one stream).
    public var tty: Bool
    /// Whether the caller will write to the process's stdin (otherwise it reads /dev/null).
    public var stdin: Bool
    /// Extra `KEY=VALUE` entries on top of the container's environment.
    public var environment: [String]
    /// The working directory; the container's when `nil`.
    public var workingDirectory: String?
    /// The user to run as; the container's when `nil`.
    public var user: ProcessUser?
    /// The initial terminal size with `tty`.
    public var terminalSize: TerminalSize?

    /// Creates exec options.
    public init(
        command: [String], tty: Bool = false, stdin: Bool = false, environment: [String] = [],
        workingDirectory: String? = nil, user: ProcessUser? = nil, terminalSize: TerminalSize? = nil
    ) {
        self.command = command
        self.tty = tty
        self.stdin = stdin
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.user = user
        self.terminalSize = terminalSize
    }
}

/// The collected result of a finished exec.
public struct ExecResult: Sendable, Hashable {
    /// The exit code (128 + signal when killed).
    public var exitCode: Int32
    /// What it wrote to stdout (everything, with a tty).
    public var stdout: [UInt8]
    /// What it wrote to stderr.
    public var stderr: [UInt8]
    /// Whether it was killed for running past its timeout.
    public var timedOut: Bool

    /// stdout as text.
    public var output: String { String(decoding: stdout, as: UTF8.self) }
}

/// A process running inside a container through `runc exec`, with its streams.
///
/// Read `stdout` and `stderr` (each finishes when the process closes it), write to stdin with `write(_:)`, then
/// `exitCode()`. The session is tied to the kubelet process: if the kubelet exits, the exec ends with it.
public final class ExecSession: Sendable {
    /// The process's stdout (with a tty, everything it prints).
    public let stdout: AsyncStream<[UInt8]>
    /// The process's stderr (finishes at once with a tty).
    public let stderr: AsyncStream<[UInt8]>
    /// runc exec's pid (the kubelet's child).
    let runcPID: pid_t
    /// Where runc writes the exec'd process's host pid, so that a timeout can kill the process itself.
    let processPIDFile: String
    /// stdin's write end and the terminal master (`-1` when absent or closed), behind one lock so that a close
    /// never races a write into a reused descriptor number.
    private let descriptors: Mutex<Descriptors>
    private let exit = Mutex(ExitState())

    private struct Descriptors {
        var stdin: Int32
        var terminal: Int32
    }

    private struct ExitState {
        var code: Int32?
        var waiters: [CheckedContinuation<Int32, Never>] = []
    }

    init(
        runcPID: pid_t, processPIDFile: String, stdinFD: Int32, terminalFD: Int32?,
        stdout: AsyncStream<[UInt8]>, stderr: AsyncStream<[UInt8]>
    ) {
        self.runcPID = runcPID
        self.processPIDFile = processPIDFile
        self.descriptors = Mutex(Descriptors(stdin: stdinFD, terminal: terminalFD ?? -1))
        self.stdout = stdout
        self.stderr = stderr
    }

    /// Writes to the process's stdin.
    /// - Throws: when stdin was not requested or is closed, or the process has gone.
    public func write(_ bytes: [UInt8]) async throws {
        // Write through a duplicate: a concurrent close then cannot turn our descriptor number into someone
        // else's, and a blocked write (the process is not reading) holds no lock.
        let fd = descriptors.withLock { fds in fds.stdin >= 0 ? fcntl(fds.stdin, F_DUPFD_CLOEXEC, Int32(3)) : -1 }
        guard fd >= 0 else { throw RuntimeError(.notRunning, "exec stdin is closed") }
        defer { PosixIO.closeQuietly(fd) }
        try await BlockingThread.run(name: "exec stdin") { try PosixIO.writeAll(fd, bytes) }
    }

    /// Closes stdin (end of input). With a tty this types ^D, which is how a terminal says end of file.
    public func closeStdin() {
        descriptors.withLock { fds in
            if fds.terminal >= 0 {
                var eot: UInt8 = 4
                _ = Glibc.write(fds.terminal, &eot, 1)
            } else {
                PosixIO.closeQuietly(fds.stdin)
                fds.stdin = -1
            }
        }
    }

    /// Resizes the terminal (tty sessions only).
    public func resize(_ size: TerminalSize) {
        descriptors.withLock { fds in
            guard fds.terminal >= 0 else { return }
            PseudoTerminal.resize(fds.terminal, size)
            // runc copies our terminal's size to the container's when it gets SIGWINCH; it has no controlling
            // terminal for the kernel to send that, so we do.
            _ = Glibc.kill(runcPID, SIGWINCH)
        }
    }

    /// Kills the exec'd process; runc exec then reports it as killed (137) and ends.
    ///
    /// Killing runc instead would leave the process running in the container (and a SIGKILLed `runc exec` was
    /// seen to slow the container's own exit later), so runc is killed only while the process does not exist yet.
    public func kill() {
        if let text = PosixIO.readText(processPIDFile),
            let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)), pid > 0
        {
            _ = Glibc.kill(pid, SIGKILL)
        } else {
            _ = Glibc.kill(runcPID, SIGKILL)
        }
    }

    /// Waits for the process to end and returns its exit code.
    public func exitCode() async -> Int32 {
        await withCheckedContinuation { (continuation: CheckedContinuation<Int32, Never>) in
            let code = exit.withLock { state -> Int32? in
                if let code = state.code { return code }
                state.waiters.append(continuation)
                return nil
            }
            if let code { continuation.resume(returning: code) }
        }
    }

    /// Called by the waiter thread once runc exec has ended.
    func finish(code: Int32) {
        let waiters = exit.withLock { state -> [CheckedContinuation<Int32, Never>] in
            state.code = code
            defer { state.waiters = [] }
            return state.waiters
        }
        descriptors.withLock { fds in
            if fds.stdin != fds.terminal { PosixIO.closeQuietly(fds.stdin) }
            PosixIO.closeQuietly(fds.terminal)
            fds = Descriptors(stdin: -1, terminal: -1)
        }
        _ = unlink(processPIDFile)
        waiters.forEach { $0.resume(returning: code) }
    }
}
