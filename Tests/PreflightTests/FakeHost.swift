@testable import Preflight

/// An in-memory machine: every fact a check reads is a settable field, so each test states exactly the
/// host it needs. `FakeHost()` is a healthy cgroup v2 host on which every init check passes.
struct FakeHost: HostView {
    var effectiveUserID: UInt32 = 0
    var cpuCount = 4
    var memoryTotalMB = 8192
    var kernelRelease = "6.1.0-18-amd64"
    var hostname = "node-1"
    /// Absolute path → content.
    var files: [String: String] = FakeHost.healthyFiles
    /// Absolute directory path → entry names.
    var directories: [String: [String]] = [:]
    /// Binaries found on PATH.
    var binaries: Set<String> = ["runc", "ip", "iptables", "mount", "nsenter", "ebtables", "ethtool", "socat", "tc", "touch"]
    var busyPorts: Set<Int> = []
    var resolvableNames: Set<String> = ["node-1"]

    static let healthyFiles: [String: String] = [
        "/proc/sys/net/ipv4/ip_forward": "1\n",
        "/proc/sys/net/bridge/bridge-nf-call-iptables": "1\n",
        "/proc/swaps": "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n",
        "/sys/fs/cgroup/cgroup.controllers": "cpuset cpu io memory hugetlb pids rdma misc\n",
        "/usr/lib/cni/bridge": "",
        "/usr/lib/cni/host-local": "",
        "/usr/lib/cni/loopback": "",
        "/usr/lib/cni/portmap": "",
    ]

    func readFile(_ path: String) -> String? { files[path] }
    func fileExists(_ path: String) -> Bool { files[path] != nil || directories[path] != nil }
    func directoryEntries(_ path: String) -> [String]? { directories[path] }
    func lookPath(_ binary: String) -> String? { binaries.contains(binary) ? "/usr/bin/" + binary : nil }
    func isPortFree(_ port: Int) -> Bool { !busyPorts.contains(port) }
    func resolves(_ hostname: String) -> Bool { resolvableNames.contains(hostname) }
}

/// A check whose findings are fixed, for runner tests; it records nothing and reads nothing.
struct StubCheck: PreflightCheck {
    var name: String
    var findings: [(Severity, String)] = []

    func run(on host: any HostView) -> [Finding] {
        findings.map { Finding(check: name, severity: $0.0, message: $0.1) }
    }
}

extension Array where Element == Finding {
    var severities: [Severity] { map(\.severity) }
}
