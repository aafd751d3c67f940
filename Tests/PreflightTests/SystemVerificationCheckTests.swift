import Testing
@testable import Preflight

@Suite("SystemVerification: kernel and cgroups")
struct SystemVerificationCheckTests {
    static let v1Table = """
        #subsys_name\thierarchy\tnum_cgroups\tenabled
        cpuset\t3\t1\t1
        cpu\t1\t1\t1
        cpuacct\t2\t1\t1
        blkio\t7\t1\t1
        memory\t4\t35\t1
        devices\t5\t1\t1
        freezer\t6\t1\t1
        net_cls\t0\t1\t1
        pids\t8\t1\t1

        """

    /// A host with the v2 controller list removed and `table` as `/proc/cgroups` (a v1 or hybrid host).
    static func v1Host(_ table: String = v1Table) -> FakeHost {
        var host = FakeHost()
        host.files["/sys/fs/cgroup/cgroup.controllers"] = nil
        host.files["/proc/cgroups"] = table
        return host
    }

    @Test func healthyV2HostPasses() {
        let check = SystemVerificationCheck()
        #expect(check.name == "SystemVerification")
        #expect(check.run(on: FakeHost()).isEmpty)
    }

    @Test(arguments: [
        ("6.18.44-fc-v669", nil),
        ("5.10.0", nil),
        ("4.19.0-26-amd64", nil),
        ("4.4.0-210-generic", Severity.warning),
        ("3.10.0-1160.el7.x86_64", .warning),
        ("3.9.11", .error),
        ("2.6.32", .error),
        ("garbage", .warning),
    ] as [(String, Severity?)])
    func kernelRelease(release: String, expected: Severity?) {
        var host = FakeHost()
        host.kernelRelease = release
        let findings = SystemVerificationCheck().run(on: host)
        #expect(findings.map(\.severity) == (expected.map { [$0] } ?? []))
        if expected == .error {
            #expect(findings[0].message == "kernel release \(release) is older than 3.10; upgrade the kernel to 3.10 or newer")
        }
    }

    @Test func v1HostWithAllControllersOnlyWarnsAboutMaintenanceMode() {
        let findings = SystemVerificationCheck().run(on: Self.v1Host())
        #expect(findings.count == 1)
        #expect(findings[0].severity == .warning)
        #expect(findings[0].message.hasPrefix("cgroups v1 support is in maintenance mode, please migrate to cgroups v2; "))
    }

    @Test(arguments: ["cpu", "cpuacct", "cpuset", "memory", "pids", "devices", "freezer"])
    func v1MissingOrDisabledControllerIsAnError(controller: String) {
        let disabled = Self.v1Table.split(separator: "\n").map { line in
            line.hasPrefix(controller + "\t") ? line.replacingLastField(with: "0") : String(line)
        }.joined(separator: "\n")
        let removed = Self.v1Table.split(separator: "\n").filter { !$0.hasPrefix(controller + "\t") }.joined(separator: "\n")
        for table in [disabled, removed] {
            let findings = SystemVerificationCheck().run(on: Self.v1Host(table))
            let errors = findings.filter { $0.severity == .error }
            #expect(errors.count == 1)
            #expect(errors.first?.message.hasPrefix("required cgroups controller \"\(controller)\" is not enabled; ") == true)
            #expect(errors.first?.message.contains("cgroup_enable=\(controller)") == true)
        }
    }

    @Test(arguments: ["cpu", "cpuset", "memory", "pids"])
    func v2MissingControllerIsAnError(controller: String) {
        var host = FakeHost()
        let all = ["cpuset", "cpu", "io", "memory", "pids"]
        host.files["/sys/fs/cgroup/cgroup.controllers"] = all.filter { $0 != controller }.joined(separator: " ") + "\n"
        let findings = SystemVerificationCheck().run(on: host)
        #expect(findings.map(\.message) == [SystemVerificationCheck.missingControllerMessage(controller)])
        #expect(findings.map(\.severity) == [.error])
    }

    @Test func v2DoesNotRequireV1OnlyControllers() {
        var host = FakeHost()
        host.files["/sys/fs/cgroup/cgroup.controllers"] = "cpu cpuset memory pids"
        #expect(SystemVerificationCheck().run(on: host).isEmpty)
    }

    @Test func noCgroupInformationIsAnError() {
        var host = FakeHost()
        host.files["/sys/fs/cgroup/cgroup.controllers"] = nil
        let findings = SystemVerificationCheck().run(on: host)
        #expect(findings.map(\.severity) == [.error])
        #expect(findings.first?.message.contains("mount the cgroup2 filesystem") == true)
    }

    @Test func kernelVersionParsing() {
        #expect(KernelVersion(release: "6.18.44-fc-v669") == KernelVersion(major: 6, minor: 18))
        #expect(KernelVersion(release: "3.10") == KernelVersion(major: 3, minor: 10))
        #expect(KernelVersion(release: "5") == nil)
        #expect(KernelVersion(release: "") == nil)
        #expect(KernelVersion(major: 3, minor: 9) < KernelVersion(major: 3, minor: 10))
        #expect(KernelVersion(major: 3, minor: 10) < KernelVersion(major: 4, minor: 0))
    }
}

private extension Substring {
    func replacingLastField(with value: String) -> String {
        var fields = split(separator: "\t").map(String.init)
        fields[fields.count - 1] = value
        return fields.joined(separator: "\t")
    }
}
