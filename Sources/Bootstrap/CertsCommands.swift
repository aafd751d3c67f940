import Foundation
import Manifests
import PKI

/// Where `certs` subcommands look.
public struct CertsRequest: Sendable {
    public var certificatesDir: String?
    public var kubeconfigDir: String?
    public var configFile: String?
    public init(certificatesDir: String? = nil, kubeconfigDir: String? = nil, configFile: String? = nil) {
        self.certificatesDir = certificatesDir; self.kubeconfigDir = kubeconfigDir; self.configFile = configFile
    }

    func resolved() throws -> (pki: String, kubeconfigs: String, clusterConfiguration: ClusterConfiguration?) {
        let cluster = try configFile.map { try ConfigLoader.load(file: $0).clusterConfiguration } ?? nil
        let pki = certificatesDir ?? cluster?.certificatesDir ?? WellKnown.certificatesDir
        return (pki, kubeconfigDir ?? HostPaths().kubernetesDir, cluster)
    }
}

/// `certs check-expiration`, `certs renew`, `certs certificate-key`.
public enum CertsCommands {
    /// What `certs renew` accepts besides `all` (kubelet.conf is rotated by the kubelet itself).
    public static var renewableNames: [String] {
        (KubeconfigFile.allCases.filter(\.isRenewable).map(\.fileName) + CertTree.all.filter { !$0.isCA }.map(\.name)).sorted()
    }

    /// A fresh 32-byte AES key as 64 hex characters (for `--upload-certs`).
    public static func certificateKey() -> String {
        var rng = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &rng)) }.joined()
    }

    public static func checkExpiration(_ request: CertsRequest, now: Date = Date(), output: Output = .standard) throws {
        let (pki, kubeconfigDir, _) = try request.resolved()
        let store = CertStore(directory: URL(fileURLWithPath: pki))
        var rows: [CertExpiry] = []
        var missing: [String] = []
        for file in KubeconfigFile.allCases where file.isRenewable {
            let path = kubeconfigDir + "/" + file.fileName
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { missing.append(file.fileName); continue }
            guard let pem = Kubeconfig.decodeData((try? Kubeconfig.parse(text))?.currentUser?.clientCertificateData),
                  let cert = try? Certificate(pem: pem) else {
                throw KubeconfigError(path: path, problem: "has no readable embedded client certificate")
            }
            rows.append(CertExpiry(name: file.fileName, notAfter: cert.notAfter, caName: "ca", externallyManaged: false, now: now))
        }
        let hasEtcd = FileManager.default.fileExists(atPath: pki + "/etcd/ca.crt")
        for spec in CertTree.specs(includeEtcd: hasEtcd) where !spec.isCA {
            guard let certificate = try? loadCertificate(store.paths(for: spec).cert.path) else { missing.append(spec.name); continue }
            rows.append(CertExpiry(name: spec.name, notAfter: certificate.notAfter, caName: spec.caName ?? "",
                                   externallyManaged: false, now: now))
        }
        rows.sort { $0.name < $1.name }
        output.line(table([["CERTIFICATE", "EXPIRES", "RESIDUAL TIME", "CERTIFICATE AUTHORITY", "EXTERNALLY MANAGED"]]
            + rows.map { [$0.name, $0.expires, $0.residual, $0.caName, $0.externallyManaged ? "yes" : "no"] }))
        for name in missing.sorted() { output.line("!MISSING! \(name)") }
        output.line("")
        var caRows: [[String]] = [["CERTIFICATE AUTHORITY", "EXPIRES", "RESIDUAL TIME", "EXTERNALLY MANAGED"]]
        for spec in CertTree.specs(includeEtcd: hasEtcd) where spec.isCA {
            let certPath = store.paths(for: spec).cert.path
            guard let certificate = try? loadCertificate(certPath) else { output.line("!MISSING! \(spec.name)"); continue }
            let external = !FileManager.default.fileExists(atPath: store.paths(for: spec).key.path)
            let row = CertExpiry(name: spec.name, notAfter: certificate.notAfter, caName: "", externallyManaged: external, now: now)
            caRows.append([row.name, row.expires, row.residual, external ? "yes" : "no"])
        }
        output.line(table(caRows))
    }

    public static func renew(_ name: String, _ request: CertsRequest, now: Date = Date(), output: Output = .standard) throws {
        let (pki, kubeconfigDir, cluster) = try request.resolved()
        let names = name == "all" ? renewableNames : [name]
        guard name == "all" || renewableNames.contains(name) else {
            throw WorkflowUsageError(message: "unknown certificate \"\(name)\"; use all or one of: \(renewableNames.joined(separator: ", "))")
        }
        let validity = cluster?.certificateValidityPeriod?.seconds ?? WellKnown.certificateValidity
        let store = CertStore(directory: URL(fileURLWithPath: pki))
        for item in names {
            if let file = KubeconfigFile(rawValue: item) {
                let path = kubeconfigDir + "/" + file.fileName
                guard FileManager.default.fileExists(atPath: path) else { continue }
                try renewKubeconfig(path: path, pki: pki, validity: validity, now: now)
                output.line("certificate embedded in the kubeconfig file for \(file == .admin ? "the admin to use and for kubeadm itself" : file.phaseName) renewed")
            } else if let spec = CertTree.spec(named: item) {
                guard FileManager.default.fileExists(atPath: store.paths(for: spec).cert.path) else { continue }
                try store.renew(spec, now: now, validity: validity)
                output.line("\(spec.longName) renewed")
            }
        }
        output.line("")
        output.line("Done renewing certificates. You must restart the kube-apiserver, kube-controller-manager, kube-scheduler and etcd, so that they can use the new certificates.")
    }

    /// Re-issues the client certificate embedded in a kubeconfig with the same subject, CA and server.
    static func renewKubeconfig(path: String, pki: String, validity: Double, now: Date) throws {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var config = try Kubeconfig.parse(text)
        guard let userIndex = config.users.firstIndex(where: { $0.name == config.contexts.first { $0.name == config.currentContext }?.context.user }),
              let pem = Kubeconfig.decodeData(config.users[userIndex].user.clientCertificateData) else {
            throw KubeconfigError(path: path, problem: "has no embedded client certificate to renew")
        }
        let old = try Certificate(pem: pem)
        let ca = try CAFiles.load(pkiDir: pki, shownDir: pki)
        guard let caKey = ca.key else { throw ExternalCAError(missing: pki + "/ca.key") }
        let oldKey = Kubeconfig.decodeData(config.users[userIndex].user.clientKeyData).flatMap { try? PrivateKey(pem: $0) }
        let key = try PrivateKey.generate(oldKey?.algorithm ?? .rsa2048)
        let fresh = try CertificateIssuer.issue(
            config: CertificateConfig(commonName: old.commonName, organizations: old.organizations, usages: [.clientAuth],
                                      notBefore: now.addingTimeInterval(-300), notAfter: now.addingTimeInterval(validity)),
            publicKeyOf: key, caCert: ca.certificate, caKey: caKey)
        config.users[userIndex].user.clientCertificateData = Kubeconfig.base64(fresh.pem)
        config.users[userIndex].user.clientKeyData = Kubeconfig.base64(key.pem)
        try AtomicFile.write(try config.yaml(), to: path, mode: 0o600)
    }

    static func loadCertificate(_ path: String) throws -> Certificate {
        try Certificate(pem: String(contentsOfFile: path, encoding: .utf8))
    }

    /// Left-aligned columns separated by two spaces (Go's tabwriter as kubeadm uses it).
    static func table(_ rows: [[String]]) -> String {
        let widths = (0..<(rows.first?.count ?? 0)).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index] + 3, withPad: " ", startingAt: 0)
            }.joined()
        }.joined(separator: "\n")
    }
}
