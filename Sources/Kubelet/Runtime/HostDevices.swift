import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The host's device nodes, which a privileged container gets (containerd's `WithHostDevices`).
enum HostDevices {
    /// Directories under /dev that hold no devices of their own or get a fresh instance in the container.
    private static let skipped: Set<String> = ["pts", "shm", "mqueue", "fd", ".lxc", ".lxd-mounts", ".udev"]

    /// Every character and block device under `root`, recursively.
    static func list(under root: String = "/dev") -> [OCISpec.Device] {
        var devices: [OCISpec.Device] = []
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: root) else { return [] }
        for name in names.sorted() where !skipped.contains(name) {
            let path = root + "/" + name
            var st = stat()
            guard lstat(path, &st) == 0 else { continue }
            let kind = st.st_mode & S_IFMT
            if kind == S_IFDIR {
                devices += list(under: path)
            } else if kind == S_IFCHR || kind == S_IFBLK {
                let (major, minor) = split(UInt64(st.st_rdev))
                devices.append(
                    OCISpec.Device(
                        path: path, type: kind == S_IFCHR ? "c" : "b", major: major, minor: minor,
                        fileMode: UInt32(st.st_mode & 0o7777), uid: st.st_uid, gid: st.st_gid))
            }
        }
        return devices
    }

    /// glibc's `major()`/`minor()` (macros, so not importable).
    static func split(_ device: UInt64) -> (Int64, Int64) {
        let major = ((device >> 8) & 0xfff) | ((device >> 32) & ~UInt64(0xfff))
        let minor = (device & 0xff) | ((device >> 12) & ~UInt64(0xff))
        return (Int64(major), Int64(minor))
    }
}
