import HTTPTransport
import KubeAPI
import Synchronization
import Testing
@testable import Kubelet

/// The exec/attach channel protocols (v4, v5) without any I/O: negotiation, message decoding, the error-channel
/// Status, the kubelet's query, and a whole session against a fake process.
struct RemoteCommandTests {
    @Test func negotiationTakesTheClientsFirstSupportedProtocol() {
        #expect(RemoteCommandProtocol.negotiate(["v5.channel.k8s.io", "v4.channel.k8s.io"]) == .v5)
        #expect(RemoteCommandProtocol.negotiate(["base64.channel.k8s.io", "v4.channel.k8s.io", "v5.channel.k8s.io"]) == .v4)
        #expect(RemoteCommandProtocol.negotiate(["channel.k8s.io", "SPDY/3.1+portforward.k8s.io"]) == nil)
        #expect(RemoteCommandProtocol.negotiate([]) == nil)
    }

    @Test func clientMessagesDecode() {
        #expect(RemoteCommandProtocol.v5.decode([0, 104, 105]) == .stdin([104, 105]))
        #expect(RemoteCommandProtocol.v5.decode(Array(#"\#u{04}{"Width":120,"Height":40}"#.utf8)) == .resize(columns: 120, rows: 40))
        #expect(RemoteCommandProtocol.v5.decode(Array("\u{04}{\"Width\":-1,\"Height\":40}".utf8)) == .ignored)
        #expect(RemoteCommandProtocol.v5.decode([255, 0]) == .close(.stdin))
        #expect(RemoteCommandProtocol.v4.decode([255, 0]) == .ignored, "the close signal is v5's")
        #expect(RemoteCommandProtocol.v5.decode([1, 65]) == .ignored, "clients do not write stdout")
        #expect(RemoteCommandProtocol.v5.decode([]) == .ignored)
        #expect(RemoteCommandProtocol.frame(.stderr, [65, 66]) == [2, 65, 66])
    }

    @Test func exitCodesBecomeTheStatusKubectlReads() throws {
        #expect(RemoteCommandProtocol.exitStatus(0, command: ["ls"]).jsonString == #"{"metadata":{},"status":"Success"}"#)
        let failure = RemoteCommandProtocol.exitStatus(3, command: ["sh", "-c", "exit 3"])
        #expect(failure.jsonString == #"{"metadata":{},"status":"Failure","message":"command terminated with non-zero exit code: error executing command [sh -c exit 3], exit code 3","reason":"NonZeroExitCode","details":{"causes":[{"reason":"ExitCode","message":"3"}]}}"#)
        let broken = RemoteCommandProtocol.failureStatus("container c is not running")
        #expect(broken["status"] == "Failure" && broken["code"] == 500 && broken["message"] == "container c is not running")
    }

    @Test func theKubeletQueryUsesUpstreamsNames() throws {
        let options = try RemoteCommandOptions(query: [("command", "sh"), ("command", "-c"), ("command", "echo a b"), ("input", "1"),
                                                       ("output", "1"), ("error", "1")])
        #expect(options == RemoteCommandOptions(command: ["sh", "-c", "echo a b"], stdin: true, stdout: true, stderr: true, tty: false))
        let terminal = try RemoteCommandOptions(query: [("command", "sh"), ("output", "1"), ("error", "1"), ("tty", "1")])
        #expect(terminal.tty && !terminal.stderr, "a terminal has no separate stderr")
        #expect(throws: RemoteCommandError.self) { try RemoteCommandOptions(query: [("command", "ls")]) }
    }

    /// A process that echoes stdin to stdout (and reports terminal sizes there too) until stdin closes, then exits
    /// with `code`.
    final class EchoProcess: ContainerStreamSession {
        let stdout: AsyncStream<[UInt8]>
        let stderr: AsyncStream<[UInt8]>
        private let out: AsyncStream<[UInt8]>.Continuation
        private let err: AsyncStream<[UInt8]>.Continuation
        private let code: Int32
        private let ended = Mutex<[CheckedContinuation<Int32, Never>]?>([])

        init(code: Int32) {
            (stdout, out) = AsyncStream.makeStream()
            (stderr, err) = AsyncStream.makeStream()
            self.code = code
        }

        func write(_ bytes: [UInt8]) async throws { out.yield(bytes) }
        func resize(_ size: TerminalSize) { out.yield(Array("\(size.columns)x\(size.rows)".utf8)) }
        func kill() { closeStdin() }

        func closeStdin() {
            out.finish()
            err.finish()
            let waiters = ended.withLock { waiters in
                defer { waiters = nil }
                return waiters ?? []
            }
            waiters.forEach { $0.resume(returning: code) }
        }

        func exitCode() async -> Int32 {
            await withCheckedContinuation { continuation in
                let done = ended.withLock { waiters -> Bool in
                    guard waiters != nil else { return true }
                    waiters?.append(continuation)
                    return false
                }
                if done { continuation.resume(returning: code) }
            }
        }
    }

    @Test func aSessionRelaysStdinResizeAndTheExitCode() async throws {
        let (messages, client) = AsyncStream<[UInt8]>.makeStream()
        let sent = Mutex<[[UInt8]]>([])
        let socket = WebSocketSession(messages: messages, subprotocol: RemoteCommandProtocol.v5.rawValue) { frame in
            if case .binary(let bytes) = frame { sent.withLock { $0.append(bytes) } }
        }
        let options = RemoteCommandOptions(command: ["cat"], stdin: true, stdout: true, stderr: false, tty: true)
        client.yield([0] + Array("hi\n".utf8))
        client.yield(Array("\u{04}{\"Width\":80,\"Height\":24}".utf8))
        client.yield([255, 0])
        await RemoteCommandSession(version: .v5, options: options).run(socket) { EchoProcess(code: 7) }
        client.finish()
        let frames = sent.withLock { $0 }
        #expect(frames.dropLast() == [[1] + Array("hi\n".utf8), [1] + Array("80x24".utf8)])
        let status = try JSONValue(parsing: try #require(frames.last).dropFirst())
        #expect(frames.last?.first == 3 && status["reason"] == "NonZeroExitCode", "\(status)")
        #expect(status[path: ["details", "causes"]]?.array?.first?["message"] == "7")
    }
}
