import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Runs one plugin binary to completion: configuration on stdin, result on stdout, killed at a deadline.
enum CNIPluginProcess {
    /// What the plugin did.
    struct Output: Sendable {
        var status: Int32
        var stdout: [UInt8]
        var stderr: [UInt8]
        /// Killed because it outlived the timeout.
        var timedOut: Bool
    }

    /// Runs `executable` with `environment`, feeding `input` on stdin.
    ///
    /// The blocking waits run on a Dispatch thread, never on the Swift concurrency pool. stdin is an unlinked
    /// temporary file rather than a pipe: a plugin that exits without reading cannot raise SIGPIPE in the
    /// kubelet, and a configuration larger than a pipe buffer cannot deadlock the writer.
    static func run(_ executable: String, environment: [String: String], input: [UInt8], timeout: Duration) async throws -> Output {
        var delay = Duration.milliseconds(100)
        var attempt = 1
        while true {
            do {
                return try await withCheckedThrowingContinuation { continuation in
                    DispatchQueue.global().async {
                        continuation.resume(with: Result { try runBlocking(executable, environment: environment, input: input, timeout: timeout) })
                    }
                }
            } catch is LaunchFailure where attempt < launchAttempts {
                // libcni retries "text file busy": a plugin binary being replaced, or one whose file another
                // thread's fork still holds open for writing, cannot be executed for a moment. Foundation does not
                // report the errno reliably, so every launch failure gets the same few short retries.
                attempt += 1
                try await Task.sleep(for: delay)
                delay *= 2
            }
        }
    }

    /// Launch attempts before a plugin that cannot be started is reported (about 1.5 s of retries in all).
    static let launchAttempts = 5

    /// The plugin could not be started at all (as opposed to starting and failing).
    struct LaunchFailure: Error, CustomStringConvertible {
        var underlying: any Error
        var description: String { "\(underlying)" }
    }

    private static func runBlocking(_ executable: String, environment: [String: String], input: [UInt8],
                                    timeout: Duration) throws -> Output {
        let stdinFile = try unlinkedFile(holding: input)
        defer { try? stdinFile.close() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = []
        process.environment = environment
        process.standardInput = stdinFile
        let stdout = Pipe(), stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        do {
            try process.run()
        } catch {
            throw LaunchFailure(underlying: error)
        }

        let timedOut = TimeoutFlag()
        let pid = process.processIdentifier
        let killer = DispatchWorkItem {
            timedOut.set()
            kill(pid, SIGKILL)
        }
        let (seconds, attoseconds) = timeout.components
        DispatchQueue.global().asyncAfter(
            deadline: .now() + .nanoseconds(Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000)), execute: killer)

        // Drain stderr concurrently so a chatty plugin cannot block on a full pipe while we read stdout.
        let errorBytes = ByteCollector()
        let drained = DispatchGroup()
        drained.enter()
        DispatchQueue.global().async {
            errorBytes.set(Array(stderr.fileHandleForReading.readDataToEndOfFile()))
            drained.leave()
        }
        let outputBytes = Array(stdout.fileHandleForReading.readDataToEndOfFile())
        drained.wait()
        process.waitUntilExit()
        // The child is reaped by now; cancelling closes the window in which its pid could be reused and killed.
        killer.cancel()
        return Output(status: process.terminationStatus, stdout: outputBytes, stderr: errorBytes.get(), timedOut: timedOut.get())
    }

    /// A temporary file holding `bytes`, already unlinked, positioned at the start.
    private static func unlinkedFile(holding bytes: [UInt8]) throws -> FileHandle {
        var template = Array((NSTemporaryDirectory() + "/kubelet-cni-stdin-XXXXXX").utf8CString)
        let descriptor = mkstemp(&template)
        guard descriptor >= 0 else {
            throw CNIError(.pluginFailed, "cannot create a temporary file for a plugin's stdin: \(NamespaceSyscalls.lastError())",
                           hint: "check that \(NSTemporaryDirectory()) is writable")
        }
        unlink(String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        try handle.write(contentsOf: bytes)
        try handle.seek(toOffset: 0)
        return handle
    }

    /// Set once by the timeout, read after the plugin exited.
    private final class TimeoutFlag: @unchecked Sendable {
        private let lock = NSLock()
        private var value = false
        func set() { lock.withLock { value = true } }
        func get() -> Bool { lock.withLock { value } }
    }

    /// Bytes handed from the stderr reader thread to the waiting one.
    private final class ByteCollector: @unchecked Sendable {
        private let lock = NSLock()
        private var bytes: [UInt8] = []
        func set(_ new: [UInt8]) { lock.withLock { bytes = new } }
        func get() -> [UInt8] { lock.withLock { bytes } }
    }
}
