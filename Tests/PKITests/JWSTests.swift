import Foundation
import PKI
import Testing

@Suite("JWS signatures and public keys")
struct JWSTests {
    @Test func base64URLRoundTripAndStrictness() {
        for length in 0..<12 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 250) }
            let text = Base64URL.encode(bytes)
            #expect(!text.contains("=") && !text.contains("+") && !text.contains("/"))
            #expect(Base64URL.decode(text) == bytes)
        }
        #expect(Base64URL.encode([0xfb, 0xff]) == "-_8")
        #expect(Base64URL.decode("-_8") == [0xfb, 0xff])
        #expect(Base64URL.decode("+/8") == nil)
        #expect(Base64URL.decode("AA==") == nil)
        #expect(Base64URL.decode("AAAAA") == nil)
        #expect(Base64URL.decode("AA A") == nil)
    }

    @Test(arguments: [KeyAlgorithm.rsa2048, .ecdsaP256])
    func signVerifyRoundTrip(algorithm: KeyAlgorithm) throws {
        let key = try PrivateKey.generate(algorithm)
        let publicKey = try PublicKey(key)
        let expected: JWSAlgorithm = algorithm == .ecdsaP256 ? .es256 : .rs256
        #expect(publicKey.jwsAlgorithm == expected)
        let token = try JWS.sign(payload: Array(#"{"sub":"me"}"#.utf8), key: key)
        let parsed = try #require(CompactJWS(token))
        #expect(String(decoding: parsed.header, as: UTF8.self)
            == "{\"alg\":\"\(expected.rawValue)\",\"kid\":\"\(publicKey.keyID)\"}")
        #expect(String(decoding: parsed.payload, as: UTF8.self) == #"{"sub":"me"}"#)
        if expected == .es256 { #expect(parsed.signature.count == 64) }
        #expect(parsed.verify(algorithm: expected, key: publicKey))
        // The other algorithm never verifies with this key, whatever the header claims.
        #expect(!parsed.verify(algorithm: expected == .rs256 ? .es256 : .rs256, key: publicKey))
    }

    @Test func tamperedPayloadAndWrongKeyFail() throws {
        let key = try PrivateKey.generate(.rsa2048)
        let other = try PublicKey(try PrivateKey.generate(.rsa2048))
        let token = try JWS.sign(payload: Array(#"{"sub":"me"}"#.utf8), key: key)
        let parts = token.split(separator: ".").map(String.init)
        let forged = parts[0] + "." + Base64URL.encode(Array(#"{"sub":"admin"}"#.utf8)) + "." + parts[2]
        let publicKey = try PublicKey(key)
        #expect(try #require(CompactJWS(token)).verify(algorithm: .rs256, key: publicKey))
        #expect(!(try #require(CompactJWS(forged)).verify(algorithm: .rs256, key: publicKey)))
        #expect(!(try #require(CompactJWS(token)).verify(algorithm: .rs256, key: other)))
        let truncated = parts[0] + "." + parts[1] + "." + String(parts[2].dropLast(4))
        #expect(!(try #require(CompactJWS(truncated)).verify(algorithm: .rs256, key: publicKey)))
        #expect(CompactJWS(parts[0] + "." + parts[1]) == nil)
        #expect(CompactJWS(token + ".x") == nil)
        #expect(CompactJWS("." + parts[1] + "." + parts[2]) == nil)
    }

    @Test func publicKeyLoadingAndKeyID() throws {
        let key = try PrivateKey.generate(.ecdsaP256)
        let fromPEM = try PublicKey(pem: key.publicKeyPEM)
        #expect(fromPEM.der == key.publicKeyDER)
        #expect(fromPEM.pem == key.publicKeyPEM)
        #expect(try PublicKey(key).keyID == fromPEM.keyID)
        #expect(fromPEM.keyID.count == 43)  // 32 bytes, unpadded base64url
        #expect(String(describing: fromPEM) == "PublicKey(EC-prime256v1)")
        // A key file may hold several keys, certificates, or only a private key.
        let rsa = try PrivateKey.generate(.rsa2048)
        let both = try PublicKey.all(inPEM: key.publicKeyPEM + rsa.publicKeyPEM)
        #expect(both.map(\.keyID) == [fromPEM.keyID, try PublicKey(rsa).keyID])
        #expect(try PublicKey.all(inPEM: rsa.pem).map(\.der) == [rsa.publicKeyDER])
        #expect(throws: PKIError.self) { try PublicKey.all(inPEM: "nothing here") }
        #expect(throws: PKIError.self) { try PublicKey(pem: rsa.pem) }
    }

    // MARK: Cross-checks with the openssl CLI

    @Test func keyIDMatchesOpensslPipeline() throws {
        let key = try PrivateKey.generate(.rsa2048)
        // openssl pkey -pubin -outform der | openssl dgst -sha256 -binary, then base64url.
        let der = try runBinary(["openssl", "pkey", "-pubin", "-outform", "der"], stdin: Array(key.publicKeyPEM.utf8))
        let digest = try runBinary(["openssl", "dgst", "-sha256", "-binary"], stdin: der)
        #expect(digest.count == 32)
        #expect(Base64URL.encode(digest) == (try PublicKey(key).keyID))
    }

    @Test(arguments: [KeyAlgorithm.rsa2048, .ecdsaP256])
    func opensslVerifiesOurSignaturesAndWeVerifyItsSignatures(algorithm: KeyAlgorithm) throws {
        try withTempDir { dir in
            let key = try PrivateKey.generate(algorithm)
            let keyURL = dir.url.appendingPathComponent("sa.key")
            let pubURL = dir.url.appendingPathComponent("sa.pub")
            let messageURL = dir.url.appendingPathComponent("message")
            let signatureURL = dir.url.appendingPathComponent("signature")
            try Data(key.pem.utf8).write(to: keyURL)
            try Data(key.publicKeyPEM.utf8).write(to: pubURL)

            let token = try JWS.sign(payload: Array(#"{"iss":"https://kubernetes.default.svc"}"#.utf8), key: key)
            let parsed = try #require(CompactJWS(token))
            try Data(parsed.signingInput).write(to: messageURL)
            let ours = algorithm == .ecdsaP256 ? DERSignature.encode(raw: parsed.signature) : parsed.signature
            try Data(ours).write(to: signatureURL)
            let verified = try run(["openssl", "dgst", "-sha256", "-verify", pubURL.path, "-signature",
                                    signatureURL.path, messageURL.path])
            #expect(verified.status == 0 && verified.stdout.contains("Verified OK"), "\(verified.stderr)")

            let theirs = try runBinary(["openssl", "dgst", "-sha256", "-sign", keyURL.path], stdin: parsed.signingInput)
            let raw = algorithm == .ecdsaP256 ? try #require(DERSignature.decode(theirs)) : theirs
            let publicKey = try PublicKey(pem: key.publicKeyPEM)
            #expect(publicKey.verify(signature: raw, message: parsed.signingInput,
                                     algorithm: algorithm == .ecdsaP256 ? .es256 : .rs256))
        }
    }
}

/// Just enough DER to move ECDSA signatures between OpenSSL's `SEQUENCE { INTEGER r, INTEGER s }` and JWS's `r || s`,
/// written independently of the module's own conversion so the test checks it.
enum DERSignature {
    static func encode(raw: [UInt8]) -> [UInt8] {
        func integer(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
            var value = Array(bytes.drop { $0 == 0 })
            if value.isEmpty || value[0] & 0x80 != 0 { value.insert(0, at: 0) }
            return [0x02, UInt8(value.count)] + value
        }
        let body = integer(raw[0..<32]) + integer(raw[32..<64])
        return [0x30, UInt8(body.count)] + body
    }

    static func decode(_ der: [UInt8]) -> [UInt8]? {
        guard der.count > 2, der[0] == 0x30 else { return nil }
        var index = 2
        var out: [UInt8] = []
        for _ in 0..<2 {
            guard index + 2 <= der.count, der[index] == 0x02 else { return nil }
            let length = Int(der[index + 1])
            guard index + 2 + length <= der.count else { return nil }
            let value = Array(der[(index + 2)..<(index + 2 + length)].drop { $0 == 0 })
            guard value.count <= 32 else { return nil }
            out += [UInt8](repeating: 0, count: 32 - value.count) + value
            index += 2 + length
        }
        return out
    }
}
