import COpenSSL
import Foundation

extension CertStore {
    /// Re-issues a leaf certificate for `kubeadm certs renew <name>`.
    ///
    /// The new certificate keeps the existing one's subject (CN, O), SANs and extended key usages and
    /// is signed by the same CA, with a fresh key and a new validity window
    /// (NotBefore = now − 5 min, NotAfter = now + `validity`). Both files are replaced atomically.
    /// Certificate authorities are not renewable, as in kubeadm.
    /// - Parameters:
    ///   - spec: The leaf to renew.
    ///   - now: Start of the new validity window (before back-dating).
    ///   - validity: Length of the new validity (`certificateValidityPeriod`).
    ///   - algorithm: Algorithm of the new key; `nil` keeps the existing certificate's key algorithm.
    /// - Returns: The new certificate.
    @discardableResult
    public func renew(
        _ spec: CertSpec, now: Date = Date(), validity: TimeInterval = CertTreeInput.defaultCertificateValidity,
        algorithm: KeyAlgorithm? = nil
    ) throws -> Certificate {
        let (certURL, keyURL) = paths(for: spec)
        guard let caName = spec.caName, let caSpec = CertTree.spec(named: caName) else {
            throw PKIError(
                .notRenewable,
                "\"\(spec.name)\" is a certificate authority, and kubeadm does not renew certificate authorities; "
                    + "only the certificates it signs can be renewed",
                path: certURL.path)
        }
        let (caCertificate, caKey) = try loadCA(named: caName)
        guard let caKey else {
            throw PKIError(
                .externalCA,
                "cannot renew \"\(spec.name)\": the \"\(caSpec.baseName)\" certificate authority's key \(paths(for: caSpec).key.path) "
                    + "is absent (external CA mode); renew \(certURL.path) with your external CA",
                path: certURL.path)
        }
        guard let existing = try readCertificate(spec) else {
            throw PKIError(
                .missingFile,
                "cannot renew \"\(spec.name)\": the certificate does not exist; create it with 'kubeadm init phase certs \(spec.phaseName)'",
                path: certURL.path)
        }
        let keyAlgorithm = algorithm ?? KeyAlgorithm(subjectPublicKeyInfo: existing.subjectPublicKeyInfoDER) ?? .rsa2048
        let key = try PrivateKey.generate(keyAlgorithm)
        let config = CertificateConfig(
            commonName: existing.commonName, organizations: existing.organizations,
            dnsNames: existing.dnsNames, ipAddresses: existing.ipAddresses,
            usages: existing.extendedKeyUsages, isCA: false,
            notBefore: now.addingTimeInterval(-CertificateIssuer.certificateBackdate),
            notAfter: now.addingTimeInterval(validity))
        let renewed = try CertificateIssuer.issue(config: config, publicKeyOf: key, caCert: caCertificate, caKey: caKey)
        try writePair(certificate: renewed, key: key, certURL: certURL, keyURL: keyURL)
        return renewed
    }
}

extension KeyAlgorithm {
    /// The algorithm of a DER `SubjectPublicKeyInfo`, or `nil` if it is not one kubeadm generates.
    init?(subjectPublicKeyInfo der: [UInt8]) {
        let decoded: OpaquePointer? = der.withUnsafeBufferPointer { buffer in
            var cursor = buffer.baseAddress
            return d2i_PUBKEY(nil, &cursor, buffer.count)
        }
        guard let decoded else {
            OpenSSLErrorQueue.clear()
            return nil
        }
        defer { EVP_PKEY_free(decoded) }
        guard let algorithm = EVPKeyInfo.algorithm(decoded) else { return nil }
        self = algorithm
    }
}
