import COpenSSL
import Foundation

/// Creates certificates with kubeadm's profile.
///
/// Every certificate is X.509 v3 with a random serial in [1, 2^63-1], a SHA-256 signature, a
/// critical `basicConstraints`, a critical `keyUsage` (DigitalSignature|KeyEncipherment, plus
/// CertSign for CAs, for RSA and ECDSA alike), the requested extended key usages, a subject key
/// identifier, an authority key identifier on CA-signed certificates, and the SANs from the config
/// (DNS names de-duplicated and sorted, IPs de-duplicated in order).
public enum CertificateIssuer {
    /// Creates a self-signed certificate authority. The CN is also added as a DNS SAN, as kubeadm does.
    /// - Parameters:
    ///   - config: Subject and validity; `isCA` is implied.
    ///   - key: The CA's key pair; signs the certificate and is its subject key.
    public static func selfSignedCA(config: CertificateConfig, key: PrivateKey) throws -> Certificate {
        var config = config
        config.isCA = true
        config.dnsNames = [config.commonName] + config.dnsNames
        return try build(config: config, subjectPublicKey: key.pkey, issuer: nil, signingKey: key)
    }

    /// Issues a certificate for `key`'s public half, signed by `caCert`/`caKey`.
    /// - Parameters:
    ///   - config: Subject, SANs, usages and validity of the new certificate.
    ///   - key: The subject's key pair (only the public key is used).
    ///   - caCert: The issuing CA certificate (must be a CA).
    ///   - caKey: The issuing CA's private key (must match `caCert`).
    public static func issue(
        config: CertificateConfig, publicKeyOf key: PrivateKey, caCert: Certificate, caKey: PrivateKey
    ) throws -> Certificate {
        try checkIssuer(caCert: caCert, caKey: caKey)
        let issuer = try Certificate.decode(caCert.der)
        defer { X509_free(issuer) }
        return try build(config: config, subjectPublicKey: key.pkey, issuer: issuer, signingKey: caKey)
    }

    /// Signs a certificate signing request, as the Kubernetes CSR signer does for kubelet client and
    /// serving certificates: subject (CN, O) and SANs come from the request; usages and validity are
    /// the signer's choice.
    /// - Parameters:
    ///   - csr: The request; its self-signature must verify.
    ///   - usages: Extended key usages to grant.
    ///   - notAfter: End of validity.
    ///   - caCert: Issuing CA certificate.
    ///   - caKey: Issuing CA key.
    ///   - now: Current time; NotBefore is back-dated 5 minutes from it.
    public static func sign(
        csr: CertificateSigningRequest, usages: [ExtendedKeyUsage], notAfter: Date,
        caCert: Certificate, caKey: PrivateKey, now: Date = Date()
    ) throws -> Certificate {
        guard csr.verifySelfSignature() else {
            throw PKIError(
                .invalidArgument, "the certificate signing request's signature does not verify; refusing to sign it")
        }
        try checkIssuer(caCert: caCert, caKey: caKey)
        let request = try CertificateSigningRequest.decode(csr.der)
        defer { X509_REQ_free(request) }
        guard let publicKey = X509_REQ_get0_pubkey(request) else {
            throw PKIError.openSSL("the certificate signing request has no usable public key")
        }
        let issuer = try Certificate.decode(caCert.der)
        defer { X509_free(issuer) }
        let config = CertificateConfig(
            commonName: csr.commonName, organizations: csr.organizations,
            dnsNames: csr.dnsNames, ipAddresses: csr.ipAddresses, usages: usages, isCA: false,
            notBefore: now.addingTimeInterval(-certificateBackdate), notAfter: notAfter)
        return try build(config: config, subjectPublicKey: publicKey, issuer: issuer, signingKey: caKey)
    }

    /// kubeadm's `CertificateBackdate`: NotBefore lies this far before "now" to absorb clock skew.
    public static let certificateBackdate: TimeInterval = 5 * 60

    // MARK: Building

    private static func checkIssuer(caCert: Certificate, caKey: PrivateKey) throws {
        guard caCert.isCA else {
            throw PKIError(
                .invalidArgument, "certificate '\(caCert.commonName)' is not a CA and cannot sign certificates")
        }
        guard caCert.matches(caKey) else {
            throw PKIError(
                .keyMismatch, "the private key given for CA '\(caCert.commonName)' does not match its certificate")
        }
    }

    /// Random serial in [1, 2^63-1], like kubeadm's `rand.Int(rand.Reader, MaxInt64)` (+1).
    private static func randomSerial() throws -> UInt64 {
        while true {
            var bytes = [UInt8](repeating: 0, count: 8)
            guard RAND_bytes(&bytes, Int32(bytes.count)) == 1 else { throw PKIError.openSSL("RAND_bytes failed") }
            let value = bytes.reduce(UInt64(0)) { ($0 << 8) | UInt64($1) } & 0x7fff_ffff_ffff_ffff
            if value != 0 { return value }
        }
    }

    /// Builds and signs one certificate.
    /// - Parameters:
    ///   - config: Fields of the new certificate.
    ///   - subjectPublicKey: `EVP_PKEY*` whose public half is certified (borrowed).
    ///   - issuer: Issuer `X509*` (borrowed), or `nil` for self-signed.
    ///   - signingKey: Key that signs (the issuer's, or the subject's own when self-signed).
    private static func build(
        config: CertificateConfig, subjectPublicKey: OpaquePointer, issuer: OpaquePointer?, signingKey: PrivateKey
    ) throws -> Certificate {
        let dnsNames = SubjectAltNames.normalizedDNSNames(config.dnsNames)
        if let bad = config.ipAddresses.first(where: { SubjectAltNames.canonicalIP($0) == nil }) {
            throw PKIError(.invalidArgument, "'\(bad)' is not a valid IP address for a subject alternative name")
        }
        let ipAddresses = SubjectAltNames.normalizedIPs(config.ipAddresses)
        guard config.notBefore < config.notAfter else {
            throw PKIError(.invalidArgument, "certificate '\(config.commonName)' would expire before it becomes valid")
        }

        OpenSSLErrorQueue.clear()
        guard let x509 = X509_new() else { throw PKIError.openSSL("cannot allocate X509") }
        defer { X509_free(x509) }

        guard X509_set_version(x509, Int(X509_VERSION_3)) == 1,
            ASN1_INTEGER_set_uint64(X509_get_serialNumber(x509), try randomSerial()) == 1
        else { throw PKIError.openSSL("cannot set certificate version/serial") }

        let subject = try DistinguishedName.make(commonName: config.commonName, organizations: config.organizations)
        defer { X509_NAME_free(subject) }
        let issuerName = issuer.map { X509_get_subject_name($0) } ?? subject
        guard X509_set_subject_name(x509, subject) == 1, X509_set_issuer_name(x509, issuerName) == 1 else {
            throw PKIError.openSSL("cannot set certificate subject/issuer")
        }

        guard ASN1_TIME_set(X509_getm_notBefore(x509), time_t(config.notBefore.timeIntervalSince1970)) != nil,
            ASN1_TIME_set(X509_getm_notAfter(x509), time_t(config.notAfter.timeIntervalSince1970)) != nil
        else { throw PKIError.openSSL("cannot set certificate validity") }

        guard X509_set_pubkey(x509, subjectPublicKey) == 1 else {
            throw PKIError.openSSL("cannot set certificate public key")
        }

        var context = X509V3_CTX()
        X509V3_set_ctx(&context, issuer ?? x509, x509, nil, nil, 0)
        func add(_ nid: Int32, _ value: String) throws {
            guard let ext = X509V3_EXT_nconf_nid(nil, &context, nid, value) else {
                throw PKIError.openSSL("cannot create certificate extension \(value)")
            }
            defer { X509_EXTENSION_free(ext) }
            guard X509_add_ext(x509, ext, -1) == 1 else {
                throw PKIError.openSSL("cannot add certificate extension \(value)")
            }
        }
        try add(NID_basic_constraints, config.isCA ? "critical,CA:TRUE" : "critical,CA:FALSE")
        try add(
            NID_key_usage,
            config.isCA
                ? "critical,digitalSignature,keyEncipherment,keyCertSign" : "critical,digitalSignature,keyEncipherment")
        let usages = config.usages.reduce(into: [ExtendedKeyUsage]()) { if !$0.contains($1) { $0.append($1) } }
        if !usages.isEmpty {
            try add(NID_ext_key_usage, usages.map(\.rawValue).joined(separator: ","))
        }
        try add(NID_subject_key_identifier, "hash")
        if issuer != nil {
            // "keyid" copies the CA's subject key id (or, for a CA without one, hashes its key).
            try add(NID_authority_key_identifier, "keyid")
        }
        if let names = try SubjectAltNames.makeGeneralNames(dnsNames: dnsNames, ipAddresses: ipAddresses) {
            defer { GENERAL_NAMES_free(names) }
            guard
                X509_add1_ext_i2d(
                    x509, NID_subject_alt_name, UnsafeMutableRawPointer(names), 0, UInt(X509V3_ADD_DEFAULT)) == 1
            else {
                throw PKIError.openSSL("cannot add subject alternative names")
            }
        }

        guard X509_sign(x509, signingKey.pkey, EVP_sha256()) > 0 else {
            throw PKIError.openSSL("cannot sign certificate '\(config.commonName)'")
        }
        let der = try DER.encode("certificate") { i2d_X509(x509, $0) }
        return try Certificate(der: der)
    }
}
