import Foundation

/// Where a system tool the kubelet drives (ip, iptables) lives: the usual sbin and bin directories, in order.
enum SystemTool {
    static func path(_ name: String) -> String? {
        ["/usr/sbin", "/sbin", "/usr/bin", "/bin"].map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
