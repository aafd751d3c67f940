import Testing
@testable import Preflight

@Suite("FileContent-<path>")
struct FileContentCheckTests {
    @Test func names() {
        #expect(FileContentCheck.ipv4Forwarding.name == "FileContent--proc-sys-net-ipv4-ip_forward")
        #expect(FileContentCheck.bridgeNFCallIPTables.name == "FileContent--proc-sys-net-bridge-bridge-nf-call-iptables")
        #expect(FileContentCheck.ipv6Forwarding.name == "FileContent--proc-sys-net-ipv6-conf-default-forwarding")
        #expect(FileContentCheck(path: "/tmp/x").name == "FileContent--tmp-x")
    }

    @Test(arguments: ["1", "1\n", " 1 \n"])
    func passesWhenSet(content: String) {
        var host = FakeHost()
        host.files["/proc/sys/net/ipv4/ip_forward"] = content
        #expect(FileContentCheck.ipv4Forwarding.run(on: host).isEmpty)
    }

    @Test func ipForwardOff() {
        var host = FakeHost()
        host.files["/proc/sys/net/ipv4/ip_forward"] = "0\n"
        #expect(FileContentCheck.ipv4Forwarding.run(on: host) == [Finding(
            check: "FileContent--proc-sys-net-ipv4-ip_forward", severity: .error,
            message: "/proc/sys/net/ipv4/ip_forward contents are not set to 1; run 'sysctl -w net.ipv4.ip_forward=1' (persist it in /etc/sysctl.d/)"
        )])
    }

    @Test func bridgeOff() {
        var host = FakeHost()
        host.files["/proc/sys/net/bridge/bridge-nf-call-iptables"] = "0\n"
        let findings = FileContentCheck.bridgeNFCallIPTables.run(on: host)
        #expect(findings.map(\.message) == [
            "/proc/sys/net/bridge/bridge-nf-call-iptables contents are not set to 1; run 'modprobe br_netfilter && sysctl -w net.bridge.bridge-nf-call-iptables=1'",
        ])
    }

    @Test func bridgeMissingMeansBrNetfilterNotLoaded() {
        var host = FakeHost()
        host.files["/proc/sys/net/bridge/bridge-nf-call-iptables"] = nil
        let findings = FileContentCheck.bridgeNFCallIPTables.run(on: host)
        #expect(findings.map(\.severity) == [.error])
        #expect(findings.first?.message.hasPrefix("/proc/sys/net/bridge/bridge-nf-call-iptables does not exist; the br_netfilter module is not loaded; run 'modprobe br_netfilter'") == true)
    }

    @Test func customExpectedValueAndDefaultFix() {
        var host = FakeHost()
        host.files["/tmp/mode"] = "on"
        let check = FileContentCheck(path: "/tmp/mode", expected: "off")
        #expect(check.run(on: host).map(\.message) == ["/tmp/mode contents are not set to off; write off to it: echo off > /tmp/mode"])
        host.files["/tmp/mode"] = "off\n"
        #expect(check.run(on: host).isEmpty)
    }
}
