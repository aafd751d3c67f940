import Testing
@testable import Preflight

@Suite("Hostname")
struct HostnameCheckTests {
    @Test func resolvableValidNamePasses() {
        #expect(HostnameCheck(nodeName: "node-1").name == "Hostname")
        #expect(HostnameCheck(nodeName: "node-1").run(on: FakeHost()).isEmpty)
    }

    @Test func unresolvableNameWarns() {
        #expect(HostnameCheck(nodeName: "worker-7").run(on: FakeHost()) == [Finding(
            check: "Hostname", severity: .warning,
            message: "hostname \"worker-7\" could not be reached; add a line '<node IP> worker-7' to /etc/hosts or fix DNS"
        )])
    }

    @Test(arguments: ["Node_1", "node-", "-node", "a..b", "UPPER", String(repeating: "a", count: 254)])
    func invalidNameIsAnErrorNamingTheRuleAndTheFlag(name: String) throws {
        let findings = HostnameCheck(nodeName: name).run(on: FakeHost())
        let finding = try #require(findings.first)
        #expect(findings.count == 1)
        #expect(finding.severity == .error)
        #expect(finding.message.hasPrefix("node name \"\(name)\" is invalid: "))
        #expect(finding.message.hasSuffix("; pass a valid name with --node-name"))
    }

    @Test func emptyNodeNameFallsBackToLowerCasedHostname() {
        var host = FakeHost()
        host.hostname = "Node-1"
        #expect(HostnameCheck(nodeName: "").run(on: host).isEmpty)
        host.resolvableNames = []
        #expect(HostnameCheck(nodeName: "").run(on: host).map(\.message).first?.hasPrefix("hostname \"node-1\" could not be reached") == true)
    }
}
