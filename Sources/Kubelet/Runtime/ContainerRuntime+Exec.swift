import Foundation

#if canImport(Glibc)
import Glibc
#endif

extension ContainerRuntime {
    /// Starts a process inside a running container.
    /// - Parameters:
    ///   - id: the container.
    ///   - options: what to run and how.
    /// - Throws: `RuntimeError.notRunning` when the container does not run.
    public func exec(_ id: String, _ options: ExecOptions) async throws -> ExecSession {
        guard try status(id).state == .running else {
            throw RuntimeError(.notRunning, "container \(id) is not running")
        }
        guard !options.command.isEmpty else { throw RuntimeError(.invalidSpec, "exec needs a command") }
        let pidFile = try bundle(id).directory + "/exec-\(UUID().uuidString.lowercased()).pid"
        var arguments = ["exec", "--pid-file", pidFile]
        if options.tty { arguments.append("--tty") }
        if let cwd = options.workingDirectory { arguments += ["--cwd", cwd] }
        for entry in options.environment { arguments += ["--env", entry] }
        if let user = options.user {
            arguments += ["--user", "\(user.uid):\(user.gid)"]
            for gid in user.additionalGids { arguments += ["--additional-gids", String(gid)] }
        }
        arguments += [id] + options.command
        let argv = runc.command(arguments)
        return try options.tty ? startTerminalExec(argv, options, pidFile) : startPipedExec(argv, options, pidFile)
    }

    /// Runs a command inside a running container to completion (exec probes, `kubectl exec` without streaming).
    /// - Parameters:
    ///   - id: the container.
    ///   - command: the argv.
    ///   - timeout: kill the process after this long (the probe's `timeoutSeconds`).
    public func execSync(_ id: String, _ command: [String], timeout: Duration = .seconds(60)) async throws -> ExecResult {
        let session = try await exec(id, ExecOptions(command: command))
        return await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                do { try await Task.sleep(for: timeout) } catch { return false }
                session.kill()
                return true
            }
            async let out = Self.collect(session.stdout)
            async let err = Self.collect(session.stderr)
            let (stdout, stderr) = await (out, err)
            let code = await session.exitCode()
            group.cancelAll()
            let timedOut = await group.next() ?? false
            return ExecResult(exitCode: code, stdout: stdout, stderr: stderr, timedOut: timedOut)
        }
    }

    private static func collect(_ stream: AsyncStream<[UInt8]>) async -> [UInt8] {
        var all: [UInt8] = []
        for await chunk in stream { all += chunk }
        return all
    }

    private func startPipedExec(_ argv: [String], _ options: ExecOptions, _ pidFile: String) throws -> ExecSession {
        var opened: [Int32] = []
        do {
            var input: (read: Int32, write: Int32)?
            if options.stdin {
                let pipe = try PosixIO.makePipe()
                opened += [pipe.read, pipe.write]
                input = pipe
            }
            let out = try PosixIO.makePipe()
            opened += [out.read, out.write]
            let err = try PosixIO.makePipe()
            opened += [err.read, err.write]
            let pid = try Spawn.start(argv, stdin: input?.read, stdout: out.write, stderr: err.write, newSession: true)
            [input?.read, out.write, err.write].compactMap { $0 }.forEach(PosixIO.closeQuietly)
            return makeSession(
                pid: pid, pidFile: pidFile, stdinFD: input?.write ?? -1, terminalFD: nil, outFD: out.read, errFD: err.read)
        } catch {
            opened.forEach(PosixIO.closeQuietly)
            throw error
        }
    }

    private func startTerminalExec(_ argv: [String], _ options: ExecOptions, _ pidFile: String) throws -> ExecSession {
        let terminal = try PseudoTerminal.open(size: options.terminalSize)
        do {
            // runc exec --tty proxies between our terminal and one it makes inside the container.
            let pid = try Spawn.start(
                argv, stdin: terminal.slave, stdout: terminal.slave, stderr: terminal.slave, newSession: true)
            PosixIO.closeQuietly(terminal.slave)
            let input = fcntl(terminal.master, F_DUPFD_CLOEXEC, Int32(3))
            return makeSession(
                pid: pid, pidFile: pidFile, stdinFD: options.stdin ? input : -1, terminalFD: input,
                outFD: terminal.master, errFD: nil)
        } catch {
            PosixIO.closeQuietly(terminal.master)
            PosixIO.closeQuietly(terminal.slave)
            throw error
        }
    }

    private func makeSession(
        pid: pid_t, pidFile: String, stdinFD: Int32, terminalFD: Int32?, outFD: Int32, errFD: Int32?
    ) -> ExecSession {
        let (stdout, outContinuation) = AsyncStream.makeStream(of: [UInt8].self)
        let (stderr, errContinuation) = AsyncStream.makeStream(of: [UInt8].self)
        let session = ExecSession(
            runcPID: pid, processPIDFile: pidFile, stdinFD: stdinFD, terminalFD: terminalFD,
            stdout: stdout, stderr: stderr)
        Self.startReader(outFD, into: outContinuation, name: "exec stdout")
        if let errFD {
            Self.startReader(errFD, into: errContinuation, name: "exec stderr")
        } else {
            errContinuation.finish()
        }
        BlockingThread.start(name: "exec wait") {
            session.finish(code: Spawn.wait(pid))
        }
        return session
    }

    private static func startReader(
        _ fd: Int32, into continuation: AsyncStream<[UInt8]>.Continuation, name: String
    ) {
        BlockingThread.start(name: name) {
            while let chunk = try? PosixIO.read(fd), !chunk.isEmpty {
                continuation.yield(chunk)
            }
            PosixIO.closeQuietly(fd)
            continuation.finish()
        }
    }
}
