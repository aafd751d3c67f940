import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// What a finished helper command printed and how it ended.
struct SubprocessResult: Sendable {
    /// The exit code (128 + signal when it was killed).
    var exitCode: Int32
    /// Everything it wrote to stdout.
    var stdout: [UInt8]
    /// Everything it wrote to stderr.
    var stderr: [UInt8]

    /// stdout as text.
    var output: String { String(decoding: stdout, as: UTF8.self) }
    /// stderr as text, trimmed, for error messages.
    var errorText: String { String(decoding: stderr, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) }
}

/// Runs a short helper command to completion and collects its output.
enum Subprocess {
    /// Runs `argv` on a thread of its own and returns its exit code and output.
    /// - Parameter argv: the absolute program path followed by its arguments.
    static func run(_ argv: [String]) async throws -> SubprocessResult {
        try await BlockingThread.run(name: "subprocess") { try runBlocking(argv) }
    }

    /// The blocking form of `run`, for code already on a dedicated thread.
    static func runBlocking(_ argv: [String]) throws -> SubprocessResult {
        let out = try PosixIO.makePipe()
        let err: (read: Int32, write: Int32)
        do { err = try PosixIO.makePipe() } catch {
            PosixIO.closeQuietly(out.read)
            PosixIO.closeQuietly(out.write)
            throw error
        }
        let pid: pid_t
        do {
            pid = try Spawn.start(argv, stdout: out.write, stderr: err.write)
        } catch {
            [out.read, out.write, err.read, err.write].forEach(PosixIO.closeQuietly)
            throw error
        }
        PosixIO.closeQuietly(out.write)
        PosixIO.closeQuietly(err.write)
        defer {
            PosixIO.closeQuietly(out.read)
            PosixIO.closeQuietly(err.read)
        }
        // Drain both pipes together: a child that fills one while we block on the other would deadlock.
        var collected: [Int32: [UInt8]] = [out.read: [], err.read: []]
        var open = [out.read, err.read]
        while !open.isEmpty {
            var fds = open.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            if poll(&fds, nfds_t(fds.count), -1) < 0 {
                if errno == EINTR { continue }
                break
            }
            for entry in fds where entry.revents != 0 {
                let chunk = (try? PosixIO.read(entry.fd)) ?? []
                if chunk.isEmpty {
                    open.removeAll { $0 == entry.fd }
                } else {
                    collected[entry.fd, default: []] += chunk
                }
            }
        }
        let code = Spawn.wait(pid)
        return SubprocessResult(exitCode: code, stdout: collected[out.read] ?? [], stderr: collected[err.read] ?? [])
    }
}
