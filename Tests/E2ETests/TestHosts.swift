import Foundation
import Testing

/// Test hosts (DESIGN.md section 5) through Tests/TestHosts/testhost.sh: each host is network, mount, UTS and
/// cgroup namespaces with private node paths, on a LAN bridge that lives in a namespace of its own, so nothing a
/// host sends leaves the machine. `down()` ends every process in the hosts' cgroups and removes what they made.
final class TestHosts {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("TestHosts").path
    static let script = directory + "/testhost.sh"
    static var available: Bool {
        Harness.isRoot && Harness.which("ip") && Harness.which("nsenter") && Harness.which("unshare") && Harness.which("runc")
            && Harness.which("kubectl") && FileManager.default.fileExists(atPath: "/sys/fs/cgroup")
    }

    let root: String
    /// Names this run's namespaces and cgroups (`<prefix>-cp`, `<prefix>-lan`), so concurrent runs never collide.
    let prefix: String
    private(set) var names: [String] = []

    init() throws {
        let id = UUID().uuidString.lowercased().prefix(6)
        root = FileManager.default.temporaryDirectory.appendingPathComponent("ks-hosts-\(id)").path
        prefix = "ks\(id)"
        let run = try shell("th_lan_up")
        guard run.status == 0 else { throw TestHostError("cannot create the LAN: \(run.combined)") }
    }

    /// Starts host `name` at `ip` (10.213.0.0/24).
    func up(_ name: String, _ ip: String) throws {
        let run = try shell("th_up \(name) \(ip)")
        guard run.status == 0 else { throw TestHostError("cannot start test host \(name): \(run.combined)") }
        names.append(name)
    }

    /// Runs a bash script inside host `name`; `$KS` is the kubeadm-swift binary and KUBECONFIG is admin.conf.
    @discardableResult
    func exec(_ name: String, _ script: String) throws -> Run {
        try shell("th_exec \(name) env KS=\(Harness.binary) KUBECONFIG=/etc/kubernetes/admin.conf bash -c \(Self.quote(script))")
    }

    /// Ends everything the hosts ran and removes their namespaces, cgroups and files.
    func down() {
        for name in names.reversed() { _ = try? shell("th_down \(name)") }
        _ = try? shell("th_lan_down")
        try? FileManager.default.removeItem(atPath: root)
    }

    private func shell(_ command: String) throws -> Run {
        try Harness.run("/bin/bash", ["-c", "source \(Self.quote(Self.script)); \(command)"],
                        environment: ["TH_ROOT": root, "TH_PREFIX": prefix])
    }

    static func quote(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'" }
}

struct TestHostError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
