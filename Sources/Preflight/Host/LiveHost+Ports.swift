#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

extension LiveHost {
    /// Opens and at once closes a TCP listener on `0.0.0.0:port` and, when the kernel has IPv6, on
    /// `[::]:port`, like Go's `net.Listen("tcp", ":port")` behind kubeadm's `PortOpenCheck`.
    ///
    /// `SO_REUSEADDR` is set as Go sets it, so a port that only has connections lingering in `TIME_WAIT`
    /// counts as free, while any socket listening on any local address (loopback included) makes it busy.
    public func isPortFree(_ port: Int) -> Bool {
        guard (1...65_535).contains(port) else { return false }
        guard PortProbe.listen(family: AF_INET, port: UInt16(port)) == .listened else { return false }
        return PortProbe.listen(family: AF_INET6, port: UInt16(port)) != .inUse
    }
}

/// One listen attempt on the wildcard address of one address family.
enum PortProbe {
    enum Outcome: Equatable {
        case listened
        case inUse
        /// The kernel lacks this family (IPv6 compiled out or disabled), so it cannot hold the port either.
        case familyUnavailable
    }

    static func listen(family: Int32, port: UInt16) -> Outcome {
        let fd = socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return .familyUnavailable }
        defer { close(fd) }
        var on: Int32 = 1
        _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))

        let bound: Int32
        if family == AF_INET6 {
            // The IPv4 wildcard was probed separately; keep this socket to IPv6 so the two cannot collide.
            _ = setsockopt(fd, Int32(IPPROTO_IPV6), IPV6_V6ONLY, &on, socklen_t(MemoryLayout<Int32>.size))
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = port.bigEndian
            address.sin6_addr = in6addr_any
            bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size))
                }
            }
        } else {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = port.bigEndian
            address.sin_addr = in_addr(s_addr: INADDR_ANY)
            bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
        if bound != 0 {
            // EADDRNOTAVAIL on the IPv6 wildcard means IPv6 is switched off, not that the port is taken.
            return (family == AF_INET6 && errno == EADDRNOTAVAIL) ? .familyUnavailable : .inUse
        }
        return Glibc.listen(fd, 1) == 0 ? .listened : .inUse
    }
}
