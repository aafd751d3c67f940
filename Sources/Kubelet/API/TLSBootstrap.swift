import Foundation
import KubeAPI
import KubeClient
import Manifests
import PKI

/// The kubelet's TLS bootstrap (kubeadm.md section 7.4): with only a bootstrap kubeconfig (a bootstrap token), ask
/// the cluster for a client certificate through a CertificateSigningRequest, then write the certificate and key to
/// `<root-dir>/pki/kubelet-client-<time>.pem` (+ the `kubelet-client-current.pem` link) and a kubelet.conf that
/// points at it. The csrapproving and csrsigning controllers approve and sign it.
public struct TLSBootstrap: Sendable {
    public var bootstrapKubeconfig: String
    public var kubeconfig: String
    public var pkiDirectory: String
    public var nodeName: String
    public var log: @Sendable (String) -> Void

    public init(bootstrapKubeconfig: String, kubeconfig: String, pkiDirectory: String, nodeName: String,
                log: @escaping @Sendable (String) -> Void) {
        self.bootstrapKubeconfig = bootstrapKubeconfig
        self.kubeconfig = kubeconfig
        self.pkiDirectory = pkiDirectory
        self.nodeName = nodeName
        self.log = log
    }

    static let signerName = "kubernetes.io/kube-apiserver-client-kubelet"
    static let usages = ["digital signature", "client auth"]
    public var currentCertificatePath: String { pkiDirectory + "/kubelet-client-current.pem" }

    /// Runs until kubelet.conf is written (retrying on API errors), or throws on a denied or failed request.
    public func run() async throws {
        let bootstrap = try Kubeconfig.parse(String(contentsOfFile: bootstrapKubeconfig, encoding: .utf8))
        let client = try RESTClient(kubeconfig: bootstrapKubeconfig, component: "kubelet")
        defer { Task { await client.shutdown() } }
        guard let csrs = ResourceTable.resource(group: "certificates.k8s.io", version: "v1", plural: "certificatesigningrequests") else {
            throw TLSBootstrapError("this build has no certificatesigningrequests resource")
        }
        try AtomicFile.ensureDirectory(URL(fileURLWithPath: pkiDirectory), mode: 0o755)
        let key = try loadOrCreateKey()
        let request = try CertificateSigningRequest.create(key: key, commonName: "system:node:\(nodeName)", organizations: ["system:nodes"])
        // A name derived from the request itself, so a restarted kubelet finds its earlier CSR instead of piling up.
        let name = "node-csr-" + Base64URL.encode(try PKI.Digest.sha256(request.publicKeyDER + Array("system:node:\(nodeName)|system:nodes".utf8)).prefix(24))
        let object: JSONValue = [
            "apiVersion": "certificates.k8s.io/v1", "kind": "CertificateSigningRequest",
            "metadata": ["name": .string(name)],
            "spec": ["request": .string(Data(request.pem.utf8).base64EncodedString()), "signerName": .string(Self.signerName),
                     "usages": .array(Self.usages.map { .string($0) })],
        ]
        log("TLS bootstrap: requesting a client certificate for system:node:\(nodeName) (CSR \(name))")
        var delay = Duration.milliseconds(250)
        while true {
            do {
                _ = try await client.create(csrs, object)
                break
            } catch let error as KubeClientError where error.isAlreadyExists {
                break
            } catch {
                log("TLS bootstrap: cannot create the CSR yet: \(error); retrying")
                try await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(5))
            }
        }
        let certificatePEM = try await waitForCertificate(client: client, csrs: csrs, name: name)
        try write(certificatePEM: certificatePEM, key: key, bootstrap: bootstrap)
        try? FileManager.default.removeItem(atPath: keyPath)
        log("TLS bootstrap: got a client certificate; wrote \(kubeconfig)")
    }

    private var keyPath: String { pkiDirectory + "/kubelet-client.key.tmp" }

    /// The key survives a kubelet restart during bootstrap, so the same CSR is found again.
    private func loadOrCreateKey() throws -> PrivateKey {
        if let pem = try? String(contentsOfFile: keyPath, encoding: .utf8), let key = try? PrivateKey(pem: pem) { return key }
        let key = try PrivateKey.generate(.ecdsaP256)
        try AtomicFile.write(key.pem, to: keyPath, mode: 0o600)
        return key
    }

    private func waitForCertificate(client: RESTClient, csrs: APIResourceInfo, name: String) async throws -> String {
        var delay = Duration.milliseconds(200)
        while true {
            if let csr = try? await client.get(csrs, name: name) {
                for condition in csr[path: ["status", "conditions"]]?.array ?? [] {
                    let type = condition["type"]?.string ?? ""
                    if type == "Denied" || type == "Failed" {
                        throw TLSBootstrapError("the certificate signing request \(name) was \(type.lowercased()): "
                            + "\(condition["message"]?.string ?? "no message"); delete it and restart the kubelet after fixing the cause")
                    }
                }
                if let encoded = csr[path: ["status", "certificate"]]?.string, let data = Data(base64Encoded: encoded),
                   let pem = String(data: data, encoding: .utf8), !pem.isEmpty {
                    return pem
                }
            }
            try await Task.sleep(for: delay)
            delay = min(delay * 2, .seconds(2))
        }
    }

    private func write(certificatePEM: String, key: PrivateKey, bootstrap: Kubeconfig) throws {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd-HH-mm-ss"
        formatter.timeZone = TimeZone(identifier: "UTC")
        let file = pkiDirectory + "/kubelet-client-\(formatter.string(from: Date())).pem"
        try AtomicFile.write(certificatePEM + key.pem, to: file, mode: 0o600)
        let link = currentCertificatePath
        let temporary = link + ".tmp"
        try? FileManager.default.removeItem(atPath: temporary)
        try FileManager.default.createSymbolicLink(atPath: temporary, withDestinationPath: file)
        guard rename(temporary, link) == 0 else { throw TLSBootstrapError("cannot point \(link) at \(file): \(String(cString: strerror(errno)))") }
        let current = bootstrap.contexts.first { $0.name == bootstrap.currentContext }?.context.cluster
        guard let cluster = bootstrap.clusters.first(where: { $0.name == current }) ?? bootstrap.clusters.first else {
            throw TLSBootstrapError("\(bootstrapKubeconfig) has no cluster entry")
        }
        var config = Kubeconfig()
        var named = cluster
        named.name = "default-cluster"
        config.clusters = [named]
        config.contexts = bootstrap.contexts.prefix(1).map { context in
            var copy = context
            copy.name = "default-context"
            copy.context.cluster = "default-cluster"
            copy.context.user = "default-auth"
            return copy
        }
        config.currentContext = "default-context"
        config.users = bootstrap.users.prefix(1).map { user in
            var copy = user
            copy.name = "default-auth"
            copy.user = Kubeconfig.User(clientCertificate: link, clientKey: link)
            return copy
        }
        try AtomicFile.write(try config.yaml(), to: kubeconfig, mode: 0o600)
    }
}

public struct TLSBootstrapError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
