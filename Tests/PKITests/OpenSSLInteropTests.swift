import Foundation
import PKI
import Testing

/// Cross-checks against the real `openssl` CLI, so we are not only testing ourselves with ourselves.
@Suite("Interoperability with the openssl CLI")
struct OpenSSLInteropTests {
    @Test(arguments: [KeyAlgorithm.rsa2048, .ecdsaP256])
    func opensslVerifiesEveryLeafAgainstItsCA(algorithm: KeyAlgorithm) throws {
        try withTempDir { dir in
            let store = CertStore(directory: dir.pki)
            let specs = CertTree.specs(includeEtcd: true)
            try store.ensure(specs: specs, input: sampleInput(algorithm))
            for spec in specs {
                let (cert, key) = store.paths(for: spec)
                let caSpec = try #require(CertTree.spec(named: spec.caName ?? spec.name))
                let certificate = try Certificate(pem: text(of: cert))
                let purpose =
                    spec.isCA
                    ? []
                    : ["-purpose", certificate.extendedKeyUsages.contains(.serverAuth) ? "sslserver" : "sslclient"]
                let result = try run(
                    ["openssl", "verify"] + purpose + ["-CAfile", store.paths(for: caSpec).cert.path, cert.path])
                #expect(result.status == 0, "\(result.stdout) \(result.stderr)")
                #expect(result.stdout.hasSuffix(": OK\n"))
                // The key files are readable by openssl and belong to the certificate.
                let fromKey = try run(["openssl", "pkey", "-in", key.path, "-pubout"])
                let fromCert = try run(["openssl", "x509", "-in", cert.path, "-noout", "-pubkey"])
                #expect(fromKey.status == 0 && fromKey.stdout == fromCert.stdout)
            }
        }
    }

    @Test func opensslRejectsLeafWithWrongCA() throws {
        try withTempDir { dir in
            let store = CertStore(directory: dir.pki)
            try store.ensure(specs: CertTree.specs(includeEtcd: true), input: sampleInput())
            let result = try run([
                "openssl", "verify", "-CAfile",
                store.paths(for: try #require(CertTree.spec(named: "etcd-ca"))).cert.path,
                store.paths(for: try #require(CertTree.spec(named: "apiserver"))).cert.path,
            ])
            #expect(result.status != 0)
        }
    }

    @Test(arguments: [KeyAlgorithm.rsa2048, .ecdsaP256])
    func pinMatchesOpensslPipeline(algorithm: KeyAlgorithm) throws {
        try withTempDir { dir in
            let store = CertStore(directory: dir.pki)
            let ca = try #require(CertTree.spec(named: "ca"))
            try store.ensure(specs: [ca], input: sampleInput(algorithm))
            let caCert = store.paths(for: ca).cert
            // openssl x509 -pubkey -noout -in ca.crt | openssl pkey -pubin -outform der | openssl dgst -sha256
            let pubkey = try run(["openssl", "x509", "-pubkey", "-noout", "-in", caCert.path])
            let der = try runBinary(["openssl", "pkey", "-pubin", "-outform", "der"], stdin: Array(pubkey.stdout.utf8))
            let digest = try run(["openssl", "dgst", "-sha256"], stdin: der)
            let hex = try #require(digest.stdout.split(separator: "=").last).trimmingCharacters(
                in: .whitespacesAndNewlines)
            let cert = try Certificate(pem: text(of: caCert))
            #expect(caCertHash(cert) == "sha256:" + hex)
            #expect(try parseCACertHash(caCertHash(cert)).count == 32)
            #expect(cert.subjectPublicKeyInfoDER == der)
        }
    }

    @Test func opensslShowsKubeadmExtensions() throws {
        try withTempDir { dir in
            let store = CertStore(directory: dir.pki)
            try store.ensure(specs: CertTree.specs(includeEtcd: false), input: sampleInput(.ecdsaP256))
            let ca = try run([
                "openssl", "x509", "-noout", "-text", "-in",
                store.paths(for: try #require(CertTree.spec(named: "ca"))).cert.path,
            ])
            #expect(ca.stdout.contains("X509v3 Basic Constraints: critical\n                CA:TRUE"))
            #expect(
                ca.stdout.contains(
                    "X509v3 Key Usage: critical\n                Digital Signature, Key Encipherment, Certificate Sign")
            )
            #expect(ca.stdout.contains("DNS:kubernetes"))
            #expect(ca.stdout.contains("Version: 3 (0x2)"))
            let leaf = try run([
                "openssl", "x509", "-noout", "-text", "-in",
                store.paths(for: try #require(CertTree.spec(named: "apiserver-kubelet-client"))).cert.path,
            ])
            #expect(leaf.stdout.contains("X509v3 Basic Constraints: critical\n                CA:FALSE"))
            #expect(
                leaf.stdout.contains(
                    "X509v3 Key Usage: critical\n                Digital Signature, Key Encipherment\n"))
            #expect(leaf.stdout.contains("TLS Web Client Authentication"))
            #expect(leaf.stdout.contains("Subject: O = kubeadm:cluster-admins, CN = kube-apiserver-kubelet-client"))
            #expect(leaf.stdout.contains("ecdsa-with-SHA256"))
            #expect(leaf.stdout.contains("X509v3 Authority Key Identifier"))
        }
    }

    @Test func pkcs8KeysFromOpensslAreAcceptedAndReencodedTraditionally() throws {
        try withTempDir { dir in
            let path = dir.url.appendingPathComponent("k.pem").path
            for algorithm in [
                ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"],
                ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"],
            ] {
                let generated = try run(["openssl", "genpkey"] + algorithm + ["-out", path])
                #expect(generated.status == 0, "\(generated.stderr)")
                let pkcs8 = try text(of: URL(fileURLWithPath: path))
                #expect(pkcs8.hasPrefix("-----BEGIN PRIVATE KEY-----"))
                let key = try PrivateKey(pem: pkcs8)
                let traditional = key.pem
                #expect(
                    traditional.hasPrefix(
                        key.isRSA ? "-----BEGIN RSA PRIVATE KEY-----" : "-----BEGIN EC PRIVATE KEY-----"))
                #expect(try PrivateKey(pem: traditional).publicKeyDER == key.publicKeyDER)
                let viaCLI = try run(["openssl", "pkey", "-in", path, "-pubout"])
                #expect(viaCLI.stdout == key.publicKeyPEM)
            }
        }
    }

    @Test func opensslAcceptsOurCSR() throws {
        try withTempDir { dir in
            let key = try PrivateKey.generate(.rsa2048)
            let csr = try CertificateSigningRequest.create(
                key: key, commonName: "system:node:cp-1", organizations: ["system:nodes"], dnsNames: ["cp-1"],
                ipAddresses: ["10.0.0.1"])
            let path = dir.url.appendingPathComponent("node.csr")
            try Data(csr.pem.utf8).write(to: path)
            let result = try run(["openssl", "req", "-verify", "-noout", "-text", "-in", path.path])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains("O = system:nodes, CN = system:node:cp-1"))
            #expect(result.stdout.contains("DNS:cp-1, IP Address:10.0.0.1"))
        }
    }
}

/// Like `run`, but returns stdout as raw bytes (for DER output).
func runBinary(_ arguments: [String], stdin: [UInt8]) throws -> [UInt8] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    let out = Pipe()
    let input = Pipe()
    process.standardOutput = out
    process.standardInput = input
    try process.run()
    input.fileHandleForWriting.write(Data(stdin))
    try input.fileHandleForWriting.close()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return [UInt8](data)
}
