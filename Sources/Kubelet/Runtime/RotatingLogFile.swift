import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A container log file that rotates by size, kubelet style: `0.log` becomes `0.log.20260102-150405` and at most
/// `maxFiles` files (the live one included) are kept. Rotated files are not compressed.
///
/// Used from one log pump thread only, so it needs no lock.
final class RotatingLogFile {
    let path: String
    let maxSize: Int
    let maxFiles: Int
    private var fd: Int32
    private var size: Int

    /// Opens (appending to) or creates the log file.
    /// - Parameters:
    ///   - path: the live log file.
    ///   - maxSize: rotate once the file would grow past this many bytes.
    ///   - maxFiles: how many files to keep, the live one included (at least 2).
    init(path: String, maxSize: Int, maxFiles: Int) throws {
        self.path = path
        self.maxSize = max(maxSize, 4096)
        self.maxFiles = max(maxFiles, 2)
        self.fd = try PosixIO.open(path, O_WRONLY | O_CREAT | O_APPEND, mode: 0o640)
        var st = stat()
        self.size = fstat(fd, &st) == 0 ? Int(st.st_size) : 0
    }

    deinit { PosixIO.closeQuietly(fd) }

    /// Appends one entry, rotating first if it would overflow the file.
    func append(_ entry: [UInt8]) throws {
        if size > 0, size + entry.count > maxSize { try rotate() }
        try PosixIO.writeAll(fd, entry)
        size += entry.count
    }

    /// Moves the live file aside under a timestamped name and starts a new one, dropping the oldest rotations.
    func rotate() throws {
        PosixIO.closeQuietly(fd)
        fd = -1
        let stamp = Self.rotationStamp(Date())
        // Several rotations within one second get counters; always past the highest one taken, so that a name
        // freed by pruning is never reused for a newer file (it would sort as the oldest).
        let sameSecond = Self.rotatedFiles(of: path).map(Self.sortKey).filter { $0.stamp == stamp }
        let target = sameSecond.isEmpty ? "\(path).\(stamp)" : "\(path).\(stamp)-\((sameSecond.map(\.counter).max() ?? 0) + 1)"
        _ = rename(path, target)
        for stale in Self.rotatedFiles(of: path).dropLast(maxFiles - 1) {
            _ = unlink(stale)
        }
        fd = try PosixIO.open(path, O_WRONLY | O_CREAT | O_APPEND, mode: 0o640)
        size = 0
    }

    /// The rotated files of `path`, oldest first: by stamp, then by counter.
    static func rotatedFiles(of path: String) -> [String] {
        let directory = (path as NSString).deletingLastPathComponent
        let prefix = (path as NSString).lastPathComponent + "."
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasPrefix(prefix) }.map { directory + "/" + $0 }.sorted {
            let (l, r) = (sortKey($0), sortKey($1))
            return l.stamp != r.stamp ? l.stamp < r.stamp : l.counter < r.counter
        }
    }

    /// `0.log.20260102-150405-3` → (`20260102-150405`, 3); no counter counts as 0.
    static func sortKey(_ file: String) -> (stamp: String, counter: Int) {
        let suffix = (file as NSString).pathExtension  // the stamp holds no dot
        let parts = suffix.split(separator: "-")
        guard parts.count == 3, let counter = Int(parts[2]) else { return (suffix, 0) }
        return ("\(parts[0])-\(parts[1])", counter)
    }

    /// `20060102-150405` in UTC: the kubelet's rotation suffix.
    static func rotationStamp(_ date: Date) -> String {
        var time = time_t(date.timeIntervalSince1970)
        var parts = tm()
        gmtime_r(&time, &parts)
        func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(parts.tm_year + 1900)\(two(parts.tm_mon + 1))\(two(parts.tm_mday))-"
            + "\(two(parts.tm_hour))\(two(parts.tm_min))\(two(parts.tm_sec))"
    }
}
