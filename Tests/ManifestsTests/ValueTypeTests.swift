import Testing
@testable import Manifests

@Suite struct GoDurationTests {
    @Test(arguments: [(String, Double)]([("24h0m0s", 86400.0), ("4m0s", 240), ("90s", 90), ("1.5h", 5400), ("0", 0), ("100ms", 0.1), ("1h30m", 5400), ("-2m", -120)]))
    func parses(text: String, seconds: Double) throws {
        #expect(try GoDuration(parsing: text).seconds == seconds)
    }

    @Test(arguments: [(Double, String)]([(86400.0, "24h0m0s"), (240, "4m0s"), (90, "1m30s"), (0, "0s"), (0.5, "500ms"), (315_360_000.0, "87600h0m0s"), (1.5, "1.5s")]))
    func printsLikeGo(seconds: Double, text: String) {
        #expect(GoDuration(seconds: seconds).description == text)
    }

    @Test(arguments: ["", "3 days", "5", "1x", "h"])
    func rejects(text: String) {
        #expect(throws: GoDuration.ParseError.self) { try GoDuration(parsing: text) }
    }
}

@Suite struct IPNetworkTests {
    @Test func derivesServiceAddresses() throws {
        let net = try #require(IPNetwork("10.96.0.0/12"))
        #expect(net.address(at: 1)?.description == "10.96.0.1")
        #expect(net.address(at: 10)?.description == "10.96.0.10")
        #expect(IPNetwork("10.96.5.7/12")?.description == "10.96.0.0/12")
        #expect(IPNetwork("fd00::/108")?.address(at: 10)?.description == "fd00::a")
        #expect(IPNetwork("10.0.0.0/30")?.address(at: 10) == nil)
        #expect(IPNetwork("10.0.0.0/33") == nil)
        #expect(IPNetwork("10.0.0.0") == nil)
    }

    @Test func parsesAddresses() {
        #expect(IPAddress("127.0.0.1")?.isLoopback == true)
        #expect(IPAddress("::1")?.isLoopback == true)
        #expect(IPAddress("0.0.0.0")?.isUnspecified == true)
        #expect(IPAddress("1.2.3") == nil)
        #expect(IPAddress("2001:db8::1")?.isIPv4 == false)
    }
}

@Suite struct NameAndTokenTests {
    @Test func tokens() throws {
        let token = BootstrapTokenString.generate()
        #expect(BootstrapTokenString(token.description) == token)
        #expect(token.id.count == 6 && token.secret.count == 16)
        #expect(BootstrapTokenString.generate() != token)
        #expect(BootstrapTokenString("abcdef.0123456789ABCDEF") == nil)
        #expect(BootstrapTokenString("abcde.0123456789abcdef") == nil)
        #expect(BootstrapTokenString("abcdef0123456789abcdef") == nil)
    }
}
