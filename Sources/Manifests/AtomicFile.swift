import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Crash-safe file writes for every node file kubeadm-swift writes (keys, certificates, kubeconfigs, manifests).
///
/// Contents go to a temporary file in the destination directory, created with the final mode from
/// the start (so a key is never briefly world-readable), flushed with `fsync`, then `rename`d over
/// the destination. A reader therefore sees either the old file or the complete new one, and an
/// interrupted run leaves at most a stray `.*.tmp-*` file, never a truncated key or certificate.
public enum AtomicFile {
    /// A write that failed, naming the file and the reason.
    public struct WriteError: Error, CustomStringConvertible, Sendable {
        public var path: String
        public var reason: String
        public init(path: String, reason: String) { self.path = path; self.reason = reason }
        public var description: String {
            "\(path): \(reason); check that the directory is writable (are you root?) and the disk is not full"
        }
    }

    /// A fully written temporary file waiting to be renamed into place.
    public struct Staged: Sendable {
        let temporary: String
        let destination: String
    }

    /// Writes `contents` to a temporary sibling of `destination` with permissions `mode`.
    /// - Parameters:
    ///   - contents: The bytes to write.
    ///   - destination: Final path.
    ///   - mode: Permission bits, e.g. `0o600`; applied with `fchmod`, so the umask does not weaken it.
    public static func stage(_ contents: [UInt8], to destination: URL, mode: mode_t) throws -> Staged {
        let directory = destination.deletingLastPathComponent().path
        var template = Array("\(directory)/.\(destination.lastPathComponent).tmp-XXXXXX".utf8CString)
        let fd = mkstemp(&template)
        guard fd >= 0 else { throw ioError("cannot create a temporary file in its directory", destination.path) }
        let temporary = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var ok = false
        defer {
            if !ok { unlink(temporary) }
        }
        defer { close(fd) }
        guard fchmod(fd, mode) == 0 else { throw ioError("cannot set file permissions", destination.path) }
        var offset = 0
        while offset < contents.count {
            let written = contents[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                throw ioError("cannot write file", destination.path)
            }
            offset += written
        }
        guard fsync(fd) == 0 else { throw ioError("cannot flush file to disk", destination.path) }
        ok = true
        return Staged(temporary: temporary, destination: destination.path)
    }

    /// Renames staged files into place in order, then syncs their directories.
    ///
    /// Callers stage every file of a group (e.g. a cert and its key) first, so the only window for an
    /// inconsistent pair is between two `rename` calls, not during the writes.
    public static func commit(_ files: [Staged]) throws {
        var pending = files
        defer { for file in pending { unlink(file.temporary) } }
        while let file = pending.first {
            guard rename(file.temporary, file.destination) == 0 else {
                throw ioError("cannot move the new file into place", file.destination)
            }
            pending.removeFirst()
        }
        for directory in Set(files.map { ($0.destination as NSString).deletingLastPathComponent }) {
            let fd = open(directory, O_RDONLY | O_DIRECTORY)
            if fd >= 0 {
                _ = fsync(fd)
                close(fd)
            }
        }
    }

    /// Writes a group of files (a certificate and its key) so that a failure while writing any of them
    /// leaves none of them changed: all are staged first, then renamed into place one after another.
    public static func replaceGroup(_ files: [(contents: [UInt8], destination: URL, mode: mode_t)]) throws {
        var staged: [Staged] = []
        do {
            for file in files { staged.append(try stage(file.contents, to: file.destination, mode: file.mode)) }
        } catch {
            for file in staged { unlink(file.temporary) }
            throw error
        }
        try commit(staged)
    }

    /// Writes one file atomically.
    public static func replace(_ contents: [UInt8], at destination: URL, mode: mode_t) throws {
        try commit([stage(contents, to: destination, mode: mode)])
    }

    /// Writes text atomically, creating the directory (with `directoryMode`) if needed.
    public static func write(_ text: String, to path: String, mode: mode_t, directoryMode: mode_t = 0o755) throws {
        let url = URL(fileURLWithPath: path)
        try ensureDirectory(url.deletingLastPathComponent(), mode: directoryMode)
        try replace(Array(text.utf8), at: url, mode: mode)
    }

    /// Creates `url` and any missing parents (explicitly with `mode`, regardless of the umask);
    /// an existing directory keeps its mode.
    public static func ensureDirectory(_ url: URL, mode: mode_t = 0o755) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw WriteError(path: url.path, reason: "exists but is not a directory; remove it or choose another directory")
            }
            return
        }
        try ensureDirectory(url.deletingLastPathComponent())
        if mkdir(url.path, mode) != 0 && errno != EEXIST {
            throw ioError("cannot create directory", url.path)
        }
        _ = chmod(url.path, mode)
    }

    private static func ioError(_ what: String, _ path: String) -> WriteError {
        WriteError(path: path, reason: "\(what): \(String(cString: strerror(errno)))")
    }
}
