import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes node files so that a crash or a failed step never leaves a half-written file behind:
/// the bytes go to a temporary file in the same directory with the final mode, are flushed, then renamed.
public enum FileWriter {
    public struct WriteError: Error, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "cannot write \(path): \(reason); check that the directory is writable (are you root?) and the disk is not full" }
    }

    public static func write(_ text: String, to path: String, mode: mode_t, directoryMode: mode_t = 0o755) throws {
        let directory = (path as NSString).deletingLastPathComponent
        try makeDirectory(directory, mode: directoryMode)
        let temporary = "\(directory)/.\((path as NSString).lastPathComponent).tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard fd >= 0 else { throw WriteError(path: path, reason: String(cString: strerror(errno))) }
        var ok = true
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if written <= 0 { ok = false; break }
            offset += written
        }
        // The mode passed to open() is filtered by the umask; set it explicitly so keys really are 0600.
        if ok { ok = fchmod(fd, mode) == 0 && fsync(fd) == 0 }
        let reason = String(cString: strerror(errno))
        close(fd)
        guard ok, rename(temporary, path) == 0 else {
            unlink(temporary)
            throw WriteError(path: path, reason: ok ? String(cString: strerror(errno)) : reason)
        }
    }

    /// Creates a directory and its parents; an existing directory keeps its mode.
    public static func makeDirectory(_ path: String, mode: mode_t = 0o755) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw WriteError(path: path, reason: "a file is in the way of this directory") }
            return
        }
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: NSNumber(value: mode)])
        } catch {
            throw WriteError(path: path, reason: error.localizedDescription)
        }
    }
}
