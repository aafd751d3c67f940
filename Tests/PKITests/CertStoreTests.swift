import Foundation
import Manifests
import PKI
import Testing

@Suite("CertStore: files, reuse and validation")
struct CertStoreTests {
    /// Generates a full ECDSA tree (fast) into `dir` and returns the store and input.
    @discardableResult
    func generate(in dir: TempDir, input: CertTreeInput = sampleInput()) throws -> (CertStore, CertTreeInput) {
        let store = CertStore(directory: dir.pki)
        try store.ensure(specs: CertTree.specs(includeEtcd: true), input: input, includeServiceAccountKey: true)
        return (store, input)
    }

    func expectError(_ code: PKIError.Code, mentioning fragments: [String], _ body: () throws -> Void) {
        do {
            try body()
            Issue.record("expected a \(code) error")
        } catch let error as PKIError {
            #expect(error.code == code, "\(error)")
            for fragment in fragments {
                #expect(error.description.contains(fragment), "'\(fragment)' missing from: \(error)")
            }
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test(arguments: [KeyAlgorithm.rsa2048, .ecdsaP256])
    func writesFilesWithKubeadmModesAndPEMTypes(algorithm: KeyAlgorithm) throws {
        try withTempDir { dir in
            let (store, _) = try generate(in: dir, input: sampleInput(algorithm))
            #expect(try mode(of: dir.pki) == 0o755)
            #expect(try mode(of: dir.pki.appendingPathComponent("etcd")) == 0o755)
            let keyHeader =
                algorithm == .ecdsaP256 ? "-----BEGIN EC PRIVATE KEY-----\n" : "-----BEGIN RSA PRIVATE KEY-----\n"
            for spec in CertTree.specs(includeEtcd: true) {
                let (cert, key) = store.paths(for: spec)
                #expect(try mode(of: cert) == 0o644, "\(cert.path)")
                #expect(try mode(of: key) == 0o600, "\(key.path)")
                #expect(try text(of: cert).hasPrefix("-----BEGIN CERTIFICATE-----\n"))
                #expect(try text(of: key).hasPrefix(keyHeader))
            }
            let (saKey, saPub) = store.serviceAccountKeyPaths
            #expect(try mode(of: saKey) == 0o600)
            #expect(try mode(of: saPub) == 0o600)
            #expect(try text(of: saKey).hasPrefix(keyHeader))
            #expect(try text(of: saPub).hasPrefix("-----BEGIN PUBLIC KEY-----\n"))
            let sa = try PrivateKey(pem: text(of: saKey))
            #expect(sa.algorithm == algorithm)
            #expect(try text(of: saPub) == sa.publicKeyPEM)
            // No temporary files are left behind.
            #expect(try snapshot(dir.pki).keys.allSatisfy { !$0.contains(".tmp-") })
        }
    }

    @Test func secondRunReusesEverythingByteForByte() throws {
        try withTempDir { dir in
            let (store, input) = try generate(in: dir)
            let before = try snapshot(dir.pki)
            #expect(before.count == 22)
            var later = input
            later.now = input.now.addingTimeInterval(3600)
            var lines: [String] = []
            let events = try store.ensure(
                specs: CertTree.specs(includeEtcd: true), input: later, includeServiceAccountKey: true
            ) {
                lines.append($0)
            }
            #expect(try snapshot(dir.pki) == before)
            #expect(events.allSatisfy { $0.kind == .reused })
            #expect(
                lines == [
                    "[certs] Using existing ca certificate authority",
                    "[certs] Using existing apiserver certificate and key on disk",
                    "[certs] Using existing apiserver-kubelet-client certificate and key on disk",
                    "[certs] Using existing front-proxy-ca certificate authority",
                    "[certs] Using existing front-proxy-client certificate and key on disk",
                    "[certs] Using existing etcd/ca certificate authority",
                    "[certs] Using existing etcd/server certificate and key on disk",
                    "[certs] Using existing etcd/peer certificate and key on disk",
                    "[certs] Using existing etcd/healthcheck-client certificate and key on disk",
                    "[certs] Using existing apiserver-etcd-client certificate and key on disk",
                    #"[certs] Using the existing "sa" key"#,
                ])
        }
    }

    @Test func missingLeafIsRegeneratedWithExistingCA() throws {
        try withTempDir { dir in
            let (store, input) = try generate(in: dir)
            let spec = try #require(CertTree.spec(named: "front-proxy-client"))
            let (cert, key) = store.paths(for: spec)
            try FileManager.default.removeItem(at: cert)
            try FileManager.default.removeItem(at: key)
            let caBefore = try bytes(of: store.paths(for: try #require(CertTree.spec(named: "front-proxy-ca"))).cert)
            let events = try store.ensure(specs: CertTree.specs(includeEtcd: true), input: input)
            #expect(events.filter { $0.kind == .generated }.map(\.name) == ["front-proxy-client"])
            #expect(
                try bytes(of: store.paths(for: try #require(CertTree.spec(named: "front-proxy-ca"))).cert) == caBefore)
            let (leaf, _) = try store.load(spec)
            #expect(leaf.isSignedBy(try store.loadCA(named: "front-proxy-ca").certificate))
        }
    }

    @Test func mismatchedKeyIsReportedWithBothFileNames() throws {
        try withTempDir { dir in
            let (store, input) = try generate(in: dir)
            let apiserver = try #require(CertTree.spec(named: "apiserver"))
            let (cert, key) = store.paths(for: apiserver)
            try Data(PrivateKey.generate(.ecdsaP256).pem.utf8).write(to: key)
            expectError(
                .keyMismatch,
                mentioning: [
                    "\(cert.path): certificate does not match private key \(key.path); remove both files to have them regenerated"
                ]
            ) {
                try store.ensure(specs: CertTree.specs(includeEtcd: true), input: input)
            }
        }
    }

    @Test(arguments: ["crt", "key"])
    func corruptPEMIsReportedWithFileName(ext: String) throws {
        try withTempDir { dir in
            let (store, input) = try generate(in: dir)
            let spec = try #require(CertTree.spec(named: "etcd-peer"))
            let url = ext == "crt" ? store.paths(for: spec).cert : store.paths(for: spec).key
            let original = try text(of: url)
            // Truncate mid-block: no END line.
            try Data(original.prefix(80).utf8).write(to: url)
            expectError(.malformedPEM, mentioning: [url.path, "no END line"]) {
                try store.ensure(specs: CertTree.specs(includeEtcd: true), input: input)
            }
            // Garbage inside a well-formed block.
            let header = ext == "crt" ? "CERTIFICATE" : "EC PRIVATE KEY"
            try Data("-----BEGIN \(header)-----\nAAAA\n-----END \(header)-----\n".utf8).write(to: url)
            expectError(.malformedData, mentioning: [url.path, "remove"]) {
                try store.ensure(specs: CertTree.specs(includeEtcd: true), input: input)
            }
        }
    }

    @Test func existingServingCertMissingARequiredSANIsAnError() throws {
        try withTempDir { dir in
            let (store, input) = try generate(in: dir)
            var changed = input
            changed.apiServerCertSANs.append("new.example.com")
            changed.advertiseAddress = "192.168.15.241"
            let cert = store.paths(for: try #require(CertTree.spec(named: "apiserver"))).cert.path
            expectError(.missingSAN, mentioning: [cert, "DNS:new.example.com", "IP:192.168.15.241", "remove"]) {
                try store.ensure(specs: CertTree.specs(includeEtcd: true), input: changed)
            }
        }
    }

    @Test func halfAPairNamesTheMissingFile() throws {
        try withTempDir { dir in
            let (store, input) = try generate(in: dir)
            let spec = try #require(CertTree.spec(named: "apiserver-kubelet-client"))
            let (cert, key) = store.paths(for: spec)
            let keyText = try text(of: key)
            try FileManager.default.removeItem(at: key)
            expectError(.missingFile, mentioning: ["\(key.path): private key is missing", cert.path]) {
                try store.ensure(specs: CertTree.specs(includeEtcd: true), input: input)
            }
            try Data(keyText.utf8).write(to: key)
            let certText = try text(of: cert)
            try FileManager.default.removeItem(at: cert)
            expectError(.missingFile, mentioning: ["\(cert.path): certificate is missing", key.path]) {
                try store.ensure(specs: CertTree.specs(includeEtcd: true), input: input)
            }
            // A CA key without its certificate.
            try Data(certText.utf8).write(to: cert)
            let caCert = store.paths(for: try #require(CertTree.spec(named: "etcd-ca"))).cert
            try FileManager.default.removeItem(at: caCert)
            expectError(.missingFile, mentioning: [caCert.path]) {
                try store.ensure(specs: CertTree.specs(includeEtcd: true), input: input)
            }
        }
    }

    @Test func externalCAModeReusesLeavesAndRequiresThem() throws {
        try withTempDir { dir in
            let (store, input) = try generate(in: dir)
            let ca = try #require(CertTree.spec(named: "ca"))
            try FileManager.default.removeItem(at: store.paths(for: ca).key)
            var lines: [String] = []
            let events = try store.ensure(specs: CertTree.specs(includeEtcd: false), input: input) { lines.append($0) }
            #expect(lines.first == "[certs] Using existing ca keyless certificate authority")
            #expect(events.first?.kind == .reusedKeylessCA)
            #expect(try store.loadCA(named: "ca").key == nil)

            let apiserver = store.paths(for: try #require(CertTree.spec(named: "apiserver")))
            try FileManager.default.removeItem(at: apiserver.cert)
            try FileManager.default.removeItem(at: apiserver.key)
            expectError(.externalCA, mentioning: [apiserver.cert.path, store.paths(for: ca).key.path, "external CA"]) {
                try store.ensure(specs: CertTree.specs(includeEtcd: false), input: input)
            }
            expectError(.externalCA, mentioning: ["apiserver-kubelet-client.crt", "with your external CA"]) {
                try store.renew(try #require(CertTree.spec(named: "apiserver-kubelet-client")))
            }
        }
    }

    @Test func leafFromAnotherCAIsRejected() throws {
        try withTempDir { dir in
            try withTempDir { other in
                let (store, input) = try generate(in: dir)
                try generate(in: other, input: input)
                let spec = try #require(CertTree.spec(named: "front-proxy-client"))
                let mine = store.paths(for: spec)
                let theirs = CertStore(directory: other.pki).paths(for: spec)
                try FileManager.default.removeItem(at: mine.cert)
                try FileManager.default.removeItem(at: mine.key)
                try FileManager.default.copyItem(at: theirs.cert, to: mine.cert)
                try FileManager.default.copyItem(at: theirs.key, to: mine.key)
                expectError(.notSignedByCA, mentioning: [mine.cert.path, "front-proxy-ca"]) {
                    try store.ensure(specs: CertTree.specs(includeEtcd: true), input: input)
                }
                // Leaves present while their CA is missing entirely: the new CA cannot have signed them.
                let ca = store.paths(for: try #require(CertTree.spec(named: "front-proxy-ca")))
                try FileManager.default.removeItem(at: ca.cert)
                try FileManager.default.removeItem(at: ca.key)
                expectError(.notSignedByCA, mentioning: [mine.cert.path, "being generated now"]) {
                    try store.ensure(specs: CertTree.specs(includeEtcd: true), input: input)
                }
                #expect(
                    !FileManager.default.fileExists(atPath: ca.cert.path),
                    "nothing may be written when validation fails")
            }
        }
    }

    @Test func expiredLeafIsAnError() throws {
        try withTempDir { dir in
            let past = wholeSecondNow().addingTimeInterval(-2 * 365 * 86400)
            let (store, input) = try generate(in: dir, input: sampleInput(now: past))
            var today = input
            today.now = wholeSecondNow()
            let cert = store.paths(for: try #require(CertTree.spec(named: "apiserver"))).cert
            expectError(.expired, mentioning: [cert.path, "expired on", "kubeadm certs renew apiserver"]) {
                try store.ensure(specs: CertTree.specs(includeEtcd: false), input: today)
            }
        }
    }

    @Test func singlePhaseNeedsItsCAOnDisk() throws {
        try withTempDir { dir in
            let store = CertStore(directory: dir.pki)
            let input = sampleInput()
            let apiserver = try #require(CertTree.spec(named: "apiserver"))
            expectError(
                .missingFile,
                mentioning: [
                    store.paths(for: try #require(CertTree.spec(named: "ca"))).cert.path, "kubeadm init phase certs ca",
                ]
            ) {
                try store.ensure(specs: [apiserver], input: input)
            }
            try store.ensure(specs: [try #require(CertTree.spec(named: "ca"))], input: input)
            var lines: [String] = []
            try store.ensure(specs: [apiserver], input: input) { lines.append($0) }
            #expect(lines.first == #"[certs] Generating "apiserver" certificate and key"#)
            let (leaf, _) = try store.load(apiserver)
            #expect(leaf.isSignedBy(try store.loadCA(named: "ca").certificate))
        }
    }

    @Test func failureMidwayLeavesOnlyCompletePairs() throws {
        try withTempDir { dir in
            let store = CertStore(directory: dir.pki)
            try FileManager.default.createDirectory(at: dir.pki, withIntermediateDirectories: true)
            // A regular file where the etcd directory must go makes the run fail after the first CAs.
            try Data("not a directory".utf8).write(to: dir.pki.appendingPathComponent("etcd"))
            let error = #expect(throws: AtomicFile.WriteError.self) {
                try store.ensure(specs: CertTree.specs(includeEtcd: true), input: sampleInput())
            }
            #expect(error?.path == dir.pki.appendingPathComponent("etcd").path)
            let files = try snapshot(dir.pki)
            #expect(files.keys.allSatisfy { !$0.contains(".tmp-") })
            for spec in CertTree.specs(includeEtcd: false) {
                #expect((try? store.load(spec)) != nil, "\(spec.name) should be complete")
            }
        }
    }

    @Test func serviceAccountKeyHandling() throws {
        try withTempDir { dir in
            let store = CertStore(directory: dir.pki)
            var lines: [String] = []
            #expect(try store.ensureServiceAccountKey(algorithm: .rsa2048) { lines.append($0) }.kind == .generated)
            let (key, pub) = store.serviceAccountKeyPaths
            #expect(try PrivateKey(pem: text(of: key)).algorithmName == "RSA-2048")
            let before = try snapshot(dir.pki)
            #expect(try store.ensureServiceAccountKey(algorithm: .rsa2048) { lines.append($0) }.kind == .reused)
            #expect(try snapshot(dir.pki) == before)
            #expect(lines == [#"[certs] Generating "sa" key and public key"#, #"[certs] Using the existing "sa" key"#])

            // A lost sa.pub is re-derived from sa.key.
            try FileManager.default.removeItem(at: pub)
            try store.ensureServiceAccountKey(algorithm: .rsa2048)
            #expect(try snapshot(dir.pki) == before)
            #expect(try mode(of: pub) == 0o600)

            // A sa.pub of another key is an error naming sa.pub.
            try Data(PrivateKey.generate(.ecdsaP256).publicKeyPEM.utf8).write(to: pub)
            expectError(.keyMismatch, mentioning: [pub.path]) { try store.ensureServiceAccountKey(algorithm: .rsa2048) }

            try Data("garbage".utf8).write(to: key)
            expectError(.malformedPEM, mentioning: [key.path]) {
                try store.ensureServiceAccountKey(algorithm: .rsa2048)
            }
        }
    }

    @Test func checkExpirationRows() throws {
        try withTempDir { dir in
            let (store, input) = try generate(in: dir)
            // A minute after generation, like kubeadm's "364d" / "9y" right after init.
            let report = store.checkExpiration(
                specs: CertTree.specs(includeEtcd: true), now: input.now.addingTimeInterval(60))
            #expect(report.problems.isEmpty)
            #expect(
                report.certificates.map(\.name) == [
                    "apiserver", "apiserver-etcd-client", "apiserver-kubelet-client", "etcd-healthcheck-client",
                    "etcd-peer",
                    "etcd-server", "front-proxy-client",
                ])
            #expect(report.authorities.map(\.name) == ["ca", "etcd-ca", "front-proxy-ca"])
            #expect(report.certificates.allSatisfy { $0.residual == "364d" && !$0.externallyManaged })
            #expect(report.authorities.allSatisfy { $0.residual == "9y" && $0.caName.isEmpty })
            #expect(report.certificates.first?.caName == "ca")
            #expect(
                report.certificates.first?.expires == CertExpiry.formatDate(input.now.addingTimeInterval(8760 * 3600)))

            try FileManager.default.removeItem(at: store.paths(for: try #require(CertTree.spec(named: "etcd-ca"))).key)
            try FileManager.default.removeItem(
                at: store.paths(for: try #require(CertTree.spec(named: "apiserver"))).cert)
            let after = store.checkExpiration(specs: CertTree.specs(includeEtcd: true), now: input.now)
            #expect(after.problems.count == 1)
            #expect(after.authorities.first { $0.name == "etcd-ca" }?.externallyManaged == true)
            #expect(after.certificates.first { $0.name == "etcd-server" }?.externallyManaged == true)
            #expect(after.certificates.first { $0.name == "front-proxy-client" }?.externallyManaged == false)
        }
    }
}

@Suite("KeyPool and per-phase runs")
struct KeyPoolTests {
    @Test func poolHandsOutDistinctKeysAndFallsBackToInline() throws {
        let pool = KeyPool(algorithm: .ecdsaP256, count: 3)
        let keys = try (0..<5).map { _ in try pool.take() }
        #expect(Set(keys.map(\.publicKeyDER)).count == 5)
        #expect(keys.allSatisfy { $0.algorithm == .ecdsaP256 })
    }

    @Test func perPhaseRunsWithPrefetchedKeysMatchOneShotRun() throws {
        try withTempDir { dir in
            let store = CertStore(directory: dir.pki)
            let input = sampleInput(.ecdsaP256)
            let specs = CertTree.specs(includeEtcd: true)
            #expect(store.keysNeeded(specs: specs, includeServiceAccountKey: true) == 11)
            let pool = store.prefetchKeys(specs: specs, algorithm: input.algorithm, includeServiceAccountKey: true)
            var lines: [String] = []
            for spec in specs {
                try store.ensure(specs: [spec], input: input, keyPool: pool) { lines.append($0) }
            }
            try store.ensureServiceAccountKey(algorithm: input.algorithm, keyPool: pool) { lines.append($0) }
            #expect(lines == (try GeneratedTree.get(.ecdsaP256)).lines)
            #expect(store.keysNeeded(specs: specs, includeServiceAccountKey: true) == 0)
            let keys = try specs.map { try store.load($0).key.publicKeyDER }
            #expect(Set(keys).count == specs.count)
        }
    }
}
