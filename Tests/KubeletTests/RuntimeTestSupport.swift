import Foundation
import Testing
@testable import Kubelet

#if canImport(Glibc)
import Glibc
#endif

/// A throwaway runtime for tests with real runc: its own state directory, log directory, busybox rootfs and
/// cgroup root, all removed afterwards (also when the test fails), with a check that nothing was left behind.
final class RuntimeTestHost: Sendable {
    let directory: String
    let configuration: RuntimeConfiguration
    let runtime: ContainerRuntime
    let rootfs: String
    let pod: PodIdentity

    /// Whether this machine can run the tests: root, runc, busybox-static, cgroup v1 or v2 mounted.
    static var available: Bool {
        geteuid() == 0 && Runc.locate() != nil && FileManager.default.isExecutableFile(atPath: "/bin/busybox")
            && !CgroupManager().hierarchies.isEmpty
    }

    private init() throws {
        let tag = UUID().uuidString.prefix(8).lowercased()
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("kubelet-runtime-\(tag)").path
        configuration = RuntimeConfiguration(
            stateDirectory: directory + "/run", podLogsDirectory: directory + "/pods",
            cgroupRoot: "/kubeadm-swift-test-\(tag)", logMaxSize: 1 << 20, logMaxFiles: 3, startTimeout: .seconds(30))
        rootfs = directory + "/rootfs"
        try Self.makeBusyboxRootfs(at: rootfs)
        runtime = try ContainerRuntime(configuration: configuration)
        pod = PodIdentity(uid: UUID().uuidString.lowercased(), namespace: "test", name: "pod-\(tag)")
        try runtime.cgroups.ensurePod(uid: pod.uid, qos: .bestEffort, config: PodCgroupConfig())
    }

    /// Runs `body` against a fresh host, then tears everything down and checks nothing is left.
    static func with(_ body: (RuntimeTestHost) async throws -> Void) async throws {
        let host = try RuntimeTestHost()
        var failure: (any Error)?
        do { try await body(host) } catch { failure = error }
        try await host.tearDown()
        if let failure { throw failure }
    }

    /// A spec for a container of the test pod.
    func spec(
        _ args: [String], name: String = "main", restartCount: Int = 0, configure: (inout ContainerSpec) -> Void = { _ in }
    ) -> ContainerSpec {
        var spec = ContainerSpec(
            id: "t" + UUID().uuidString.prefix(12).lowercased(), pod: pod, name: name, restartCount: restartCount,
            rootfs: rootfs, args: args, cgroupParent: runtime.cgroups.podCgroup(uid: pod.uid, qos: .bestEffort))
        configure(&spec)
        return spec
    }

    /// The parsed CRI log of a container.
    func log(_ id: String) throws -> [CRILogLine] {
        let path = try runtime.status(id).logPath
        return CRILogLine.parseAll((try? String(contentsOfFile: path, encoding: .utf8)) ?? "")
    }

    /// The contents of a container's stdout log lines.
    func stdout(_ id: String) throws -> [String] {
        try log(id).filter { $0.stream == .stdout }.map(\.content)
    }

    /// Polls `condition` until it holds.
    func eventually(timeout: Duration = .seconds(20), _ what: String, _ condition: () throws -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while try !condition() {
            guard ContinuousClock.now < deadline else { throw RuntimeError(.timeout, "timed out waiting for \(what)") }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    private func tearDown() async throws {
        await runtime.shutdown()
        for container in (try? runtime.list()) ?? [] {
            try await runtime.remove(container.id)
        }
        let leftovers = try await runtime.runc.list()
        for orphan in leftovers { try await runtime.runc.delete(orphan.id) }
        try await runtime.cgroups.removeAll()
        let cgroupsLeft = runtime.cgroups.directories(configuration.cgroupRoot).filter(PosixIO.exists)
        let mounts = PosixIO.readText("/proc/self/mountinfo") ?? ""
        try FileManager.default.removeItem(atPath: directory)
        #expect(leftovers.isEmpty, "runc containers left: \(leftovers.map(\.id))")
        #expect(cgroupsLeft.isEmpty, "cgroups left: \(cgroupsLeft)")
        #expect(!mounts.contains(directory), "mounts left under \(directory)")
    }

    /// A root filesystem with Debian's static busybox, a symlink per applet, and passwd/group files.
    static func makeBusyboxRootfs(at rootfs: String) throws {
        let fm = FileManager.default
        for directory in ["bin", "etc", "tmp", "proc", "sys", "dev", "root", "home/app"] {
            try fm.createDirectory(atPath: rootfs + "/" + directory, withIntermediateDirectories: true)
        }
        _ = chmod(rootfs + "/tmp", 0o1777)
        try fm.copyItem(atPath: "/bin/busybox", toPath: rootfs + "/bin/busybox")
        let applets = try Subprocess.runBlocking(["/bin/busybox", "--list"]).output.split(separator: "\n")
        for applet in applets where applet != "busybox" {
            try fm.createSymbolicLink(atPath: rootfs + "/bin/" + applet, withDestinationPath: "busybox")
        }
        try "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n"
            .write(toFile: rootfs + "/etc/passwd", atomically: true, encoding: .utf8)
        try "root:x:0:\napp:x:1000:\nstaff:x:50:app\n".write(toFile: rootfs + "/etc/group", atomically: true, encoding: .utf8)
    }
}
