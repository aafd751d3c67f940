import Foundation

/// A process's streams as exec and attach relay them: output in, input out, the terminal size, the end.
public protocol ContainerStreamSession: Sendable {
    /// Standard output (with a terminal, everything).
    var stdout: AsyncStream<[UInt8]> { get }
    /// Standard error (finishes at once with a terminal).
    var stderr: AsyncStream<[UInt8]> { get }
    /// Writes to the process's stdin.
    func write(_ bytes: [UInt8]) async throws
    /// End of input.
    func closeStdin()
    /// Resizes the terminal (terminal sessions only).
    func resize(_ size: TerminalSize)
    /// Ends the session early (the client went away).
    func kill()
    /// Waits for the end; the exit code (0 = success).
    func exitCode() async -> Int32
}

extension ExecSession: ContainerStreamSession {}

/// Starts exec and attach sessions in one container: the runtime's in the kubelet, a fake in tests.
public protocol ContainerStreaming: Sendable {
    /// Runs a command in the container.
    func exec(_ options: ExecOptions) async throws -> any ContainerStreamSession
    /// Connects to the container's main process.
    func attach(_ options: RemoteCommandOptions) async throws -> any ContainerStreamSession
}

/// exec and attach on a container of the runc runtime.
public struct RuntimeContainerStreaming: ContainerStreaming {
    public let runtime: ContainerRuntime
    public let id: String

    public init(runtime: ContainerRuntime, id: String) {
        self.runtime = runtime
        self.id = id
    }

    public func exec(_ options: ExecOptions) async throws -> any ContainerStreamSession {
        try await runtime.exec(id, options)
    }

    /// The main process's stdout and stderr, from now on, as the log pump records them. Its stdin is /dev/null
    /// (pods' `stdin: true` is not supported by this runtime) and it has no terminal, so attaching with stdin or a
    /// terminal is refused.
    public func attach(_ options: RemoteCommandOptions) async throws -> any ContainerStreamSession {
        if options.tty {
            throw RemoteCommandError("attach with a terminal is not supported: this runtime starts containers without one (tty: true)")
        }
        if options.stdin {
            throw RemoteCommandError("attach with stdin is not supported: this runtime starts containers with stdin closed (stdin: true)")
        }
        let status = try runtime.status(id)
        guard status.state == .running else { throw RemoteCommandError("container \(status.name) is not running") }
        let runtime = self.runtime, id = self.id
        return LogFollowSession(path: status.logPath, stillRunning: { (try? runtime.status(id).state) == .running })
    }
}

/// An attach made of the container's CRI log: new lines after the start, split back into stdout and stderr, until
/// the container stops running.
final class LogFollowSession: ContainerStreamSession {
    let stdout: AsyncStream<[UInt8]>
    let stderr: AsyncStream<[UInt8]>
    private let follower: Task<Void, Never>

    init(path: String, stillRunning: @escaping @Sendable () -> Bool, pollInterval: Duration = .milliseconds(100)) {
        let (stdout, out) = AsyncStream.makeStream(of: [UInt8].self)
        let (stderr, err) = AsyncStream.makeStream(of: [UInt8].self)
        self.stdout = stdout
        self.stderr = stderr
        follower = Task {
            defer { out.finish(); err.finish() }
            guard let handle = FileHandle(forReadingAtPath: path) else { return }
            defer { try? handle.close() }
            _ = try? handle.seekToEnd()
            var pending = Data()
            while !Task.isCancelled {
                let more = handle.availableData
                if more.isEmpty {
                    if !stillRunning() && handle.availableData.isEmpty { return }
                    try? await Task.sleep(for: pollInterval)
                    continue
                }
                pending.append(more)
                while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                    let line = String(decoding: pending[pending.startIndex..<newline], as: UTF8.self)
                    pending = Data(pending[pending.index(after: newline)...])
                    guard let entry = CRILogLine.parse(line) else { continue }
                    let bytes = Array(entry.content.utf8) + (entry.partial ? [] : [UInt8(ascii: "\n")])
                    (entry.stream == .stdout ? out : err).yield(bytes)
                }
            }
        }
    }

    func write(_ bytes: [UInt8]) async throws {
        throw RemoteCommandError("attach with stdin is not supported by this runtime")
    }

    func closeStdin() {}
    func resize(_ size: TerminalSize) {}
    func kill() { follower.cancel() }

    func exitCode() async -> Int32 {
        await follower.value
        return 0
    }
}
