import Foundation
import Manifests

/// The service-account signing key pair (`sa.key`, `sa.pub`): not a certificate, but written with the tree.
extension CertStore {
    // MARK: Service-account key

    enum ServiceAccountPlan {
        case reuse(PrivateKey, writePublicKey: Bool)
        case generate
    }

    func planServiceAccountKey() throws -> ServiceAccountPlan {
        let (keyURL, pubURL) = serviceAccountKeyPaths
        guard let keyText = try readText(keyURL) else {
            return .generate
        }
        let key: PrivateKey
        do {
            key = try PrivateKey(pem: keyText)
        } catch let error as PKIError {
            throw PKIError(
                error.code,
                "\(error.message); restore the service-account key, or remove it (existing service-account tokens will then be rejected) to have a new one generated",
                path: keyURL.path, openSSLErrors: error.openSSLErrors)
        }
        guard let pubText = try readText(pubURL) else { return .reuse(key, writePublicKey: true) }
        let block: PEM.Block
        do {
            block = try PEM.firstBlock(in: pubText, ofType: ["PUBLIC KEY"])
        } catch let error as PKIError {
            throw PKIError(
                error.code, "\(error.message); remove it to have it re-derived from \(keyURL.path)", path: pubURL.path)
        }
        guard block.der == key.publicKeyDER else {
            throw PKIError(
                .keyMismatch,
                "public key does not match the private key \(keyURL.path); remove it to have it re-derived from the private key",
                path: pubURL.path)
        }
        return .reuse(key, writePublicKey: false)
    }

    func executeServiceAccount(_ plan: ServiceAccountPlan, newKey: PrivateKey?, onLine: (String) -> Void) throws
        -> CertFileEvent
    {
        let (keyURL, pubURL) = serviceAccountKeyPaths
        let event = { (kind: CertFileEvent.Kind) in
            CertFileEvent(kind: kind, name: "sa", certPath: pubURL.path, keyPath: keyURL.path)
        }
        switch plan {
        case .reuse(let key, let writePublicKey):
            onLine("[certs] Using the existing \"sa\" key")
            if writePublicKey {
                try AtomicFile.replace(Array(key.publicKeyPEM.utf8), at: pubURL, mode: 0o600)
            }
            return event(.reused)
        case .generate:
            guard let key = newKey else { throw PKIError(.openSSL, "internal error: no service-account key generated") }
            onLine("[certs] Generating \"sa\" key and public key")
            try AtomicFile.ensureDirectory(directory)
            var keyBytes = Array(try key.encodedPEM().utf8)
            defer { wipe(&keyBytes) }
            try AtomicFile.replaceGroup([(keyBytes, keyURL, 0o600), (Array(key.publicKeyPEM.utf8), pubURL, 0o600)])
            return event(.generated)
        }
    }
}
