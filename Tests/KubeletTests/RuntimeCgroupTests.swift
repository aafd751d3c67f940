import Foundation
import Testing
@testable import Kubelet

#if canImport(Glibc)
import Glibc
#endif

/// The cgroupfs driver: mount discovery, v1 and v2 layouts over plain directories, and the real v1 hierarchy.
struct RuntimeCgroupTests {
    static let hybridMountInfo = """
        25 21 0:22 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:4 - tmpfs tmpfs ro,mode=755
        26 25 0:23 / /sys/fs/cgroup/unified rw,nosuid,nodev,noexec,relatime shared:5 - cgroup2 cgroup2 rw,nsdelegate
        27 25 0:24 / /sys/fs/cgroup/systemd rw,nosuid,nodev,noexec,relatime shared:6 - cgroup cgroup rw,xattr,name=systemd
        30 25 0:27 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid,nodev,noexec,relatime shared:10 - cgroup cgroup rw,cpu,cpuacct
        31 25 0:28 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
        32 21 0:29 / /mnt/with\\040space rw - ext4 /dev/sda1 rw
        """

    @Test func parsesHybridMountInfo() {
        let hierarchies = CgroupMounts.parse(mountInfo: Self.hybridMountInfo)
        #expect(hierarchies == [
            CgroupHierarchy(mountPoint: "/sys/fs/cgroup/unified", unified: true, controllers: []),
            CgroupHierarchy(mountPoint: "/sys/fs/cgroup/systemd", unified: false, controllers: ["name=systemd"]),
            CgroupHierarchy(mountPoint: "/sys/fs/cgroup/cpu,cpuacct", unified: false, controllers: ["cpu", "cpuacct"]),
            CgroupHierarchy(mountPoint: "/sys/fs/cgroup/memory", unified: false, controllers: ["memory"]),
        ])
        let manager = CgroupManager(cgroupRoot: "/", hierarchies: hierarchies, mountRoot: "/sys/fs/cgroup")
        #expect(manager.version == .v1)
    }

    @Test func detectsUnifiedHosts() {
        let info = "26 21 0:23 / /sys/fs/cgroup rw,nosuid shared:4 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot"
        let manager = CgroupManager(cgroupRoot: "/", hierarchies: CgroupMounts.parse(mountInfo: info), mountRoot: "/sys/fs/cgroup")
        #expect(manager.version == .v2)
    }

    @Test func podCgroupNames() {
        let manager = CgroupManager(cgroupRoot: "/", hierarchies: [], mountRoot: "/sys/fs/cgroup")
        #expect(manager.podCgroup(uid: "u1", qos: .guaranteed) == "/kubepods/podu1")
        #expect(manager.podCgroup(uid: "u1", qos: .burstable) == "/kubepods/burstable/podu1")
        let test = CgroupManager(cgroupRoot: "/node-a/", hierarchies: [], mountRoot: "/sys/fs/cgroup")
        #expect(test.podCgroup(uid: "u2", qos: .bestEffort) == "/node-a/kubepods/besteffort/podu2")
    }

    @Test func v1LayoutAndValues() throws {
        let root = try RuntimeLogTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let hierarchies = ["cpu", "cpuacct", "memory", "pids", "name=systemd"].map {
            CgroupHierarchy(mountPoint: root + "/" + $0.replacingOccurrences(of: "name=", with: ""), unified: false, controllers: [$0])
        }
        for hierarchy in hierarchies {
            try FileManager.default.createDirectory(atPath: hierarchy.mountPoint, withIntermediateDirectories: true)
        }
        let manager = CgroupManager(cgroupRoot: "/node1", hierarchies: hierarchies, mountRoot: root)
        #expect(manager.version == .v1)
        let config = PodCgroupConfig(cpuShares: 512, cpuQuota: 50_000, cpuPeriod: 100_000, memoryLimitBytes: 64 << 20, pidsLimit: 50)
        let path = try manager.ensurePod(uid: "u1", qos: .burstable, config: config)
        #expect(path == "/node1/kubepods/burstable/podu1")
        func read(_ file: String) -> String? { PosixIO.readText(root + file) }
        #expect(read("/cpu/node1/kubepods/burstable/podu1/cpu.shares") == "512")
        #expect(read("/cpu/node1/kubepods/burstable/podu1/cpu.cfs_quota_us") == "50000")
        #expect(read("/cpu/node1/kubepods/burstable/podu1/cpu.cfs_period_us") == "100000")
        #expect(read("/memory/node1/kubepods/burstable/podu1/memory.limit_in_bytes") == "67108864")
        #expect(read("/pids/node1/kubepods/burstable/podu1/pids.max") == "50")
        #expect(read("/cpu/node1/kubepods/besteffort/cpu.shares") == "2")
        #expect(PosixIO.exists(root + "/cpuacct/node1/kubepods/burstable/podu1"))
        // runc creates the container cgroups in the other hierarchies itself.
        #expect(!PosixIO.exists(root + "/systemd/node1"))
        #expect(manager.existingPods().map(\.uid) == ["u1"])

        try manager.apply(PodCgroupConfig(cpuShares: 2), at: path)
        #expect(read("/cpu/node1/kubepods/burstable/podu1/cpu.cfs_quota_us") == "-1")
        #expect(read("/memory/node1/kubepods/burstable/podu1/memory.limit_in_bytes") == "-1")
        #expect(read("/pids/node1/kubepods/burstable/podu1/pids.max") == "max")
    }

    @Test func v2LayoutAndValues() throws {
        let root = try RuntimeLogTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try "cpuset cpu io memory pids\n".write(toFile: root + "/cgroup.controllers", atomically: true, encoding: .utf8)
        let manager = CgroupManager(
            cgroupRoot: "/", hierarchies: [CgroupHierarchy(mountPoint: root, unified: true, controllers: [])], mountRoot: root)
        #expect(manager.version == .v2)
        let config = PodCgroupConfig(cpuShares: 768, cpuQuota: 75_000, cpuPeriod: 100_000, memoryLimitBytes: 96 << 20)
        let path = try manager.ensurePod(uid: "u2", qos: .guaranteed, config: config)
        #expect(path == "/kubepods/podu2")
        func read(_ file: String) -> String? { PosixIO.readText(root + file) }
        #expect(read("/cgroup.subtree_control") == "+cpu +memory +pids +io +cpuset")
        #expect(read("/kubepods/podu2/cpu.weight") == String(CPUMath.weight(shares: 768)))
        #expect(read("/kubepods/podu2/cpu.max") == "75000 100000")
        #expect(read("/kubepods/podu2/memory.max") == "100663296")
        #expect(read("/kubepods/podu2/pids.max") == "max")
        #expect(read("/kubepods/besteffort/cpu.weight") == "1")
    }

    static var realV1Available: Bool {
        geteuid() == 0 && CgroupManager().version == .v1 && PosixIO.exists("/sys/fs/cgroup/memory/memory.limit_in_bytes")
    }

    @Test(.enabled(if: realV1Available), .timeLimit(.minutes(1)))
    func realV1PodCgroupIsConfiguredAndRemovedWithItsProcesses() async throws {
        let cgroupRoot = "/kubeadm-swift-test-\(UUID().uuidString.prefix(8).lowercased())"
        let manager = CgroupManager(cgroupRoot: cgroupRoot)
        defer {
            // Last resort if the test failed half-way; the happy path has removed everything already.
            for directory in manager.directories(cgroupRoot).reversed() { _ = rmdir(directory) }
        }
        let uid = UUID().uuidString.lowercased()
        let path = try manager.ensurePod(
            uid: uid, qos: .burstable,
            config: PodCgroupConfig(cpuShares: 512, cpuQuota: 50_000, cpuPeriod: 100_000, memoryLimitBytes: 64 << 20, pidsLimit: 50))
        func read(_ controller: String, _ file: String) -> String? {
            PosixIO.readText("/sys/fs/cgroup/\(controller)\(path)/\(file)")?.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        #expect(read("cpu", "cpu.shares") == "512")
        #expect(read("cpu", "cpu.cfs_quota_us") == "50000")
        #expect(read("memory", "memory.limit_in_bytes") == "67108864")
        #expect(read("pids", "pids.max") == "50")
        #expect(manager.oomKillCount(path) == 0)
        #expect(manager.existingPods().contains { $0.uid == uid && $0.qos == .burstable })

        // A process left in a child cgroup (what a crashed runc leaves behind) is killed on removal.
        let child = "/sys/fs/cgroup/memory\(path)/leftover"
        #expect(mkdir(child, 0o755) == 0)
        let pid = try Spawn.start(["/bin/sleep", "100"])
        try "\(pid)".write(toFile: child + "/cgroup.procs", atomically: false, encoding: .utf8)
        try await manager.removePod(uid: uid, qos: .burstable)
        #expect(Spawn.wait(pid) == 128 + SIGKILL)
        #expect(manager.directories(path).allSatisfy { !PosixIO.exists($0) })

        try await manager.removeAll()
        #expect(manager.directories(cgroupRoot).allSatisfy { !PosixIO.exists($0) })
    }
}
