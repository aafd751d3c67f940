extension Certificate {
    /// SHA-256 of the DER encoding: the certificate's fingerprint, which upstream's x509 authenticator records as
    /// the credential id (`X509SHA256=<hex>`) so audit logs can tell two certificates of one user apart.
    /// Empty only if OpenSSL cannot allocate memory.
    public var sha256Fingerprint: [UInt8] { (try? sha256(der)) ?? [] }

    /// The fingerprint as lowercase hex.
    public var sha256FingerprintHex: String { hexString(sha256Fingerprint) }
}
