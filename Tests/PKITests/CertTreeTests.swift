import Foundation
import PKI
import Testing

@Suite("Certificate tree contents")
struct CertTreeTests {
    @Test func specsAreInKubeadmOrderWithCAsFirst() {
        let specs = CertTree.specs(includeEtcd: true)
        #expect(specs.map(\.name) == ExpectedCert.all.map(\.name))
        #expect(
            specs.map(\.baseName) == [
                "ca", "apiserver", "apiserver-kubelet-client", "front-proxy-ca", "front-proxy-client", "etcd/ca",
                "etcd/server", "etcd/peer", "etcd/healthcheck-client", "apiserver-etcd-client",
            ])
        for (index, spec) in specs.enumerated() where !spec.isCA {
            let caIndex = specs.firstIndex { $0.name == spec.caName }
            #expect((caIndex ?? .max) < index, "\(spec.name) must follow its CA")
        }
        #expect(
            CertTree.specs(includeEtcd: false).map(\.name)
                == ["ca", "apiserver", "apiserver-kubelet-client", "front-proxy-ca", "front-proxy-client"])
        #expect(CertTree.spec(named: "etcd/server")?.name == "etcd-server")
        #expect(CertTree.spec(named: "apiserver")?.longName == "certificate for serving the Kubernetes API")
    }

    @Test(arguments: [KeyAlgorithm.rsa2048, .ecdsaP256], ExpectedCert.all)
    func certificateMatchesKubeadmProfile(algorithm: KeyAlgorithm, expected: ExpectedCert) throws {
        let tree = try GeneratedTree.get(algorithm)
        let cert = try #require(tree.certificates[expected.name])
        let key = try #require(tree.keys[expected.name])

        #expect(cert.commonName == expected.commonName)
        #expect(cert.organizations == expected.organizations)
        #expect(cert.dnsNames == expected.dnsNames)
        #expect(cert.ipAddresses == expected.ipAddresses)
        #expect(cert.extendedKeyUsages == expected.usages)
        #expect(cert.isCA == expected.isCA)
        #expect(cert.basicConstraintsCritical)
        #expect(cert.keyUsageCritical)
        #expect(cert.keyUsage == (expected.isCA ? KeyUsage.certificateAuthority : KeyUsage.leaf))
        #expect(cert.version == 3)
        #expect(cert.signatureAlgorithm.lowercased().contains("sha256"))
        #expect(key.algorithm == algorithm)
        #expect(cert.matches(key))

        // Serial in [1, 2^63-1].
        let serial = try #require(UInt64(cert.serialNumber, radix: 16))
        #expect(serial >= 1 && serial <= UInt64(Int64.max))

        // Validity: back-dated 5 minutes; 1 year for leaves, 10 years for CAs.
        let now = tree.input.now
        #expect(cert.notBefore == now.addingTimeInterval(-300))
        let validity = expected.isCA ? 87600 * 3600.0 : 8760 * 3600.0
        #expect(cert.notAfter == now.addingTimeInterval(validity))

        #expect(!cert.subjectKeyIdentifier.isEmpty)
        if let issuerName = expected.issuer {
            let ca = try #require(tree.certificates[issuerName])
            #expect(cert.issuerCommonName == ca.commonName)
            #expect(cert.isSignedBy(ca))
            #expect(cert.authorityKeyIdentifier == ca.subjectKeyIdentifier)
            #expect(!cert.isSignedBy(cert))
        } else {
            #expect(cert.issuerCommonName == cert.commonName)
            #expect(cert.isSignedBy(cert))
            #expect(cert.authorityKeyIdentifier.isEmpty)
        }
    }

    @Test(arguments: [KeyAlgorithm.rsa2048, .ecdsaP256])
    func generationPrintsKubeadmLines(algorithm: KeyAlgorithm) throws {
        let tree = try GeneratedTree.get(algorithm)
        #expect(
            tree.lines == [
                #"[certs] Generating "ca" certificate and key"#,
                #"[certs] Generating "apiserver" certificate and key"#,
                "[certs] apiserver serving cert is signed for DNS names [*.apps.example.com api.example.com cp-1 "
                    + "k8s.example.com kubernetes kubernetes.default kubernetes.default.svc kubernetes.default.svc.cluster.local] "
                    + "and IPs [10.96.0.1 192.168.15.240 10.0.0.9 fd00::1]",
                #"[certs] Generating "apiserver-kubelet-client" certificate and key"#,
                #"[certs] Generating "front-proxy-ca" certificate and key"#,
                #"[certs] Generating "front-proxy-client" certificate and key"#,
                #"[certs] Generating "etcd/ca" certificate and key"#,
                #"[certs] Generating "etcd/server" certificate and key"#,
                "[certs] etcd/server serving cert is signed for DNS names [cp-1 etcd.example.com localhost] "
                    + "and IPs [192.168.15.240 127.0.0.1 ::1]",
                #"[certs] Generating "etcd/peer" certificate and key"#,
                "[certs] etcd/peer serving cert is signed for DNS names [cp-1 localhost] and IPs [192.168.15.240 127.0.0.1 ::1 10.1.1.1]",
                #"[certs] Generating "etcd/healthcheck-client" certificate and key"#,
                #"[certs] Generating "apiserver-etcd-client" certificate and key"#,
                #"[certs] Generating "sa" key and public key"#,
            ])
    }

    @Test func invalidExtraSANsAreDroppedWithKubeadmWarning() throws {
        var input = sampleInput()
        input.apiServerCertSANs = ["ok.example.com", "Bad_Name", "bad..dots", "-lead.example.com", "2001:db8::5"]
        input.controlPlaneEndpointHost = "10.20.30.40"
        let apiserver = try #require(CertTree.spec(named: "apiserver"))
        let (config, warnings) = apiserver.configWithWarnings(input)
        #expect(
            warnings == [
                "[certificates] WARNING: 'Bad_Name' was not added to the 'apiserver.crt' SAN, because it is not a valid IP or RFC-1123 compliant DNS entry",
                "[certificates] WARNING: 'bad..dots' was not added to the 'apiserver.crt' SAN, because it is not a valid IP or RFC-1123 compliant DNS entry",
                "[certificates] WARNING: '-lead.example.com' was not added to the 'apiserver.crt' SAN, because it is not a valid IP or RFC-1123 compliant DNS entry",
            ])
        #expect(config.dnsNames.contains("ok.example.com"))
        #expect(!config.dnsNames.contains("Bad_Name"))
        // The control-plane endpoint host is an IP here, so it lands among the IPs, after the defaults.
        #expect(config.ipAddresses == ["10.96.0.1", "192.168.15.240", "10.20.30.40", "2001:db8::5"])

        // ensure() prints the warning before the "Generating" line.
        try withTempDir { dir in
            var lines: [String] = []
            try CertStore(directory: dir.pki).ensure(specs: CertTree.specs(includeEtcd: false), input: input) {
                lines.append($0)
            }
            let warningIndex = try #require(lines.firstIndex { $0.contains("'Bad_Name'") })
            #expect(lines[warningIndex + 3] == #"[certs] Generating "apiserver" certificate and key"#)
        }
    }

    @Test func sanNormalisationDeduplicatesAndSorts() {
        #expect(SubjectAltNames.normalizedDNSNames(["b", "a", "b"]) == ["a", "b"])
        #expect(
            SubjectAltNames.normalizedIPs(["10.0.0.2", "::0001", "10.0.0.2", "::1", "::ffff:10.0.0.3"]) == [
                "10.0.0.2", "::1", "10.0.0.3",
            ])
    }

    @Test func duplicateSANsAreCollapsed() throws {
        var input = sampleInput()
        input.apiServerCertSANs = ["kubernetes", "cp-1", "192.168.15.240", "10.96.0.1"]
        input.controlPlaneEndpointHost = nil
        let config = try #require(CertTree.spec(named: "apiserver")).config(input)
        #expect(
            config.dnsNames == [
                "cp-1", "kubernetes", "kubernetes.default", "kubernetes.default.svc",
                "kubernetes.default.svc.cluster.local",
            ])
        #expect(config.ipAddresses == ["10.96.0.1", "192.168.15.240"])
    }

    @Test func validityPeriodsFollowInput() throws {
        var input = sampleInput()
        input.certificateValidity = 3600
        input.caCertificateValidity = 7200
        let ca = try #require(CertTree.spec(named: "ca")).config(input)
        let leaf = try #require(CertTree.spec(named: "front-proxy-client")).config(input)
        #expect(ca.notAfter == input.now.addingTimeInterval(7200))
        #expect(leaf.notAfter == input.now.addingTimeInterval(3600))
        #expect(ca.notBefore == input.now.addingTimeInterval(-300))
        #expect(leaf.notBefore == input.now.addingTimeInterval(-300))
    }
}
