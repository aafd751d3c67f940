import Testing
@testable import Preflight

#if canImport(Glibc)
import Glibc
#endif

/// Reads the real machine; only facts that hold on any Linux test host are asserted.
@Suite("LiveHost")
struct LiveHostTests {
    let host = LiveHost()

    @Test func isPortFreeSeesAListenerOnIPv4Loopback() throws {
        let listener = try #require(LoopbackListener(family: AF_INET))
        #expect(!host.isPortFree(listener.port))
        listener.close()
        #expect(host.isPortFree(listener.port))
    }

    @Test func isPortFreeSeesAListenerOnIPv6Loopback() throws {
        // Hosts without IPv6 cannot hold the port on it either; nothing to test there.
        guard let listener = LoopbackListener(family: AF_INET6) else { return }
        #expect(!host.isPortFree(listener.port))
        listener.close()
        #expect(host.isPortFree(listener.port))
    }

    @Test func outOfRangePortsAreNotFree() {
        #expect(!host.isPortFree(0))
        #expect(!host.isPortFree(70_000))
    }

    @Test func basicFacts() {
        #expect(host.effectiveUserID == UInt32(geteuid()))
        #expect(host.cpuCount >= 1)
        #expect(host.memoryTotalMB > 0)
        #expect(KernelVersion(release: host.kernelRelease) != nil)
        #expect(!host.hostname.isEmpty)
        #expect(host.resolves("localhost"))
        #expect(!host.resolves(""))
    }

    @Test func files() {
        #expect(host.readFile("/proc/self/status")?.contains("Cpus_allowed_list:") == true)
        #expect(host.readFile("/nonexistent/kubeadm-swift") == nil)
        #expect(host.fileExists("/proc/self/status"))
        #expect(!host.fileExists("/nonexistent/kubeadm-swift"))
        #expect(host.directoryEntries("/proc/self")?.contains("status") == true)
        #expect(host.directoryEntries("/proc/self/status") == nil)
        #expect(host.directoryEntries("/nonexistent/kubeadm-swift") == nil)
    }

    @Test func lookPath() {
        #expect(host.lookPath("sh")?.hasSuffix("/sh") == true)
        #expect(host.lookPath("definitely-not-a-binary-kubeadm-swift") == nil)
        #expect(host.lookPath("/proc/self/status") == nil)
    }

    @Test(arguments: [
        ("Cpus_allowed_list:\t0-3\n", 4), ("Cpus_allowed_list:\t0\n", 1), ("Cpus_allowed_list:\t0-1,4,6-7\n", 5),
        ("Name:\tx\n", nil), ("Cpus_allowed_list:\t3-1\n", nil),
    ] as [(String, Int?)])
    func allowedCPUParsing(status: String, expected: Int?) {
        #expect(ProcStatus.allowedCPUCount(fromStatus: status) == expected)
    }

    @Test func memInfoParsing() {
        #expect(MemInfo.totalMB(fromMeminfo: "MemTotal:        2040228 kB\nMemFree: 1 kB\n") == 1992)
        #expect(MemInfo.totalMB(fromMeminfo: "MemFree: 1 kB\n") == nil)
    }
}

/// A TCP listener on an ephemeral loopback port, opened by the test so no fixed port is needed.
final class LoopbackListener {
    private var fd: Int32
    let port: Int

    init?(family: Int32) {
        let fd = socket(family, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        var boundPort: UInt16 = 0
        let ok: Bool
        if family == AF_INET6 {
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_addr = in6addr_loopback
            var length = socklen_t(MemoryLayout<sockaddr_in6>.size)
            ok = withUnsafeMutablePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(fd, $0, length) == 0 && listen(fd, 1) == 0 && getsockname(fd, $0, &length) == 0
                }
            }
            boundPort = UInt16(bigEndian: address.sin6_port)
        } else {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr = in_addr(s_addr: UInt32(0x7F00_0001).bigEndian)
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            ok = withUnsafeMutablePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(fd, $0, length) == 0 && listen(fd, 1) == 0 && getsockname(fd, $0, &length) == 0
                }
            }
            boundPort = UInt16(bigEndian: address.sin_port)
        }
        guard ok, boundPort != 0 else {
            Glibc.close(fd)
            return nil
        }
        self.fd = fd
        port = Int(boundPort)
    }

    func close() {
        if fd >= 0 { Glibc.close(fd) }
        fd = -1
    }

    deinit { close() }
}
