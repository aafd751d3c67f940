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
        await PeerRoutes.flush()
        removeDefaultNetwork(&report)
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

    /// The pod network the kubelet installed itself (never a network add-on's): its conflist, the host-local
    /// reservations and the cni0 bridge.
    private func removeDefaultNetwork(_ report: inout Report) {
        let conflist = paths.cniConfDir + "/" + CNIDefaultConfig.fileName
        if FileManager.default.fileExists(atPath: conflist) {
            do {
                try FileManager.default.removeItem(atPath: conflist)
                report.removed.append("the default CNI configuration \(conflist)")
            } catch { report.failures.append("\(conflist): \(error)") }
            // Only with our own network configuration do the portmap plugin's shared chains belong to us.
            report.failures += removeHostPortChains()
        }
        let reservations = paths.cniStateDir + "/networks/" + CNIDefaultConfig.networkName
        if FileManager.default.fileExists(atPath: reservations) { try? FileManager.default.removeItem(atPath: reservations) }
        // Asked through `ip`, not /sys/class/net: sysfs shows the network namespace it was mounted in, which need
        // not be this process's (test hosts, containers).
        let ip = SystemTool.path("ip") ?? "/usr/sbin/ip"
        if (try? Subprocess.runBlocking([ip, "link", "show", CNIDefaultConfig.bridgeName]))?.exitCode == 0 {
            if (try? Subprocess.runBlocking([ip, "link", "del", CNIDefaultConfig.bridgeName]))?.exitCode == 0 {
                report.removed.append("the \(CNIDefaultConfig.bridgeName) bridge")
            } else {
                report.failures.append("the \(CNIDefaultConfig.bridgeName) bridge: 'ip link del \(CNIDefaultConfig.bridgeName)' failed")
            }
        }
    }

    /// The portmap plugin's top-level nat chains (CNI-HOSTPORT-*), which its DEL leaves behind: the jumps to them
    /// from the built-in chains first, then the chains.
    private func removeHostPortChains() -> [String] {
        let iptables = SystemTool.path("iptables")
        guard let iptables, let listing = try? Subprocess.runBlocking([iptables, "-t", "nat", "-S"]), listing.exitCode == 0 else { return [] }
        let lines = listing.output.split(separator: "\n").map(String.init)
        var failures: [String] = []
        for rule in lines where rule.hasPrefix("-A ") && rule.contains("-j CNI-HOSTPORT-") {
            // iptables -S prints rules in the syntax -D accepts; quoted comments are kept as single words.
            let words = Self.shellWords(String(rule.dropFirst(3)))
            if (try? Subprocess.runBlocking([iptables, "-t", "nat", "-D"] + words))?.exitCode != 0 { failures.append("iptables -t nat -D \(words.joined(separator: " "))") }
        }
        let chains = lines.filter { $0.hasPrefix("-N CNI-HOSTPORT-") }.map { String($0.dropFirst(3)) }
        for chain in chains { _ = try? Subprocess.runBlocking([iptables, "-t", "nat", "-F", chain]) }
        for chain in chains where (try? Subprocess.runBlocking([iptables, "-t", "nat", "-X", chain]))?.exitCode != 0 {
            failures.append("iptables nat chain \(chain)")
        }
        return failures
    }

    /// Splits an `iptables -S` line into words, keeping "double-quoted" parts together.
    static func shellWords(_ line: String) -> [String] {
        var words: [String] = []
        var current = ""
        var quoted = false
        for character in line {
            if character == "\"" { quoted.toggle(); continue }
            if character == " " && !quoted {
                if !current.isEmpty { words.append(current); current = "" }
            } else {
                current.append(character)
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
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
