import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The two facts defaulting reads from the machine: its hostname and the address of its default route.
public struct HostFacts: Sendable {
    public var hostname: String
    public var defaultRouteAddress: String?

    public init(hostname: String, defaultRouteAddress: String?) {
        self.hostname = hostname
        self.defaultRouteAddress = defaultRouteAddress
    }

    /// Reads the running machine (kubeadm: `nodeRegistration.name` = hostname, advertise address = the IP
    /// of the interface that carries the default route).
    public static func live() -> HostFacts {
        var buffer = [CChar](repeating: 0, count: 256)
        let name = gethostname(&buffer, buffer.count) == 0
            ? String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : ""
        return HostFacts(hostname: name, defaultRouteAddress: defaultRouteIPv4())
    }

    /// The first IPv4 address of the interface named by the default route in /proc/net/route.
    static func defaultRouteIPv4() -> String? {
        guard let table = try? String(contentsOfFile: "/proc/net/route", encoding: .utf8) else { return nil }
        // Columns: Iface Destination Gateway Flags ...; the default route has destination 00000000.
        var iface: String?
        for line in table.split(separator: "\n").dropFirst() {
            let columns = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            if columns.count > 2, columns[1] == "00000000" { iface = String(columns[0]); break }
        }
        guard let iface else { return nil }
        var list: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&list) == 0, let first = list else { return nil }
        defer { freeifaddrs(list) }
        var cursor: UnsafeMutablePointer<ifaddrs>? = first
        while let entry = cursor {
            defer { cursor = entry.pointee.ifa_next }
            guard let addr = entry.pointee.ifa_addr, addr.pointee.sa_family == sa_family_t(AF_INET),
                  String(cString: entry.pointee.ifa_name) == iface else { continue }
            var sin = sockaddr_in()
            memcpy(&sin, addr, MemoryLayout<sockaddr_in>.size)
            return IPAddress(bytes: withUnsafeBytes(of: sin.sin_addr) { Array($0) }).description
        }
        return nil
    }
}
