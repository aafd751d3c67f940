import COpenSSL
import Foundation

/// An X.509 certificate as an immutable value.
///
/// Stores the DER bytes and the fields kubeadm cares about, parsed once in `init`. Holding bytes
/// instead of an `X509*` keeps the type a plain `Sendable` value; the few operations that need
/// OpenSSL (`isSignedBy`, `matches`) re-decode the DER, which costs microseconds.
public struct Certificate: Sendable, Equatable, CustomStringConvertible {
    /// The DER encoding.
    public let der: [UInt8]
    /// Subject CN (empty if absent).
    public let commonName: String
    /// Subject O entries, in certificate order.
    public let organizations: [String]
    /// Issuer CN (empty if absent).
    public let issuerCommonName: String
    /// DNS subject alternative names, in certificate order.
    public let dnsNames: [String]
    /// IP subject alternative names as canonical text, in certificate order.
    public let ipAddresses: [String]
    /// `basicConstraints` CA flag.
    public let isCA: Bool
    /// Key usage bits (empty if the extension is absent).
    public let keyUsage: KeyUsage
    /// Extended key usages kubeadm knows, in certificate order (others are ignored).
    public let extendedKeyUsages: [ExtendedKeyUsage]
    /// Start of validity.
    public let notBefore: Date
    /// End of validity.
    public let notAfter: Date
    /// Serial number as lowercase hexadecimal without leading zeros.
    public let serialNumber: String
    /// DER `SubjectPublicKeyInfo` (input to kubeadm's CA pin).
    public let subjectPublicKeyInfoDER: [UInt8]
    /// Subject key identifier, empty if absent.
    public let subjectKeyIdentifier: [UInt8]
    /// Authority key identifier (key id), empty if absent.
    public let authorityKeyIdentifier: [UInt8]
    /// X.509 version as written in the certificate (3 for v3).
    public let version: Int
    /// Whether `basicConstraints` is marked critical.
    public let basicConstraintsCritical: Bool
    /// Whether `keyUsage` is marked critical.
    public let keyUsageCritical: Bool
    /// OpenSSL's short name of the signature algorithm, e.g. `"RSA-SHA256"` / `"ecdsa-with-SHA256"`.
    public let signatureAlgorithm: String

    /// Parses the first `CERTIFICATE` block of a PEM text (further blocks, e.g. a chain, are ignored).
    /// - Throws: `PKIError` `.malformedPEM` or `.malformedData` (without a file path; callers add it).
    public init(pem: String) throws {
        let block = try PEM.firstBlock(in: pem, ofType: ["CERTIFICATE"])
        try self.init(der: block.der)
    }

    /// Parses a DER-encoded certificate.
    /// - Throws: `PKIError` `.malformedData` if OpenSSL cannot decode it.
    public init(der: [UInt8]) throws {
        let x509 = try Self.decode(der)
        defer { X509_free(x509) }
        self.der = der

        let subject = X509_get_subject_name(x509)
        commonName = DistinguishedName.values(of: NID_commonName, in: subject).first ?? ""
        organizations = DistinguishedName.values(of: NID_organizationName, in: subject)
        issuerCommonName = DistinguishedName.values(of: NID_commonName, in: X509_get_issuer_name(x509)).first ?? ""

        if let raw = X509_get_ext_d2i(x509, NID_subject_alt_name, nil, nil) {
            let names = OpaquePointer(raw)
            defer { GENERAL_NAMES_free(names) }
            (dnsNames, ipAddresses) = SubjectAltNames.read(names)
        } else {
            (dnsNames, ipAddresses) = ([], [])
        }

        var critical: Int32 = 0
        if let raw = X509_get_ext_d2i(x509, NID_basic_constraints, &critical, nil) {
            let constraints = raw.assumingMemoryBound(to: BASIC_CONSTRAINTS.self)
            defer { BASIC_CONSTRAINTS_free(constraints) }
            isCA = constraints.pointee.ca != 0
            basicConstraintsCritical = critical == 1
        } else {
            isCA = false
            basicConstraintsCritical = false
        }

        let usageBits = X509_get_key_usage(x509)
        keyUsage = usageBits == UInt32.max ? [] : KeyUsage(rawValue: usageBits)
        critical = 0
        if let raw = X509_get_ext_d2i(x509, NID_key_usage, &critical, nil) {
            ASN1_BIT_STRING_free(raw.assumingMemoryBound(to: ASN1_BIT_STRING.self))
            keyUsageCritical = critical == 1
        } else {
            keyUsageCritical = false
        }

        var usages: [ExtendedKeyUsage] = []
        if let raw = X509_get_ext_d2i(x509, NID_ext_key_usage, nil, nil) {
            let objects = OpaquePointer(raw)
            defer { EXTENDED_KEY_USAGE_free(objects) }
            for index in 0..<kswift_sk_ASN1_OBJECT_num(objects) {
                switch OBJ_obj2nid(kswift_sk_ASN1_OBJECT_value(objects, index)) {
                case NID_server_auth: usages.append(.serverAuth)
                case NID_client_auth: usages.append(.clientAuth)
                default: continue
                }
            }
        }
        extendedKeyUsages = usages

        notBefore = try Self.date(X509_get0_notBefore(x509), "notBefore")
        notAfter = try Self.date(X509_get0_notAfter(x509), "notAfter")
        serialNumber = try Self.serialHex(X509_get0_serialNumber(x509))
        subjectPublicKeyInfoDER = try DER.encode("SubjectPublicKeyInfo") {
            i2d_X509_PUBKEY(X509_get_X509_PUBKEY(x509), $0)
        }
        subjectKeyIdentifier = Self.bytes(of: X509_get0_subject_key_id(x509))
        authorityKeyIdentifier = Self.bytes(of: X509_get0_authority_key_id(x509))
        version = Int(X509_get_version(x509)) + 1
        let nid = X509_get_signature_nid(x509)
        signatureAlgorithm = OBJ_nid2sn(nid).map { String(cString: $0) } ?? "unknown"
    }

    /// The certificate as a `CERTIFICATE` PEM block.
    public var pem: String { PEM.encode(type: "CERTIFICATE", der: der) }

    /// Whether this certificate was issued by `ca`: the issuer name equals the CA's subject and the
    /// signature verifies with the CA's public key. Validity periods are not checked here.
    public func isSignedBy(_ ca: Certificate) -> Bool {
        guard let leaf = try? Self.decode(der) else { return false }
        defer { X509_free(leaf) }
        guard let issuer = try? Self.decode(ca.der) else { return false }
        defer { X509_free(issuer) }
        guard X509_NAME_cmp(X509_get_issuer_name(leaf), X509_get_subject_name(issuer)) == 0,
            let caKey = X509_get0_pubkey(issuer)
        else { return false }
        let verified = X509_verify(leaf, caKey) == 1
        OpenSSLErrorQueue.clear()
        return verified
    }

    /// Whether `key` is the private key for this certificate's public key.
    public func matches(_ key: PrivateKey) -> Bool {
        guard let x509 = try? Self.decode(der) else { return false }
        defer { X509_free(x509) }
        let matched = X509_check_private_key(x509, key.pkey) == 1
        OpenSSLErrorQueue.clear()
        return matched
    }

    /// Whether `date` lies within [notBefore, notAfter].
    public func isValid(at date: Date) -> Bool {
        notBefore <= date && date <= notAfter
    }

    /// A short summary (subject, issuer, serial, expiry) for logs; certificates are public data.
    public var description: String {
        "Certificate(CN=\(commonName), issuer CN=\(issuerCommonName), serial=\(serialNumber), notAfter=\(notAfter))"
    }

    /// Two certificates are equal when their DER encodings are (all other fields derive from it).
    public static func == (lhs: Certificate, rhs: Certificate) -> Bool { lhs.der == rhs.der }

    // MARK: Decoding helpers

    /// Decodes DER into an owned `X509*` (caller frees).
    static func decode(_ der: [UInt8]) throws -> OpaquePointer {
        OpenSSLErrorQueue.clear()
        let x509: OpaquePointer? = der.withUnsafeBufferPointer { buffer in
            var cursor = buffer.baseAddress
            return d2i_X509(nil, &cursor, buffer.count)
        }
        guard let x509 else {
            throw PKIError(
                .malformedData, "the CERTIFICATE block is not a valid X.509 certificate",
                openSSLErrors: OpenSSLErrorQueue.drain())
        }
        return x509
    }

    private static func date(_ time: UnsafePointer<ASN1_TIME>?, _ field: String) throws -> Date {
        var parts = tm()
        guard let time, ASN1_TIME_to_tm(time, &parts) == 1 else {
            throw PKIError(
                .malformedData, "certificate has an unreadable \(field) time", openSSLErrors: OpenSSLErrorQueue.drain())
        }
        return Date(timeIntervalSince1970: TimeInterval(timegm(&parts)))
    }

    private static func serialHex(_ serial: UnsafePointer<ASN1_INTEGER>?) throws -> String {
        guard let serial, let bignum = ASN1_INTEGER_to_BN(serial, nil) else {
            throw PKIError.openSSL("certificate has an unreadable serial number")
        }
        defer { BN_free(bignum) }
        guard let hex = BN_bn2hex(bignum) else { throw PKIError.openSSL("cannot format serial number") }
        defer { kswift_openssl_free(hex) }
        return String(cString: hex).lowercased()
    }

    private static func bytes(of octets: UnsafePointer<ASN1_OCTET_STRING>?) -> [UInt8] {
        guard let octets, let data = ASN1_STRING_get0_data(octets) else { return [] }
        return Array(UnsafeBufferPointer(start: data, count: Int(ASN1_STRING_length(octets))))
    }
}
