import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Small POSIX helpers the runtime needs and Swift's Glibc module does not offer directly.
///
/// `pipe2` and `posix_spawn_file_actions_addclosefrom_np` sit behind `_GNU_SOURCE`, so the Glibc module hides
/// them; they are looked up with `dlsym` instead of adding a C shim target. Both exist in every glibc this project
/// supports (2.34+); the fallbacks only matter on an older libc.
enum PosixIO {
    private typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>?, Int32) -> Int32
    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, Int32) -> Int32

    private static let pipe2: Pipe2? = dlsym(nil, "pipe2").map { unsafeBitCast($0, to: Pipe2.self) }
    private static let addCloseFrom: AddCloseFrom? =
        dlsym(nil, "posix_spawn_file_actions_addclosefrom_np").map { unsafeBitCast($0, to: AddCloseFrom.self) }

    /// `F_SETPIPE_SZ` from `<linux/fcntl.h>` (hidden behind `_GNU_SOURCE`).
    static let setPipeSize: Int32 = 1031

    /// A close-on-exec pipe: `(read end, write end)`.
    static func makePipe() throws -> (read: Int32, write: Int32) {
        var fds: [Int32] = [-1, -1]
        if let pipe2 {
            guard pipe2(&fds, O_CLOEXEC) == 0 else { throw RuntimeError.system("pipe2") }
        } else {
            guard pipe(&fds) == 0 else { throw RuntimeError.system("pipe") }
            _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
            _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        }
        return (fds[0], fds[1])
    }

    /// Adds "close every descriptor from `lowest` up" to spawn file actions, so a child never inherits a descriptor
    /// some other part of the process opened without `O_CLOEXEC`. Returns false when the libc lacks it.
    @discardableResult
    static func addCloseFrom(_ actions: inout posix_spawn_file_actions_t, lowest: Int32) -> Bool {
        guard let addCloseFrom else { return false }
        return addCloseFrom(&actions, lowest) == 0
    }

    /// Opens `path`, throwing with the path in the message.
    static func open(_ path: String, _ flags: Int32, mode: mode_t = 0o644) throws -> Int32 {
        let fd = Glibc.open(path, flags | O_CLOEXEC, mode)
        guard fd >= 0 else { throw RuntimeError.system("open \(path)") }
        return fd
    }

    /// Writes all of `bytes`, retrying on `EINTR` and short writes.
    static func writeAll(_ fd: Int32, _ bytes: some Collection<UInt8>) throws {
        try Array(bytes).withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return }
            var offset = 0
            while offset < raw.count {
                let n = Glibc.write(fd, base + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw RuntimeError.system("write")
                }
                offset += n
            }
        }
    }

    /// Reads up to `max` bytes. Returns `[]` at end of file, `nil` when a non-blocking descriptor has nothing yet.
    static func read(_ fd: Int32, max: Int = 65536) throws -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: max)
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, max) }
            if n >= 0 { return Array(buffer.prefix(n)) }
            switch errno {
            case EINTR: continue
            case EAGAIN: return nil
            case EIO: return []  // a pseudo-terminal master whose slave side is gone: that is end of file
            default: throw RuntimeError.system("read")
            }
        }
    }

    /// Closes `fd`, ignoring errors: used on cleanup paths where nothing useful can be done about a failure.
    static func closeQuietly(_ fd: Int32) {
        if fd >= 0 { _ = Glibc.close(fd) }
    }

    /// Whether `path` exists (any file type, symlinks not followed).
    static func exists(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0
    }

    /// The modification time of `path`, if it exists.
    static func modificationTime(_ path: String) -> Date? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return Date(timeIntervalSince1970: Double(st.st_mtim.tv_sec) + Double(st.st_mtim.tv_nsec) / 1e9)
    }

    /// The whole content of a small file as text, if it can be read.
    static func readText(_ path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    /// Writes `data` to `path` atomically (temp file + rename), so a reader never sees half a file.
    static func writeAtomically(_ data: Data, to path: String) throws {
        let temp = path + ".tmp-" + UUID().uuidString
        guard FileManager.default.createFile(atPath: temp, contents: data) else {
            throw RuntimeError.system("create \(temp)")
        }
        guard rename(temp, path) == 0 else { throw RuntimeError.system("rename \(temp)") }
    }
}
