import Foundation
import Manifests

/// A component's own HTTPS identity when it is given none (the kubelet on :10250, the scheduler on :10259, the
/// controller manager on :10257): like upstream, a self-signed CA (`<host>-ca@<unix time>`) and a serving
/// certificate for the host name and addresses, kept as `<name>.crt` (serving certificate then CA) and `<name>.key`,
/// created once and reused while valid.
public enum SelfSignedServingCertificate {
    public static func ensure(directory: String, name: String, hostname: String, addresses: [String]) throws -> (certificate: String, key: String) {
        let certificateFile = directory + "/\(name).crt"
        let keyFile = directory + "/\(name).key"
        if let text = try? String(contentsOfFile: certificateFile, encoding: .utf8), let existing = try? Certificate(pem: text),
           existing.notAfter > Date().addingTimeInterval(24 * 3600), FileManager.default.fileExists(atPath: keyFile) {
            return (certificateFile, keyFile)
        }
        let now = Date()
        let stamp = Int(now.timeIntervalSince1970)
        let caKey = try PrivateKey.generate(.ecdsaP256)
        let ca = try CertificateIssuer.selfSignedCA(
            config: CertificateConfig(commonName: "\(hostname)-ca@\(stamp)", notBefore: now.addingTimeInterval(-300),
                                      notAfter: now.addingTimeInterval(365 * 24 * 3600)),
            key: caKey)
        let key = try PrivateKey.generate(.ecdsaP256)
        let serving = try CertificateIssuer.issue(
            config: CertificateConfig(commonName: "\(hostname)@\(stamp)", dnsNames: [hostname], ipAddresses: addresses,
                                      usages: [.serverAuth], notBefore: now.addingTimeInterval(-300),
                                      notAfter: now.addingTimeInterval(365 * 24 * 3600)),
            publicKeyOf: key, caCert: ca, caKey: caKey)
        try AtomicFile.ensureDirectory(URL(fileURLWithPath: directory), mode: 0o700)
        try AtomicFile.write(key.pem, to: keyFile, mode: 0o600, directoryMode: 0o700)
        try AtomicFile.write(serving.pem + ca.pem, to: certificateFile, mode: 0o644, directoryMode: 0o700)
        return (certificateFile, keyFile)
    }
}
