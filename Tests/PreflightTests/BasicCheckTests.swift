import Testing
@testable import Preflight

@Suite("IsPrivilegedUser, NumCPU, Mem")
struct BasicCheckTests {
    @Test func rootPasses() {
        #expect(IsPrivilegedUserCheck().run(on: FakeHost()).isEmpty)
    }

    @Test func nonRootFails() {
        var host = FakeHost()
        host.effectiveUserID = 1000
        let findings = IsPrivilegedUserCheck().run(on: host)
        #expect(findings == [Finding(
            check: "IsPrivilegedUser", severity: .error,
            message: "user is not running as root; run kubeadm-swift as root (e.g. with sudo)"
        )])
    }

    @Test(arguments: [(1, true), (2, false), (8, false)])
    func numCPU(cpus: Int, fails: Bool) {
        var host = FakeHost()
        host.cpuCount = cpus
        let findings = NumCPUCheck(min: 2).run(on: host)
        #expect(NumCPUCheck(min: 2).name == "NumCPU")
        #expect(findings.count == (fails ? 1 : 0))
        if fails {
            #expect(findings[0].severity == .error)
            #expect(findings[0].message.hasPrefix("the number of available CPUs 1 is less than the required 2; "))
        }
    }

    @Test(arguments: [(967, true), (1699, true), (1700, false), (24_000, false)])
    func mem(totalMB: Int, fails: Bool) {
        var host = FakeHost()
        host.memoryTotalMB = totalMB
        let findings = MemCheck(minMB: 1700).run(on: host)
        #expect(MemCheck(minMB: 1700).name == "Mem")
        #expect(findings.count == (fails ? 1 : 0))
        if fails {
            #expect(findings[0].severity == .error)
            #expect(findings[0].message.hasPrefix("the system RAM (\(totalMB) MB) is less than the minimum 1700 MB; "))
        }
    }
}
