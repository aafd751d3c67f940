import Testing
@testable import Preflight

@Suite("PreflightRunner and PreflightError")
struct PreflightRunnerTests {
    /// Runs `checks` on `host`, returning the report and the lines `output` received.
    func run(_ checks: [any PreflightCheck], on host: FakeHost = FakeHost(), ignoring: [String] = []) throws
        -> (PreflightReport, [String])
    {
        var printed: [String] = []
        let report = PreflightRunner.run(checks, on: host, ignoring: try IgnoreSet(ignoring)) { printed.append($0) }
        return (report, printed)
    }

    @Test func printsHeaderFirstAndWarningsAsFound() throws {
        let checks: [any PreflightCheck] = [
            StubCheck(name: "A", findings: [(.warning, "first")]),
            StubCheck(name: "B", findings: [(.error, "boom")]),
            StubCheck(name: "C", findings: [(.warning, "second")]),
        ]
        let (report, printed) = try run(checks)
        #expect(printed == ["[preflight] Running pre-flight checks", "\t[WARNING A]: first", "\t[WARNING C]: second"])
        #expect(report.lines == printed)
        #expect(report.warnings.map(\.check) == ["A", "C"])
        #expect(report.errors == [Finding(check: "B", severity: .error, message: "boom")])
        #expect(report.hasErrors)
    }

    @Test func collectsEveryError() throws {
        var host = FakeHost()
        host.busyPorts = [6443, 10250]
        let (report, _) = try run([PortOpenCheck(port: 6443), PortOpenCheck(port: 10259), PortOpenCheck(port: 10250)], on: host)
        #expect(report.errors.map(\.check) == ["Port-6443", "Port-10250"])
    }

    @Test func ignoredErrorsBecomeWarningsCaseInsensitively() throws {
        var host = FakeHost()
        host.busyPorts = [6443]
        host.cpuCount = 1
        let (report, printed) = try run([PortOpenCheck(port: 6443), NumCPUCheck(min: 2)], on: host, ignoring: ["port-6443"])
        #expect(report.warnings.map(\.check) == ["Port-6443"])
        #expect(report.warnings.map(\.severity) == [.warning])
        #expect(report.errors.map(\.check) == ["NumCPU"])
        #expect(printed.dropFirst().first?.hasPrefix("\t[WARNING Port-6443]: Port 6443 is in use") == true)
    }

    @Test func ignoreAllLeavesNoErrors() throws {
        var host = FakeHost()
        host.busyPorts = [6443]
        host.effectiveUserID = 1000
        let (report, _) = try run([IsPrivilegedUserCheck(), PortOpenCheck(port: 6443)], on: host, ignoring: ["all"])
        #expect(!report.hasErrors)
        #expect(report.warnings.map(\.check) == ["IsPrivilegedUser", "Port-6443"])
        #expect(throws: Never.self) { try report.throwIfFatal() }
    }

    @Test func rootCheckRunsFirstEvenWhenListedLater() throws {
        var host = FakeHost()
        host.effectiveUserID = 1000
        let checks: [any PreflightCheck] = [StubCheck(name: "A", findings: [(.warning, "w")]), IsPrivilegedUserCheck()]
        let (report, printed) = try run(checks, on: host, ignoring: ["IsPrivilegedUser"])
        #expect(printed.dropFirst() == ["\t[WARNING IsPrivilegedUser]: user is not running as root; run kubeadm-swift as root (e.g. with sudo)",
                                        "\t[WARNING A]: w"])
        #expect(!report.hasErrors)
    }

    @Test func nonRootFailsFastAndAlone() throws {
        var host = FakeHost()
        host.effectiveUserID = 1000
        host.busyPorts = [6443]
        let checks: [any PreflightCheck] = [
            StubCheck(name: "A", findings: [(.warning, "w")]), PortOpenCheck(port: 6443), IsPrivilegedUserCheck(),
        ]
        let (report, printed) = try run(checks, on: host)
        #expect(report.errors.map(\.check) == ["IsPrivilegedUser"])
        #expect(report.warnings.isEmpty)
        #expect(printed == ["[preflight] Running pre-flight checks"])
    }

    @Test func errorDescriptionMatchesKubeadm() throws {
        var host = FakeHost()
        host.busyPorts = [6443]
        host.cpuCount = 1
        let (report, _) = try run([NumCPUCheck(min: 2), PortOpenCheck(port: 6443)], on: host)
        let error = try #require(throws: PreflightError.self) { try report.throwIfFatal() }
        #expect(error.description == """
            [preflight] Some fatal errors occurred:
            \t[ERROR NumCPU]: the number of available CPUs 1 is less than the required 2; give the machine at least 2 CPUs
            \t[ERROR Port-6443]: Port 6443 is in use; find the process holding it with "ss -ltnp 'sport = :6443'" and stop it
            [preflight] If you know what you are doing, you can make a check non-fatal with `--ignore-preflight-errors=...`
            """)
    }

    @Test func healthyHostPassesEveryInitAndJoinCheck() throws {
        for checks in [CheckSets.initChecks(PreflightInput(nodeName: "node-1", localEtcd: true)),
                       CheckSets.joinChecks(PreflightInput(nodeName: "node-1")),
                       CheckSets.resetChecks()] {
            let (report, printed) = try run(checks)
            #expect(report.errors.isEmpty)
            #expect(report.warnings.isEmpty)
            #expect(printed == [PreflightRunner.header])
        }
    }

    @Test func findingLineFormat() {
        let finding = Finding(check: "Swap", severity: .error, message: "m")
        #expect(finding.line() == "\t[ERROR Swap]: m")
        #expect(finding.line(as: .warning) == "\t[WARNING Swap]: m")
    }
}
