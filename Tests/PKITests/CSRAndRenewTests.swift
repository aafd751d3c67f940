import Foundation
import PKI
import Testing

@Suite("CSRs and renewal")
struct CSRAndRenewTests {
    @Test(arguments: [KeyAlgorithm.ecdsaP256, .rsa2048])
    func csrRoundTripAndSigning(algorithm: KeyAlgorithm) throws {
        let caKey = try PrivateKey.generate(.ecdsaP256)
        let now = wholeSecondNow()
        let ca = try CertificateIssuer.selfSignedCA(
            config: CertificateConfig(
                commonName: "kubernetes", notBefore: now, notAfter: now.addingTimeInterval(86400)), key: caKey)
        let key = try PrivateKey.generate(algorithm)
        let csr = try CertificateSigningRequest.create(
            key: key, commonName: "system:node:worker-1", organizations: ["system:nodes"],
            dnsNames: ["worker-1", "worker-1"], ipAddresses: ["10.0.0.7", "::1"])
        let parsed = try CertificateSigningRequest(pem: csr.pem)
        #expect(parsed == csr)
        #expect(parsed.commonName == "system:node:worker-1")
        #expect(parsed.organizations == ["system:nodes"])
        #expect(parsed.dnsNames == ["worker-1"])
        #expect(parsed.ipAddresses == ["10.0.0.7", "::1"])
        #expect(parsed.publicKeyDER == key.publicKeyDER)
        #expect(parsed.verifySelfSignature())

        let notAfter = now.addingTimeInterval(3600)
        let cert = try CertificateIssuer.sign(
            csr: parsed, usages: [.clientAuth], notAfter: notAfter, caCert: ca, caKey: caKey, now: now)
        #expect(cert.commonName == "system:node:worker-1")
        #expect(cert.organizations == ["system:nodes"])
        #expect(cert.dnsNames == ["worker-1"])
        #expect(cert.ipAddresses == ["10.0.0.7", "::1"])
        #expect(cert.extendedKeyUsages == [.clientAuth])
        #expect(cert.notAfter == notAfter)
        #expect(cert.notBefore == now.addingTimeInterval(-300))
        #expect(cert.isSignedBy(ca))
        #expect(cert.matches(key))
        #expect(!cert.isCA)
    }

    @Test func tamperedCSRIsRejected() throws {
        let key = try PrivateKey.generate(.ecdsaP256)
        let csr = try CertificateSigningRequest.create(
            key: key, commonName: "system:node:a", organizations: ["system:nodes"])
        var der = csr.der
        // Flip a byte inside the subject CN ("a" → "b"): still parses, signature no longer verifies.
        let needle = Array("system:node:a".utf8)
        let start = try #require(der.indices.first { der[$0...].starts(with: needle) })
        der[start + needle.count - 1] = UInt8(ascii: "b")
        let tampered = try CertificateSigningRequest(der: der)
        #expect(tampered.commonName == "system:node:b")
        #expect(!tampered.verifySelfSignature())
        let caKey = try PrivateKey.generate(.ecdsaP256)
        let now = Date()
        let ca = try CertificateIssuer.selfSignedCA(
            config: CertificateConfig(commonName: "ca", notBefore: now, notAfter: now.addingTimeInterval(60)),
            key: caKey)
        #expect(throws: PKIError.self) {
            try CertificateIssuer.sign(
                csr: tampered, usages: [.clientAuth], notAfter: now.addingTimeInterval(60), caCert: ca, caKey: caKey)
        }
        #expect(throws: PKIError.self) {
            try CertificateSigningRequest(
                pem: "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n")
        }
    }

    @Test func issuingRequiresAMatchingCAKey() throws {
        let now = Date()
        let caKey = try PrivateKey.generate(.ecdsaP256)
        let ca = try CertificateIssuer.selfSignedCA(
            config: CertificateConfig(commonName: "ca", notBefore: now, notAfter: now.addingTimeInterval(60)),
            key: caKey)
        let leafConfig = CertificateConfig(
            commonName: "leaf", usages: [.clientAuth], notBefore: now, notAfter: now.addingTimeInterval(60))
        let leafKey = try PrivateKey.generate(.ecdsaP256)
        #expect(throws: PKIError.self) {
            try CertificateIssuer.issue(config: leafConfig, publicKeyOf: leafKey, caCert: ca, caKey: leafKey)
        }
        let leaf = try CertificateIssuer.issue(config: leafConfig, publicKeyOf: leafKey, caCert: ca, caKey: caKey)
        // A leaf cannot act as a CA.
        #expect(throws: PKIError.self) {
            try CertificateIssuer.issue(config: leafConfig, publicKeyOf: caKey, caCert: leaf, caKey: leafKey)
        }
        var badIP = leafConfig
        badIP.ipAddresses = ["300.1.1.1"]
        #expect(throws: PKIError.self) {
            try CertificateIssuer.issue(config: badIP, publicKeyOf: leafKey, caCert: ca, caKey: caKey)
        }
    }

    @Test(arguments: [KeyAlgorithm.ecdsaP256, .rsa2048])
    func renewKeepsCASubjectAndSANs(algorithm: KeyAlgorithm) throws {
        try withTempDir { dir in
            let store = CertStore(directory: dir.pki)
            let input = sampleInput(algorithm)
            try store.ensure(specs: CertTree.specs(includeEtcd: true), input: input)
            for name in ["apiserver", "etcd-server", "apiserver-kubelet-client"] {
                let spec = try #require(CertTree.spec(named: name))
                let (old, oldKey) = try store.load(spec)
                let caBefore = try bytes(
                    of: store.paths(for: try #require(CertTree.spec(named: spec.caName ?? ""))).cert)
                let later = input.now.addingTimeInterval(86400 * 30)
                let renewed = try store.renew(spec, now: later, validity: 8760 * 3600)
                let (loaded, newKey) = try store.load(spec)
                #expect(loaded == renewed)
                #expect(renewed.commonName == old.commonName)
                #expect(renewed.organizations == old.organizations)
                #expect(renewed.dnsNames == old.dnsNames)
                #expect(renewed.ipAddresses == old.ipAddresses)
                #expect(renewed.extendedKeyUsages == old.extendedKeyUsages)
                #expect(renewed.serialNumber != old.serialNumber)
                #expect(renewed.notAfter == later.addingTimeInterval(8760 * 3600))
                #expect(newKey.publicKeyDER != oldKey.publicKeyDER)
                #expect(newKey.algorithm == algorithm)
                #expect(renewed.isSignedBy(try store.loadCA(named: spec.caName ?? "").certificate))
                #expect(
                    try bytes(of: store.paths(for: try #require(CertTree.spec(named: spec.caName ?? ""))).cert)
                        == caBefore)
                #expect(try mode(of: store.paths(for: spec).key) == 0o600)
                #expect(try mode(of: store.paths(for: spec).cert) == 0o644)
            }
            // The renewed tree is still accepted as-is.
            var laterInput = input
            laterInput.now = input.now.addingTimeInterval(86400 * 30)
            let events = try store.ensure(specs: CertTree.specs(includeEtcd: true), input: laterInput)
            #expect(events.allSatisfy { $0.kind == .reused })
        }
    }

    @Test func certificateAuthoritiesAreNotRenewable() throws {
        try withTempDir { dir in
            let store = CertStore(directory: dir.pki)
            try store.ensure(specs: CertTree.specs(includeEtcd: false), input: sampleInput())
            do {
                try store.renew(try #require(CertTree.spec(named: "front-proxy-ca")))
                Issue.record("renewing a CA must fail")
            } catch let error as PKIError {
                #expect(error.code == .notRenewable)
                #expect(error.description.contains("does not renew certificate authorities"))
            }
        }
    }
}
