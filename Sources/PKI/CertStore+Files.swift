import Foundation

/// Reading files with errors attributed to them, and the consistency checks shared by all operations.
extension CertStore {
    // MARK: File reading and checks

    /// File contents, or `nil` if the file does not exist.
    func readText(_ url: URL) throws -> String? {
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        do {
            return String(decoding: try Data(contentsOf: url), as: UTF8.self)
        } catch {
            throw PKIError(
                .io, "cannot read file: \(error.localizedDescription); check its permissions", path: url.path)
        }
    }

    /// Parses the spec's certificate file, if present, attributing errors to the file.
    func readCertificate(_ spec: CertSpec) throws -> Certificate? {
        let url = paths(for: spec).cert
        guard let text = try readText(url) else { return nil }
        do {
            return try Certificate(pem: text)
        } catch let error as PKIError {
            throw PKIError(
                error.code, "\(error.message); \(removeHint(spec))", path: url.path, openSSLErrors: error.openSSLErrors)
        }
    }

    /// Parses the spec's key file, if present, attributing errors to the file.
    func readKey(_ spec: CertSpec) throws -> PrivateKey? {
        let url = paths(for: spec).key
        guard let text = try readText(url) else { return nil }
        do {
            return try PrivateKey(pem: text)
        } catch let error as PKIError {
            throw PKIError(
                error.code, "\(error.message); \(removeHint(spec))", path: url.path, openSSLErrors: error.openSSLErrors)
        }
    }

    func checkMatch(_ spec: CertSpec, _ certificate: Certificate, _ key: PrivateKey) throws {
        guard certificate.matches(key) else {
            let (certURL, keyURL) = paths(for: spec)
            throw PKIError(
                .keyMismatch,
                "certificate does not match private key \(keyURL.path); \(removeHint(spec, both: "both files"))",
                path: certURL.path)
        }
    }

    func checkIsCA(_ spec: CertSpec, _ certificate: Certificate) throws {
        guard certificate.isCA else {
            throw PKIError(
                .invalidArgument,
                "certificate is not a certificate authority (basicConstraints CA:FALSE); \(removeHint(spec))",
                path: paths(for: spec).cert.path)
        }
    }

    func caExpiryWarning(_ spec: CertSpec, _ certificate: Certificate, _ now: Date) -> [String] {
        guard certificate.notAfter < now else { return [] }
        return [
            "[certs] WARNING: the \(spec.baseName) certificate authority (\(paths(for: spec).cert.path)) expired on "
                + "\(CertExpiry.formatDate(certificate.notAfter)); certificates it signs will not be trusted"
        ]
    }

    /// How to get a file regenerated; CAs carry the warning that their leaves must follow.
    func removeHint(_ spec: CertSpec, both: String? = nil) -> String {
        let (certURL, keyURL) = paths(for: spec)
        let files = both ?? "\(certURL.path) and \(keyURL.path)"
        if spec.isCA {
            return "restore the original CA files, or remove \(files) to have a new CA generated "
                + "(every certificate it signed must then be removed and regenerated too)"
        }
        return "remove \(files) to have them regenerated"
    }

    func createHint(_ spec: CertSpec) -> String {
        "create it with 'kubeadm init phase certs \(spec.phaseName)'"
    }
}
