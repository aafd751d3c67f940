/// One mounted cgroup hierarchy.
public struct CgroupHierarchy: Sendable, Hashable {
    /// Where it is mounted (`/sys/fs/cgroup/memory`, `/sys/fs/cgroup`).
    public var mountPoint: String
    /// Whether it is the unified (v2) hierarchy.
    public var unified: Bool
    /// The v1 controllers it carries (`["cpu"]`, `["cpu", "cpuacct"]`, `["name=systemd"]`); empty for v2.
    public var controllers: [String]

    /// Creates a hierarchy description.
    public init(mountPoint: String, unified: Bool, controllers: [String]) {
        self.mountPoint = mountPoint
        self.unified = unified
        self.controllers = controllers
    }
}

/// Reads the cgroup hierarchies from `/proc/self/mountinfo`.
enum CgroupMounts {
    /// The cgroup mounts in a mountinfo text.
    ///
    /// A line reads `id parent maj:min root mountpoint options [optional...] - fstype source superoptions`; the
    /// `-` separates the variable-length optional fields from the filesystem type.
    static func parse(mountInfo: String) -> [CgroupHierarchy] {
        var result: [CgroupHierarchy] = []
        for line in mountInfo.split(separator: "\n") {
            let fields = line.split(separator: " ").map(String.init)
            guard let dash = fields.firstIndex(of: "-"), dash >= 5, fields.count > dash + 3 else { continue }
            let type = fields[dash + 1]
            let mountPoint = unescape(fields[4])
            switch type {
            case "cgroup2":
                result.append(CgroupHierarchy(mountPoint: mountPoint, unified: true, controllers: []))
            case "cgroup":
                let known: Set<String> = ["rw", "ro"]
                let controllers = fields[dash + 3].split(separator: ",").map(String.init).filter {
                    !known.contains($0) && ($0.hasPrefix("name=") || !$0.contains("="))
                        && !["noprefix", "xattr", "clone_children", "cpuset_v2_mode", "favordynmods"].contains($0)
                }
                result.append(CgroupHierarchy(mountPoint: mountPoint, unified: false, controllers: controllers))
            default:
                continue
            }
        }
        return result
    }

    /// mountinfo escapes space, tab, newline and backslash as `\040`-style octal.
    private static func unescape(_ field: String) -> String {
        guard field.contains("\\") else { return field }
        var out: [UInt8] = []
        let bytes = Array(field.utf8)
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "\\"), i + 3 < bytes.count,
                let value = UInt8(String(decoding: bytes[(i + 1)...(i + 3)], as: UTF8.self), radix: 8)
            {
                out.append(value)
                i += 4
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
