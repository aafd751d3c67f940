import Foundation
import PKI
import Testing

@Suite("Keys, PEM, pins and formatting")
struct PrimitivesTests {
    static let hashCases: [(String, Bool)] = [
        ("sha256:" + String(repeating: "ab", count: 32), true),
        ("sha256:" + String(repeating: "AB", count: 32), true),
        ("SHA256:" + String(repeating: "0f", count: 32), true),
        (String(repeating: "ab", count: 32), false),
        ("sha1:" + String(repeating: "ab", count: 20), false),
        ("sha256:" + String(repeating: "ab", count: 31), false),
        ("sha256:" + String(repeating: "zz", count: 32), false),
        ("sha256:", false),
    ]

    static let residualCases: [(Double, String)] = [
        (-5, "<invalid>"), (-1, "0s"), (0, "0s"), (59.9, "59s"), (60, "1m"), (3599, "59m"), (3600, "1h"),
        (86399, "23h"), (86400, "1d"), (8760 * 3600 - 1, "364d"), (8760 * 3600, "1y"), (87600 * 3600 - 300, "9y"),
    ]

    @Test(arguments: KeyAlgorithm.allCases)
    func keyGenerationAndPEMRoundTrip(algorithm: KeyAlgorithm) throws {
        // Skip the slow big RSA sizes' generation cost being counted twice: one key each is enough.
        let key = try PrivateKey.generate(algorithm)
        #expect(key.algorithm == algorithm)
        #expect(key.algorithmName == algorithm.rawValue)
        let pem = key.pem
        #expect(
            pem.hasPrefix(
                algorithm == .ecdsaP256 ? "-----BEGIN EC PRIVATE KEY-----\n" : "-----BEGIN RSA PRIVATE KEY-----\n"))
        #expect(pem.hasSuffix("-----END \(algorithm == .ecdsaP256 ? "EC" : "RSA") PRIVATE KEY-----\n"))
        let reparsed = try PrivateKey(pem: pem)
        #expect(reparsed.pem == pem)
        #expect(reparsed.publicKeyDER == key.publicKeyDER)
        #expect(key.publicKeyPEM.hasPrefix("-----BEGIN PUBLIC KEY-----\n"))
        // Key material never shows up in descriptions.
        #expect(String(describing: key) == "PrivateKey(\(algorithm.rawValue))")
    }

    @Test func malformedKeysGiveClearErrors() {
        #expect(throws: PKIError.self) { try PrivateKey(pem: "") }
        #expect(throws: PKIError.self) {
            try PrivateKey(pem: "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n")
        }
        do {
            _ = try PrivateKey(pem: "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")
        } catch let error as PKIError {
            #expect(error.code == .malformedPEM)
            #expect(error.description.contains("found: CERTIFICATE"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func pemEncodingIsCanonical() throws {
        let der = [UInt8](repeating: 0xab, count: 100)
        let pem = PEM.encode(type: "TEST", der: der)
        let lines = pem.split(separator: "\n")
        #expect(lines.first == "-----BEGIN TEST-----")
        #expect(lines[1].count == 64)
        #expect(lines.last == "-----END TEST-----")
        #expect(
            try PEM.decodeAll("junk before\n" + pem + pem.replacingOccurrences(of: "\n", with: "\r\n")) == [
                PEM.Block(type: "TEST", der: der), PEM.Block(type: "TEST", der: der),
            ])
        #expect(throws: PKIError.self) { try PEM.decodeAll("-----BEGIN A-----\nAAAA\n-----END B-----\n") }
        #expect(throws: PKIError.self) { try PEM.decodeAll("-----BEGIN A-----\n!!!!\n-----END A-----\n") }
    }

    @Test(arguments: PrimitivesTests.hashCases)
    func caCertHashParsing(text: String, valid: Bool) {
        do {
            let bytes = try parseCACertHash(text)
            #expect(valid)
            #expect(bytes.count == 32)
        } catch let error as PKIError {
            #expect(!valid)
            #expect(error.code == .invalidArgument)
            #expect(error.description.contains("sha256:<64 hex characters>"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func pinFormat() throws {
        let key = try PrivateKey.generate(.ecdsaP256)
        let now = Date()
        let ca = try CertificateIssuer.selfSignedCA(
            config: CertificateConfig(commonName: "kubernetes", notBefore: now, notAfter: now.addingTimeInterval(60)),
            key: key)
        let pin = caCertHash(ca)
        #expect(pin.hasPrefix("sha256:"))
        #expect(pin.count == 7 + 64)
        #expect(pin == pin.lowercased())
        #expect(
            try parseCACertHash(pin)
                == parseCACertHash(pin.uppercased().replacingOccurrences(of: "SHA256", with: "sha256")))
    }

    @Test(arguments: PrimitivesTests.residualCases)
    func residualTimeLikeShortHumanDuration(seconds: Double, expected: String) {
        #expect(CertExpiry.shortHumanDuration(seconds) == expected)
    }

    @Test func expiryDateFormat() {
        // 2026-08-19 09:03:27 UTC
        #expect(CertExpiry.formatDate(Date(timeIntervalSince1970: 1_787_130_207)) == "Aug 19, 2026 09:03 UTC")
        #expect(CertExpiry.formatDate(Date(timeIntervalSince1970: 0)) == "Jan 01, 1970 00:00 UTC")
    }

    @Test func errorDescriptionsNamePathAndOpenSSLQueue() {
        let error = PKIError(.keyMismatch, "does not match", path: "/x/apiserver.crt", openSSLErrors: ["error:1"])
        #expect(error.description == "/x/apiserver.crt: does not match (openssl: error:1)")
    }
}
