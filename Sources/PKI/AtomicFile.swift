import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Crash-safe file writes for key material and certificates.
///
/// Contents go to a temporary file in the destination directory, created with the final mode from
/// the start (so a key is never briefly world-readable), flushed with `fsync`, then `rename`d over
/// the destination. A reader therefore sees either the old file or the complete new one, and an
/// interrupted run leaves at most a stray `.*.tmp-*` file, never a truncated key or certificate.
enum AtomicFile {
    /// A fully written temporary file waiting to be renamed into place.
    struct Staged {
        let temporary: String
        let destination: String
    }

    /// Writes `contents` to a temporary sibling of `destination` with permissions `mode`.
    /// - Parameters:
    ///   - contents: The bytes to write.
    ///   - destination: Final path.
    ///   - mode: Permission bits, e.g. `0o600`; applied with `fchmod`, so the umask does not weaken it.
    static func stage(_ contents: [UInt8], to destination: URL, mode: mode_t) throws -> Staged {
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
            let written = contents[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
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
    static func commit(_ files: [Staged]) throws {
        var pending = files
        defer { for file in pending { unlink(file.temporary) } }
        while let file = pending.first {
            guard rename(file.temporary, file.destination) == 0 else { throw ioError("cannot move the new file into place", file.destination) }
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

    /// Writes one file atomically.
    static func replace(_ contents: [UInt8], at destination: URL, mode: mode_t) throws {
        try commit([stage(contents, to: destination, mode: mode)])
    }

    /// Creates `url` and any missing parents with mode 0755 (explicitly, regardless of the umask).
    static func ensureDirectory(_ url: URL) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw PKIError(.io, "exists but is not a directory; remove it or choose another certificates directory", path: url.path)
            }
            return
        }
        try ensureDirectory(url.deletingLastPathComponent())
        if mkdir(url.path, 0o755) != 0 && errno != EEXIST {
            throw ioError("cannot create directory", url.path)
        }
        _ = chmod(url.path, 0o755)
    }

    private static func ioError(_ what: String, _ path: String) -> PKIError {
        let reason = String(cString: strerror(errno))
        return PKIError(.io, "\(what): \(reason)", path: path)
    }
}
