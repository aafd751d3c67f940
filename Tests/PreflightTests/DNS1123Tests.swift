import Testing
import Preflight

@Suite("DNS-1123 subdomain")
struct DNS1123Tests {
    @Test(arguments: ["a", "node-1", "node1.example.com", "0", "1.2.3.4", "a-b.c-d", String(repeating: "a", count: 253)])
    func valid(name: String) {
        #expect(isDNS1123Subdomain(name))
        #expect(dns1123SubdomainErrorMessage(name) == nil)
    }

    @Test(arguments: ["", "-a", "a-", "a.", ".a", "a..b", "A", "a_b", "a b", "ä", "a.-b", String(repeating: "a", count: 254)])
    func invalid(name: String) {
        #expect(!isDNS1123Subdomain(name))
        #expect(dns1123SubdomainErrorMessage(name) != nil)
    }

    @Test func messages() {
        #expect(DNS1123.subdomainErrors("Bad") == [DNS1123.subdomainFormatMessage])
        #expect(DNS1123.subdomainFormatMessage.hasPrefix("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters"))
        #expect(DNS1123.subdomainErrors(String(repeating: "a", count: 254)) == ["must be no more than 253 characters"])
    }
}
