import Foundation

/// Extended key usages kubeadm puts on its certificates.
public enum ExtendedKeyUsage: String, Sendable, Hashable, CaseIterable {
    /// TLS server authentication (serving certificates).
    case serverAuth
    /// TLS client authentication (client certificates).
    case clientAuth
}

/// The `keyUsage` bits kubeadm uses, as read back from a certificate.
public struct KeyUsage: OptionSet, Sendable, Hashable {
    /// The bits as OpenSSL's `X509_get_key_usage` reports them.
    public let rawValue: UInt32
    /// Creates a set from OpenSSL's bit layout.
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// `digitalSignature` (OpenSSL's `KU_DIGITAL_SIGNATURE`).
    public static let digitalSignature = KeyUsage(rawValue: 0x0080)
    /// `keyEncipherment` (OpenSSL's `KU_KEY_ENCIPHERMENT`).
    public static let keyEncipherment = KeyUsage(rawValue: 0x0020)
    /// `keyCertSign` (OpenSSL's `KU_KEY_CERT_SIGN`).
    public static let certSign = KeyUsage(rawValue: 0x0004)

    /// What kubeadm sets on leaves (also for ECDSA keys).
    public static let leaf: KeyUsage = [.digitalSignature, .keyEncipherment]
    /// What kubeadm sets on certificate authorities.
    public static let certificateAuthority: KeyUsage = [.digitalSignature, .keyEncipherment, .certSign]
}

/// Everything needed to issue one certificate, mirroring kubeadm's `certutil.Config` plus validity.
///
/// Subject alternative names are given as text; the issuer de-duplicates and sorts DNS names and
/// de-duplicates IPs in insertion order (kubeadm's behaviour), so callers can pass raw lists.
public struct CertificateConfig: Sendable, Equatable {
    /// Subject common name.
    public var commonName: String
    /// Subject organizations (Kubernetes groups for client certificates).
    public var organizations: [String]
    /// DNS subject alternative names.
    public var dnsNames: [String]
    /// IP subject alternative names, textual IPv4 or IPv6.
    public var ipAddresses: [String]
    /// Extended key usages (empty for CAs).
    public var usages: [ExtendedKeyUsage]
    /// Whether this is a certificate authority (sets `CA:TRUE` and `keyCertSign`).
    public var isCA: Bool
    /// Start of validity (kubeadm back-dates by 5 minutes for clock skew).
    public var notBefore: Date
    /// End of validity.
    public var notAfter: Date

    /// Creates a configuration.
    /// - Parameters:
    ///   - commonName: Subject CN.
    ///   - organizations: Subject O entries.
    ///   - dnsNames: DNS SANs.
    ///   - ipAddresses: IP SANs (textual).
    ///   - usages: Extended key usages.
    ///   - isCA: Whether the certificate is a CA.
    ///   - notBefore: Start of validity.
    ///   - notAfter: End of validity.
    public init(
        commonName: String,
        organizations: [String] = [],
        dnsNames: [String] = [],
        ipAddresses: [String] = [],
        usages: [ExtendedKeyUsage] = [],
        isCA: Bool = false,
        notBefore: Date,
        notAfter: Date
    ) {
        self.commonName = commonName
        self.organizations = organizations
        self.dnsNames = dnsNames
        self.ipAddresses = ipAddresses
        self.usages = usages
        self.isCA = isCA
        self.notBefore = notBefore
        self.notAfter = notAfter
    }
}
