import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Copies a container's stdout and stderr from its FIFOs into its CRI log file, on a thread of its own.
///
/// The container side holds the FIFOs open read-write (see `ContainerShim`), so the container never gets EPIPE
/// when no pump is reading: output waits in the pipe buffer (1 MiB) while the kubelet restarts, then the new
/// kubelet's pump drains it. A `flock` on the bundle's `log.lock` makes sure only one pump per container writes,
/// even across two runtime instances in one process.
final class LogPump: @unchecked Sendable {
    /// Lines longer than this are split into partial (`P`) entries, as containerd does (16 KiB).
    static let maxLineSize = 16 * 1024

    /// Thrown when another pump already owns the container's log.
    static let busy = RuntimeError(.alreadyExists, "another log pump owns this container's log")

    // Set once in init and handed to the thread; the thread owns them afterwards. Only `wake` is written from
    // other threads, and a pipe write is thread-safe.
    private let lockFD: Int32
    private let stdoutFD: Int32
    private let stderrFD: Int32
    private let wake: (read: Int32, write: Int32)
    private let log: RotatingLogFile
    /// Entries encoded but not yet written: one write per chunk read rather than one per line. Pump thread only.
    private var batch: [UInt8] = []
    private let done = Mutex(Completion())

    private struct Completion {
        var finished = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    /// Opens everything a pump needs; nothing is read until `start()`.
    /// - Parameters:
    ///   - bundle: the container's bundle (FIFOs and the lock file).
    ///   - logPath: the CRI log file.
    ///   - maxSize: rotate the log file past this size.
    ///   - maxFiles: keep this many log files.
    /// - Throws: `LogPump.busy` when another pump owns the log; a system error when a file cannot be opened.
    init(bundle: ContainerBundle, logPath: String, maxSize: Int, maxFiles: Int) throws {
        lockFD = try PosixIO.open(bundle.logLockFile, O_RDWR | O_CREAT, mode: 0o600)
        guard flock(lockFD, LOCK_EX | LOCK_NB) == 0 else {
            PosixIO.closeQuietly(lockFD)
            throw Self.busy
        }
        var opened: [Int32] = [lockFD]
        do {
            stdoutFD = try PosixIO.open(bundle.stdoutFifo, O_RDONLY | O_NONBLOCK)
            opened.append(stdoutFD)
            stderrFD = try PosixIO.open(bundle.stderrFifo, O_RDONLY | O_NONBLOCK)
            opened.append(stderrFD)
            wake = try PosixIO.makePipe()
            opened += [wake.read, wake.write]
            log = try RotatingLogFile(path: logPath, maxSize: maxSize, maxFiles: maxFiles)
        } catch {
            opened.forEach(PosixIO.closeQuietly)
            throw error
        }
    }

    /// Starts copying on a new thread.
    func start(name: String) {
        BlockingThread.start(name: "log " + name) { self.run() }
    }

    /// Asks the pump to stop (flushing a half line as a partial entry) and waits until it has.
    func stop() async {
        var byte: UInt8 = 1
        _ = write(wake.write, &byte, 1)
        await finished()
    }

    /// Waits until the pump has ended: both streams at end of file (the container and its shim are gone), or stopped.
    func finished() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumeNow = done.withLock { state -> Bool in
                if state.finished { return true }
                state.waiters.append(continuation)
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }

    /// Whether the pump has ended.
    var isFinished: Bool { done.withLock { $0.finished } }

    private func run() {
        var streams = [Stream(fd: stdoutFD, kind: .stdout), Stream(fd: stderrFD, kind: .stderr)]
        // A FIFO whose writers are all gone before we poll never reports POLLHUP on Linux (no writer ever came
        // and went while we had it open), so ask read() first: it says 0 at once in that case.
        for index in streams.indices { pumpAvailable(&streams[index]) }
        while streams.contains(where: \.open) {
            var fds = streams.filter(\.open).map { pollfd(fd: $0.fd, events: Int16(POLLIN), revents: 0) }
            fds.append(pollfd(fd: wake.read, events: Int16(POLLIN), revents: 0))
            if poll(&fds, nfds_t(fds.count), -1) < 0 {
                if errno == EINTR { continue }
                break
            }
            if let last = fds.last, last.revents != 0 { break }
            for entry in fds.dropLast() where entry.revents != 0 {
                if let index = streams.firstIndex(where: { $0.fd == entry.fd }) { pumpAvailable(&streams[index]) }
            }
        }
        // Stopped or finished: whatever is left of a line goes out as a partial entry, so a later pump (after a
        // kubelet restart) continues it and readers still join the pieces.
        for index in streams.indices where !streams[index].pending.isEmpty {
            emit(streams[index].kind, partial: streams[index].open, streams[index].pending[...])
        }
        flush()
        [stdoutFD, stderrFD, wake.read, wake.write, lockFD].forEach(PosixIO.closeQuietly)
        let waiters = done.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.finished = true
            defer { state.waiters = [] }
            return state.waiters
        }
        waiters.forEach { $0.resume() }
    }

    private struct Stream {
        var fd: Int32
        var kind: CRILogStream
        var open = true
        var pending: [UInt8] = []
    }

    /// Reads what the pipe holds now and writes out every complete line.
    private func pumpAvailable(_ stream: inout Stream) {
        defer { flush() }
        while stream.open {
            guard let chunk = try? PosixIO.read(stream.fd) else { return }  // EAGAIN: drained for now
            if chunk.isEmpty {
                stream.open = false
                if !stream.pending.isEmpty {
                    emit(stream.kind, partial: false, stream.pending[...])
                    stream.pending = []
                }
                return
            }
            stream.pending += chunk
            var start = stream.pending.startIndex
            while let newline = stream.pending[start...].firstIndex(of: UInt8(ascii: "\n")) {
                while newline - start > Self.maxLineSize {
                    emit(stream.kind, partial: true, stream.pending[start..<(start + Self.maxLineSize)])
                    start += Self.maxLineSize
                }
                emit(stream.kind, partial: false, stream.pending[start..<newline])
                start = newline + 1
            }
            while stream.pending.count - start >= Self.maxLineSize {
                emit(stream.kind, partial: true, stream.pending[start..<(start + Self.maxLineSize)])
                start += Self.maxLineSize
            }
            stream.pending.removeFirst(start)
            flush()
        }
    }

    private func emit(_ stream: CRILogStream, partial: Bool, _ content: ArraySlice<UInt8>) {
        batch += CRILogLine.encode(timestamp: CRITimestamp.now(), stream: stream, partial: partial, content: content)
    }

    private func flush() {
        guard !batch.isEmpty else { return }
        // A full disk must not stop the pump: the container would block on a full pipe. Drop and carry on.
        try? log.append(batch)
        batch.removeAll(keepingCapacity: true)
    }
}
