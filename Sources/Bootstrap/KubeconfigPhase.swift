import Foundation
import Manifests
import PKI

/// Writes the kubeconfig files (kubeadm.md section 4), each with a client certificate signed by the cluster CA.
enum KubeconfigPhase {
    /// Prints kubeadm's folder line and starts generating the client keys of the missing files in parallel.
    @Sendable static func announce(_ data: InitData) async throws {
        data.say("[kubeconfig] Using kubeconfig folder \"\(data.kubeconfigDisplayDir)\"")
        let missing = KubeconfigFile.allCases.filter { !FileManager.default.fileExists(atPath: data.kubeconfigPath($0)) }
        data.keyPool.current = KeyPool(algorithm: algorithm(data), count: missing.count)
    }

    static func algorithm(_ data: InitData) -> KeyAlgorithm {
        KeyAlgorithm(rawValue: data.settings.encryptionAlgorithm) ?? .rsa2048
    }

    static func server(for file: KubeconfigFile, _ settings: InitSettings) -> String {
        switch file.serverKind {
        case .controlPlaneEndpoint: settings.controlPlaneURL
        case .localEndpoint: settings.localAPIServerURL
        }
    }

    static func write(_ file: KubeconfigFile, _ data: InitData) throws {
        let path = data.kubeconfigPath(file)
        let shownPath = data.kubeconfigDisplayDir + "/" + file.fileName
        let ca = try CAFiles.load(pkiDir: data.writePaths.pkiDir, shownDir: data.settings.certificatesDir)
        let expectedServer = server(for: file, data.settings)

        if FileManager.default.fileExists(atPath: path) {
            try validateExisting(path: path, shownPath: shownPath, ca: ca.certificate, server: expectedServer)
            data.say("[kubeconfig] Using existing kubeconfig file: \"\(shownPath)\"")
            return
        }
        guard let caKey = ca.key else {
            throw ExternalCAError(missing: shownPath)
        }
        let identity = file.clientIdentity(nodeName: data.settings.nodeName)
        let pool = data.keyPool.current
        let key = try pool.flatMap { $0.algorithm == algorithm(data) ? try $0.take() : nil } ?? PrivateKey.generate(algorithm(data))
        let now = Date()
        let config = CertificateConfig(commonName: identity.commonName, organizations: identity.organizations,
                                       usages: [.clientAuth], notBefore: now.addingTimeInterval(-300),
                                       notAfter: now.addingTimeInterval(data.settings.certificateValidity))
        let certificate = try CertificateIssuer.issue(config: config, publicKeyOf: key, caCert: ca.certificate, caKey: caKey)
        let kubeconfig = Kubeconfig.withClientCertificate(
            clusterName: data.settings.clusterName, server: expectedServer, caPEM: ca.certificate.pem,
            userName: identity.commonName, certificatePEM: certificate.pem, keyPEM: key.pem)
        data.say("[kubeconfig] Writing \"\(file.fileName)\" kubeconfig file")
        try AtomicFile.write(try kubeconfig.yaml(), to: path, mode: 0o600)
    }

    /// An existing file is reused only if it trusts this cluster's CA and points at the expected server,
    /// as kubeadm does; anything else is a clear error rather than a silent overwrite.
    static func validateExisting(path: String, shownPath: String, ca: Certificate, server: String) throws {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw KubeconfigError(path: shownPath, problem: "cannot be read: \(error.localizedDescription)")
        }
        guard let config = try? Kubeconfig.parse(text), let cluster = config.currentCluster else {
            throw KubeconfigError(path: shownPath, problem: "is not a valid kubeconfig (no current cluster)")
        }
        guard let caPEM = Kubeconfig.decodeData(cluster.certificateAuthorityData),
              let existingCA = try? Certificate(pem: caPEM), existingCA.der == ca.der else {
            throw KubeconfigError(path: shownPath, problem: "exists already but has got the wrong CA cert")
        }
        guard cluster.server == server else {
            throw KubeconfigError(path: shownPath, problem: "exists already but has an unexpected API Server URL: expected: \(server), got: \(cluster.server)")
        }
    }
}

struct KubeconfigError: Error, CustomStringConvertible {
    var path: String
    var problem: String
    var description: String {
        "a kubeconfig file \"\(path)\" \(problem); remove it (or run 'kubeadm-swift reset') to have it written anew"
    }
}

struct ExternalCAError: Error, CustomStringConvertible {
    var missing: String
    var description: String {
        "ca.key is absent, so this is external CA mode: every certificate and kubeconfig must already exist, but \(missing) does not. Create it with your CA, or provide ca.key"
    }
}
