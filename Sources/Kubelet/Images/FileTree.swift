import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Small filesystem primitives the store needs beyond FileManager: `lstat` kinds, whiteout devices,
/// mount-point checks, and tree removal that never crosses into another mounted filesystem.
enum FileTree {
    enum Kind: Equatable { case directory, regular, symlink, other }

    /// The kind of `path` itself (a symlink is reported as one, not followed); nil if it does not exist.
    static func kind(_ path: String) -> Kind? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        switch info.st_mode & S_IFMT {
        case S_IFDIR: return .directory
        case S_IFREG: return .regular
        case S_IFLNK: return .symlink
        default: return .other
        }
    }

    /// Size in bytes of the file `path` names (symlinks followed), 0 if it cannot be read.
    static func size(_ path: String) -> Int64 {
        var info = stat()
        guard stat(path, &info) == 0 else { return 0 }
        return Int64(info.st_size)
    }

    /// Device number and mode of `path` (not followed), for tests and whiteout checks.
    static func device(_ path: String) -> (isCharacterDevice: Bool, rdev: UInt64)? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return ((info.st_mode & S_IFMT) == S_IFCHR, UInt64(info.st_rdev))
    }

    /// An overlayfs whiteout: a character device with device number 0/0.
    static func makeWhiteout(_ path: String) throws {
        guard mknod(path, S_IFCHR, 0) == 0 else {
            throw ImageStoreError.io("cannot create the overlay whiteout \(path): \(String(cString: strerror(errno))) (root is required)")
        }
    }

    static func makeDirectory(_ path: String, mode: mode_t = 0o755) throws {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: Int(mode)])
        } catch {
            throw ImageStoreError.io("cannot create directory \(path): \(error.localizedDescription); check permissions (are you root?)")
        }
    }

    /// Removes `path` recursively if it exists. `rm --one-file-system` refuses to descend into a mount point,
    /// so a rootfs that is unexpectedly still mounted (or a bind mount inside it) fails loudly instead of
    /// having the files of another filesystem deleted through it.
    static func remove(_ path: String) throws {
        switch kind(path) {
        case nil:
            return
        case .directory:
            try ImageTools.check("rm", ["-rf", "--one-file-system", "--", path])
        default:
            guard unlink(path) == 0 || errno == ENOENT else {
                throw ImageStoreError.io("cannot remove \(path): \(String(cString: strerror(errno)))")
            }
        }
    }

    /// Whether `path` is a mount point in this process's mount namespace (`/proc/self/mountinfo`).
    static func isMountPoint(_ path: String) -> Bool {
        guard let table = try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8) else { return false }
        let target = canonical(path)
        return table.split(separator: "\n").contains { line in
            let fields = line.split(separator: " ")
            return fields.count > 4 && unescapeMountPath(String(fields[4])) == target
        }
    }

    /// The path with symlinks resolved (or unchanged if it does not exist).
    static func canonical(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// mountinfo writes space, tab, newline and backslash as `\ooo` octal escapes.
    static func unescapeMountPath(_ text: String) -> String {
        var bytes: [UInt8] = []
        let input = Array(text.utf8)
        var index = 0
        while index < input.count {
            if input[index] == UInt8(ascii: "\\"), index + 3 < input.count,
               let value = UInt8(String(decoding: input[(index + 1)...(index + 3)], as: UTF8.self), radix: 8) {
                bytes.append(value)
                index += 4
            } else {
                bytes.append(input[index])
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
