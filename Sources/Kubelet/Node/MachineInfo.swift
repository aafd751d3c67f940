import Foundation
import Manifests

/// What the node reports about the machine (capacity and nodeInfo), read from /proc, /etc and uname; each source is
/// a file path so tests can point it elsewhere.
public struct MachineInfo: Sendable, Equatable {
    public var cpuCores: Int
    public var memoryBytes: Int64
    public var ephemeralStorageBytes: Int64
    public var machineID: String
    public var bootID: String
    public var kernelVersion: String
    public var osImage: String
    public var architecture: String
    public var containerRuntimeVersion: String

    public init(cpuCores: Int, memoryBytes: Int64, ephemeralStorageBytes: Int64, machineID: String, bootID: String,
                kernelVersion: String, osImage: String, architecture: String, containerRuntimeVersion: String) {
        self.cpuCores = cpuCores; self.memoryBytes = memoryBytes; self.ephemeralStorageBytes = ephemeralStorageBytes
        self.machineID = machineID; self.bootID = bootID; self.kernelVersion = kernelVersion; self.osImage = osImage
        self.architecture = architecture; self.containerRuntimeVersion = containerRuntimeVersion
    }

    /// Reads this machine; `storagePath` is the filesystem whose size is the node's ephemeral storage (the kubelet's
    /// root dir), `runtimeVersion` what `runc --version` said.
    public static func read(storagePath: String, runtimeVersion: String) -> MachineInfo {
        func file(_ path: String) -> String {
            ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        }
        var name = utsname()
        uname(&name)
        let release = withUnsafeBytes(of: &name.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let osRelease = file("/etc/os-release").split(separator: "\n").first { $0.hasPrefix("PRETTY_NAME=") }
            .map { String($0.dropFirst("PRETTY_NAME=".count)).trimmingCharacters(in: CharacterSet(charactersIn: "\"")) } ?? "Linux"
        var stats = statvfs()
        let storage: Int64 = statvfs(storagePath, &stats) == 0 ? Int64(stats.f_blocks) * Int64(stats.f_frsize) : 0
        #if arch(arm64)
        let arch = "arm64"
        #else
        let arch = "amd64"
        #endif
        return MachineInfo(
            cpuCores: ProcessInfo.processInfo.activeProcessorCount,
            memoryBytes: Int64(ProcessInfo.processInfo.physicalMemory),
            ephemeralStorageBytes: storage,
            machineID: file("/etc/machine-id"), bootID: file("/proc/sys/kernel/random/boot_id"),
            kernelVersion: release, osImage: osRelease, architecture: arch, containerRuntimeVersion: runtimeVersion)
    }
}
