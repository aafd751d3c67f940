import Foundation
import Manifests
import Synchronization

/// What `reset` does to the kubelet's side of a node: stop the kubelet, remove every container it started (runc
/// state, rootfs mounts, cgroups), every pod network (CNI DEL, netns, IPAM reservations) and every mount left under
/// the node paths. Each step runs even when an earlier one failed; the report says what went and what did not.
public struct NodeTeardown: Sendable {
    public struct Report: Sendable {
        public var removed: [String] = []
        public var failures: [String] = []
    }

    public var paths: HostPaths
    public var cgroupRoot: String

    public init(paths: HostPaths = HostPaths(), cgroupRoot: String = "/") {
        self.paths = paths
        self.cgroupRoot = cgroupRoot
    }

    public func run() async -> Report {
        var report = Report()
        if await HostKubelet(paths: paths).stop() { report.removed.append("the kubelet process") }
        await removeContainers(&report)
        if FileManager.default.fileExists(atPath: paths.podNetnsDir) || FileManager.default.fileExists(atPath: paths.cniStateDir) {
            // With no pod left to keep, the orphan sweep is a full teardown: CNI DEL for every pod, then its netns.
            let problems = Mutex<[String]>([])
            await CNIPodNetwork(paths: paths, report: { line in problems.withLock { $0.append("pod network: \(line)") } })
                .cleanUp(keeping: [])
            report.failures += problems.withLock { $0 }
        }
        let unmounted = unmountUnder([paths.kubeletDir, paths.dataDir, paths.runDir])
        if unmounted.count > 0 { report.removed.append("\(unmounted.count) mounts under the node paths") }
        report.failures += unmounted.failures
        do {
            try await CgroupManager(cgroupRoot: cgroupRoot).removeAll()
        } catch {
            report.failures.append("cgroups under \(cgroupRoot)kubepods: \(error)")
        }
        return report
    }

    private func removeContainers(_ report: inout Report) async {
        let runtime: ContainerRuntime
        do {
            runtime = try ContainerRuntime(configuration: RuntimeConfiguration(paths: paths, cgroupRoot: cgroupRoot))
        } catch {
            report.failures.append("container runtime: \(error)")
            return
        }
        let containers = (try? runtime.list()) ?? []
        let images = ImageStore(host: paths)
        for container in containers {
            do {
                try await runtime.remove(container.id)
                try? images.releaseRootfs(containerID: container.id)
            } catch {
                report.failures.append("container \(container.id): \(error)")
            }
        }
        _ = try? await runtime.recover()  // deletes runc state that has no bundle left
        if !containers.isEmpty { report.removed.append("\(containers.count) containers") }
    }

    /// Every mount point of this mount namespace.
    public static func mountPoints() -> [String] {
        let mountInfo = (try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8)) ?? ""
        return mountInfo.split(separator: "\n").compactMap { line -> String? in
            let fields = line.split(separator: " ")
            guard fields.count > 4 else { return nil }
            return Self.unescape(String(fields[4]))
        }
    }

    /// Lazily unmounts every mount point strictly below the given directories, deepest first. A directory that is
    /// itself a mount point (a node path bind-mounted by the host or a test harness) is the host's and stays.
    func unmountUnder(_ directories: [String]) -> (count: Int, failures: [String]) {
        let targets = Self.mountPoints().filter { point in directories.contains { point.hasPrefix($0 + "/") } }
            .sorted { $0.count > $1.count }
        var failures: [String] = []
        var count = 0
        for target in targets {
            if umount2(target, Int32(MNT_DETACH)) == 0 { count += 1 } else if errno != EINVAL && errno != ENOENT {
                failures.append("unmount \(target): \(String(cString: strerror(errno)))")
            }
        }
        return (count, failures)
    }

    /// mountinfo escapes space, tab, newline and backslash as octal.
    static func unescape(_ text: String) -> String {
        text.replacingOccurrences(of: "\\040", with: " ").replacingOccurrences(of: "\\011", with: "\t")
            .replacingOccurrences(of: "\\012", with: "\n").replacingOccurrences(of: "\\134", with: "\\")
    }
}
