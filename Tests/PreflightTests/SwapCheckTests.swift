import Testing
@testable import Preflight

@Suite("Swap")
struct SwapCheckTests {
    static let header = "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n"

    @Test func headerOnlyPasses() {
        #expect(SwapCheck().name == "Swap")
        #expect(SwapCheck().run(on: FakeHost()).isEmpty)
    }

    @Test func activeSwapWarns() throws {
        var host = FakeHost()
        host.files["/proc/swaps"] = Self.header + "/swapfile                               file\t\t2097148\t\t0\t\t-2\n"
        let findings = SwapCheck().run(on: host)
        let finding = try #require(findings.first)
        #expect(findings.count == 1)
        #expect(finding.severity == .warning)
        #expect(finding.message.hasPrefix("swap is enabled; production deployments should disable swap"))
        #expect(finding.message.contains("swapoff -a"))
    }

    @Test func unreadableSwapsWarns() {
        var host = FakeHost()
        host.files["/proc/swaps"] = nil
        #expect(SwapCheck().run(on: host).map(\.severity) == [.warning])
    }
}
