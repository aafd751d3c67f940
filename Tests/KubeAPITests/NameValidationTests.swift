import Testing
import KubeAPI

@Suite("DNS-1123 names")
struct NameValidationTests {
    @Test(arguments: ["a", "node-1", "node1.example.com", "0", "1.2.3.4", "a-b.c-d", String(repeating: "a", count: 64), String(repeating: "a", count: 253)])
    func validSubdomains(name: String) {
        #expect(NameValidation.isDNS1123Subdomain(name))
        #expect(NameValidation.subdomainErrors(name).isEmpty)
    }

    @Test(arguments: ["", "-a", "a-", "a.", ".a", "a..b", "A", "Node", "a_b", "a b", "ä", "a.-b", String(repeating: "a", count: 254)])
    func invalidSubdomains(name: String) {
        #expect(!NameValidation.isDNS1123Subdomain(name))
        #expect(!NameValidation.subdomainErrors(name).isEmpty)
    }

    @Test func messages() {
        #expect(NameValidation.subdomainErrors("Bad") == [NameValidation.dns1123SubdomainRule])
        #expect(NameValidation.dns1123SubdomainRule.hasPrefix("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters"))
        #expect(NameValidation.subdomainErrors(String(repeating: "a", count: 254)) == ["must be no more than 253 characters"])
    }

    @Test func labelsAndWildcards() {
        #expect(NameValidation.isDNS1123Label("node-1"))
        #expect(!NameValidation.isDNS1123Label(String(repeating: "a", count: 64)))
        #expect(!NameValidation.isDNS1123Label("a.b"))
        #expect(NameValidation.isWildcardDNS1123Subdomain("*.a.b"))
        #expect(!NameValidation.isWildcardDNS1123Subdomain("*"))
        #expect(!NameValidation.isWildcardDNS1123Subdomain("a.b"))
    }
}
