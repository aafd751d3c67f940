import Testing
@testable import PKI

/// join's side of cluster-info signatures: what the bootstrapsigner signs verifies; anything else does not.
struct DetachedJWSTests {
    let payload = "apiVersion: v1\nkind: Config\n"

    @Test func aSignatureVerifiesOnlyWithItsTokenAndPayload() throws {
        let jws = try DetachedJWS.sign(payload, tokenID: "abcdef", tokenSecret: "0123456789abcdef")
        #expect(DetachedJWS.verify(jws, payload: payload, tokenID: "abcdef", tokenSecret: "0123456789abcdef"))
        #expect(!DetachedJWS.verify(jws, payload: payload + " ", tokenID: "abcdef", tokenSecret: "0123456789abcdef"))
        #expect(!DetachedJWS.verify(jws, payload: payload, tokenID: "abcdef", tokenSecret: "0123456789abcdeg"))
        #expect(!DetachedJWS.verify(jws, payload: payload, tokenID: "abcdeg", tokenSecret: "0123456789abcdef"), "kid must match")
    }

    @Test func malformedSignaturesAreRejected() {
        for bad in ["", "..", "a.b.c", "eyJhbGciOiJub25lIn0..", "eyJhbGciOiJub25lIn0.e30.AAAA"] {
            #expect(!DetachedJWS.verify(bad, payload: payload, tokenID: "abcdef", tokenSecret: "0123456789abcdef"), "\(bad)")
        }
    }
}
