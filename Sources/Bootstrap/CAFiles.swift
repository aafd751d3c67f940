import Foundation
import PKI

/// The cluster CA as read from the PKI directory; `key` is nil in external-CA mode.
struct CAFiles {
    var certificate: Certificate
    var key: PrivateKey?

    static func load(pkiDir: String, shownDir: String) throws -> CAFiles {
        let certPath = pkiDir + "/ca.crt"
        let keyPath = pkiDir + "/ca.key"
        guard let certText = try? String(contentsOfFile: certPath, encoding: .utf8) else {
            throw CAMissingError(path: shownDir + "/ca.crt")
        }
        let certificate: Certificate
        do { certificate = try Certificate(pem: certText) } catch {
            throw PKIError(.malformedPEM, "\(shownDir)/ca.crt is not a valid PEM certificate: \(error); remove it to have it regenerated", path: shownDir + "/ca.crt")
        }
        guard let keyText = try? String(contentsOfFile: keyPath, encoding: .utf8) else { return CAFiles(certificate: certificate, key: nil) }
        let key = try PrivateKey(pem: keyText)
        return CAFiles(certificate: certificate, key: key)
    }
}

struct CAMissingError: Error, CustomStringConvertible {
    var path: String
    var description: String { "couldn't load the CA certificate \(path): the file does not exist; run 'kubeadm-swift init phase certs ca' first" }
}
