import COpenSSL

/// A PKCS#10 certificate signing request, as used by kubelet TLS bootstrap and
/// `kubeadm certs generate-csr`.
///
/// Like `Certificate`, an immutable value holding DER plus the parsed fields.
public struct CertificateSigningRequest: Sendable, Equatable {
    /// The DER encoding.
    public let der: [UInt8]
    /// Requested subject CN.
    public let commonName: String
    /// Requested subject O entries (Kubernetes groups).
    public let organizations: [String]
    /// Requested DNS SANs (from the extension request attribute).
    public let dnsNames: [String]
    /// Requested IP SANs, canonical text.
    public let ipAddresses: [String]
    /// DER `SubjectPublicKeyInfo` of the requester's key.
    public let publicKeyDER: [UInt8]

    /// Creates and self-signs a request with SHA-256.
    /// - Parameters:
    ///   - key: The requester's key pair; its public half is requested, its private half signs.
    ///   - commonName: Subject CN, e.g. `system:node:<name>`.
    ///   - organizations: Subject O entries, e.g. `system:nodes`.
    ///   - dnsNames: DNS SANs to request (serving certificates).
    ///   - ipAddresses: IP SANs to request (serving certificates).
    public static func create(
        key: PrivateKey, commonName: String, organizations: [String],
        dnsNames: [String] = [], ipAddresses: [String] = []
    ) throws -> CertificateSigningRequest {
        OpenSSLErrorQueue.clear()
        guard let request = X509_REQ_new() else { throw PKIError.openSSL("cannot allocate X509_REQ") }
        defer { X509_REQ_free(request) }
        let subject = try DistinguishedName.make(commonName: commonName, organizations: organizations)
        defer { X509_NAME_free(subject) }
        guard X509_REQ_set_version(request, 0) == 1,  // the only defined version, "v1" (0)
            X509_REQ_set_subject_name(request, subject) == 1,
            X509_REQ_set_pubkey(request, key.pkey) == 1
        else { throw PKIError.openSSL("cannot fill certificate signing request") }

        let dns = SubjectAltNames.normalizedDNSNames(dnsNames)
        if let bad = ipAddresses.first(where: { SubjectAltNames.canonicalIP($0) == nil }) {
            throw PKIError(.invalidArgument, "'\(bad)' is not a valid IP address for a subject alternative name")
        }
        if let names = try SubjectAltNames.makeGeneralNames(
            dnsNames: dns, ipAddresses: SubjectAltNames.normalizedIPs(ipAddresses))
        {
            defer { GENERAL_NAMES_free(names) }
            guard let extensions = kswift_sk_X509_EXTENSION_new_null() else {
                throw PKIError.openSSL("cannot allocate extension list")
            }
            defer { kswift_sk_X509_EXTENSION_pop_free(extensions) }
            guard let san = X509V3_EXT_i2d(NID_subject_alt_name, 0, UnsafeMutableRawPointer(names)) else {
                throw PKIError.openSSL("cannot encode subject alternative names")
            }
            guard kswift_sk_X509_EXTENSION_push(extensions, san) > 0 else {
                X509_EXTENSION_free(san)
                throw PKIError.openSSL("cannot add subject alternative names")
            }
            guard X509_REQ_add_extensions(request, extensions) == 1 else {
                throw PKIError.openSSL("cannot add extension request to certificate signing request")
            }
        }
        guard X509_REQ_sign(request, key.pkey, EVP_sha256()) > 0 else {
            throw PKIError.openSSL("cannot sign certificate signing request")
        }
        return try CertificateSigningRequest(
            der: DER.encode("certificate signing request") { i2d_X509_REQ(request, $0) })
    }

    /// Parses the first `CERTIFICATE REQUEST` (or legacy `NEW CERTIFICATE REQUEST`) PEM block.
    public init(pem: String) throws {
        let block = try PEM.firstBlock(in: pem, ofType: ["CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST"])
        try self.init(der: block.der)
    }

    /// Parses a DER-encoded request.
    public init(der: [UInt8]) throws {
        let request = try Self.decode(der)
        defer { X509_REQ_free(request) }
        self.der = der
        let subject = X509_REQ_get_subject_name(request)
        commonName = DistinguishedName.values(of: NID_commonName, in: subject).first ?? ""
        organizations = DistinguishedName.values(of: NID_organizationName, in: subject)

        var sans: (dns: [String], ips: [String]) = ([], [])
        if let extensions = X509_REQ_get_extensions(request) {
            defer { kswift_sk_X509_EXTENSION_pop_free(extensions) }
            if let raw = X509V3_get_d2i(extensions, NID_subject_alt_name, nil, nil) {
                let names = OpaquePointer(raw)
                defer { GENERAL_NAMES_free(names) }
                sans = SubjectAltNames.read(names)
            }
        }
        OpenSSLErrorQueue.clear()  // a request without extensions leaves a harmless "not found" entry
        dnsNames = sans.dns
        ipAddresses = sans.ips
        guard let publicKey = X509_REQ_get0_pubkey(request) else {
            throw PKIError(
                .malformedData, "the certificate signing request has no usable public key",
                openSSLErrors: OpenSSLErrorQueue.drain())
        }
        publicKeyDER = try DER.encode("public key") { i2d_PUBKEY(publicKey, $0) }
    }

    /// The request as a `CERTIFICATE REQUEST` PEM block.
    public var pem: String { PEM.encode(type: "CERTIFICATE REQUEST", der: der) }

    /// Whether the request's signature verifies with its own public key (proof of possession).
    public func verifySelfSignature() -> Bool {
        guard let request = try? Self.decode(der) else { return false }
        defer { X509_REQ_free(request) }
        guard let publicKey = X509_REQ_get0_pubkey(request) else { return false }
        let verified = X509_REQ_verify(request, publicKey) == 1
        OpenSSLErrorQueue.clear()
        return verified
    }

    /// Decodes DER into an owned `X509_REQ*` (caller frees).
    static func decode(_ der: [UInt8]) throws -> OpaquePointer {
        OpenSSLErrorQueue.clear()
        let request: OpaquePointer? = der.withUnsafeBufferPointer { buffer in
            var cursor = buffer.baseAddress
            return d2i_X509_REQ(nil, &cursor, buffer.count)
        }
        guard let request else {
            throw PKIError(
                .malformedData, "the CERTIFICATE REQUEST block is not a valid PKCS#10 request",
                openSSLErrors: OpenSSLErrorQueue.drain())
        }
        return request
    }
}
