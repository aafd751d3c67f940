#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The real machine, read through libc and procfs.
///
/// Every property is computed on access so a long-lived value never reports stale facts; none of them needs
/// root. The port probe lives in `LiveHost+Ports.swift`.
public struct LiveHost: HostView {
    /// Directories searched after `PATH`, because `sudo` and minimal init systems often hand us a short `PATH`
    /// that misses the sbin directories where `ip`, `iptables` and `tc` live.
    static let fallbackSearchPath = ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/sbin", "/usr/bin", "/bin"]

    public init() {}

    public var effectiveUserID: UInt32 { UInt32(geteuid()) }

    /// Counts the CPUs in this process's affinity mask (`Cpus_allowed_list`), as Go's `runtime.NumCPU` does
    /// with `sched_getaffinity`, so a pinned or containerised process sees the CPUs it can really use.
    public var cpuCount: Int {
        if let status = readFile("/proc/self/status"), let count = ProcStatus.allowedCPUCount(fromStatus: status) {
            return count
        }
        return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }

    /// `MemTotal` from `/proc/meminfo` in MB. The kernel fills `sysinfo(2)`'s `totalram` from the same counter,
    /// so this equals kubeadm's `Totalram * Unit / 1024 / 1024` and the 1700 MB threshold trips on the same
    /// machines (Swift's Glibc module does not expose `sysinfo`).
    public var memoryTotalMB: Int {
        MemInfo.totalMB(fromMeminfo: readFile("/proc/meminfo") ?? "") ?? 0
    }

    public var kernelRelease: String {
        var name = utsname()
        guard uname(&name) == 0 else { return "" }
        return withUnsafeBytes(of: &name.release) { Self.string(fromCChars: $0) }
    }

    public var hostname: String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "" }
        return buffer.withUnsafeBytes { Self.string(fromCChars: $0) }
    }

    /// Reads until end of file instead of trusting `st_size`, because procfs and sysfs files report size 0.
    public func readFile(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var data = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n > 0 {
                data.append(contentsOf: chunk[0..<n])
            } else if n == 0 {
                break
            } else if errno != EINTR {
                return nil
            }
        }
        return String(decoding: data, as: UTF8.self)
    }

    public func fileExists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }

    public func directoryEntries(_ path: String) -> [String]? {
        guard let dir = opendir(path) else { return nil }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: &entry.pointee.d_name) { Self.string(fromCChars: $0) }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    public func lookPath(_ binary: String) -> String? {
        if binary.contains("/") { return Self.isExecutableFile(binary) ? binary : nil }
        let pathVariable = getenv("PATH").map { String(cString: $0) } ?? ""
        // An empty PATH element means "current directory" to a shell; a root tool must not trust that.
        let directories = pathVariable.split(separator: ":").map(String.init) + Self.fallbackSearchPath
        for directory in directories {
            let candidate = directory.hasSuffix("/") ? directory + binary : directory + "/" + binary
            if Self.isExecutableFile(candidate) { return candidate }
        }
        return nil
    }

    public func resolves(_ hostname: String) -> Bool {
        guard !hostname.isEmpty else { return false }
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(hostname, nil, &hints, &result)
        if let result { freeaddrinfo(result) }
        return status == 0
    }

    /// A regular file with an execute bit for us (what `exec.LookPath` accepts).
    static func isExecutableFile(_ path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return false }
        return access(path, X_OK) == 0
    }

    /// Decodes a NUL-terminated C string held in a fixed-size buffer (the tuples libc structs import as).
    static func string(fromCChars bytes: UnsafeRawBufferPointer) -> String {
        let end = bytes.firstIndex(of: 0) ?? bytes.count
        return String(decoding: bytes[0..<end], as: UTF8.self)
    }
}

/// Parses `/proc/meminfo`.
enum MemInfo {
    /// `MemTotal` (reported in kB) converted to MB, or nil if the line is missing.
    static func totalMB(fromMeminfo text: String) -> Int? {
        for line in text.split(separator: "\n") where line.hasPrefix("MemTotal:") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 2, let kB = Int(fields[1]) else { return nil }
            return kB / 1024
        }
        return nil
    }
}

/// Parses `/proc/self/status`.
enum ProcStatus {
    /// The number of CPUs in the `Cpus_allowed_list` line (a list like `0-3,6,8-9`), or nil if absent or malformed.
    static func allowedCPUCount(fromStatus text: String) -> Int? {
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("Cpus_allowed_list:") }) else {
            return nil
        }
        let list = line.dropFirst("Cpus_allowed_list:".count).trimmingWhitespace()
        var count = 0
        for item in list.split(separator: ",") {
            let bounds = item.split(separator: "-")
            guard let low = bounds.first.flatMap({ Int($0) }), let high = bounds.last.flatMap({ Int($0) }),
                  bounds.count <= 2, low <= high
            else { return nil }
            count += high - low + 1
        }
        return count > 0 ? count : nil
    }
}
