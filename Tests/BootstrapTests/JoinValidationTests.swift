import Testing
@testable import Bootstrap

@Suite struct JoinValidationTests {
    func request(_ edit: (inout JoinRequest) -> Void) -> JoinRequest {
        var request = JoinRequest()
        request.apiServerEndpoint = "10.0.0.1:6443"
        request.token = "abcdef.0123456789abcdef"
        request.caCertHashes = ["sha256:" + String(repeating: "ab", count: 32)]
        edit(&request)
        return request
    }

    @Test func aCompleteRequestValidates() throws {
        try JoinRunner.validate(request { _ in })
    }

    @Test func missingPinIsKubeadmsValidationError() {
        let error = #expect(throws: JoinValidationError.self) { try JoinRunner.validate(request { $0.caCertHashes = [] }) }
        #expect(error?.description.contains("discovery.bootstrapToken.caCertHashes: Invalid value: \"\": using token-based discovery without caCertHashes can be unsafe") == true)
        #expect(ErrorReport(error!).exitCode == 3)
    }

    @Test func unsafeSkipAllowsNoPin() throws {
        try JoinRunner.validate(request { $0.caCertHashes = []; $0.unsafeSkipCAVerification = true })
    }

    @Test(arguments: ["sha256:zz", "md5:" + String(repeating: "ab", count: 32), "sha256:abcd"])
    func badPins(pin: String) {
        #expect(throws: JoinValidationError.self) { try JoinRunner.validate(request { $0.caCertHashes = [pin] }) }
    }

    @Test func badTokenAndEndpoint() {
        let error = #expect(throws: JoinValidationError.self) {
            try JoinRunner.validate(request { $0.token = "nope"; $0.apiServerEndpoint = "10.0.0.1" })
        }
        #expect(error?.errors.map(\.path).contains("discovery.bootstrapToken.token") == true)
        #expect(error?.errors.map(\.path).contains("discovery.bootstrapToken.apiServerEndpoint") == true)
        #expect(error?.description.contains("nope") == false, "tokens are not echoed")
    }
}
