import Testing
@testable import Preflight

@Suite("FileExisting-<binary>")
struct InPathCheckTests {
    @Test(arguments: [
        ("runc", "runc"), ("ip", "iproute2"), ("iptables", "iptables"), ("mount", "mount"), ("nsenter", "util-linux"),
    ])
    func mandatoryMissingIsAnError(binary: String, package: String) {
        var host = FakeHost()
        host.binaries.remove(binary)
        let check = InPathCheck(binary: binary, mandatory: true)
        #expect(check.name == "FileExisting-\(binary)")
        #expect(check.run(on: host) == [Finding(
            check: "FileExisting-\(binary)", severity: .error,
            message: "\(binary) not found in system path; install it: 'apt-get install \(package)'"
        )])
    }

    @Test(arguments: ["ebtables", "ethtool", "socat", "tc", "touch"])
    func optionalMissingIsAWarning(binary: String) {
        var host = FakeHost()
        host.binaries.remove(binary)
        let findings = InPathCheck(binary: binary, mandatory: false).run(on: host)
        #expect(findings.map(\.severity) == [.warning])
        #expect(findings.first?.message.hasPrefix("\(binary) not found in system path; install it: 'apt-get install ") == true)
    }

    @Test func presentPasses() {
        #expect(InPathCheck(binary: "runc", mandatory: true).run(on: FakeHost()).isEmpty)
    }

    @Test func customHintAndUnknownBinary() {
        var host = FakeHost()
        host.binaries = []
        #expect(InPathCheck(binary: "runc", mandatory: true, hint: "use the bundled runtime").run(on: host).map(\.message)
            == ["runc not found in system path; use the bundled runtime"])
        #expect(InstallHints.hint(for: "frobnicate") == "install it: 'apt-get install frobnicate'")
    }
}
