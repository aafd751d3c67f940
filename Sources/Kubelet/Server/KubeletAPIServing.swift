import Foundation
import HTTPTransport
import KubeAPI
import KubeClient
import Manifests
import PKI

/// The kubelet API on `address:port` (upstream's :10250) in the kubelet process: its serving certificate, and the
/// TokenReview / SubjectAccessReview webhooks its authentication and authorization settings ask for.
extension KubeletMain {
    /// Binds the kubelet API; nil when `port` is 0.
    /// - Parameters:
    ///   - config: the kubelet configuration (`address`, `port`, `tlsCertFile`, `authentication`, `authorization`).
    ///   - certificateDirectory: where a self-signed serving certificate is kept when `tlsCertFile` is not set.
    ///   - client: the API client for the webhooks; without one, webhook checks deny.
    static func startKubeletAPI(_ config: KubeletConfiguration, certificateDirectory: String, nodeName: String, nodeIP: String,
                                client: RESTClient?, backend: any KubeletAPIBackend) async throws -> HTTPServer? {
        guard config.port != 0 else { return nil }
        let (certificate, key) = config.tlsCertFile.isEmpty
            ? try selfSignedServingCertificate(in: certificateDirectory, nodeName: nodeName, nodeIP: nodeIP)
            : (config.tlsCertFile, config.tlsPrivateKeyFile)
        let tokenReview: KubeletAPIHandler.TokenReview? = config.webhookAuthentication ? { @Sendable token in
            await reviewToken(token, client: client)
        } : nil
        let accessReview: KubeletAPIHandler.AccessReview? = config.authorizationMode == "Webhook" ? { @Sendable user, verb, subresource in
            await reviewAccess(user, verb: verb, subresource: subresource, node: nodeName, client: client)
        } : nil
        let handler = KubeletAPIHandler(backend: backend, tokenReview: tokenReview, accessReview: accessReview,
                                        allowAnonymous: config.anonymousAuth)
        return try await HTTPServer(
            settings: HTTPServerSettings(host: config.address, port: config.port, tls: .init(
                certificateFile: certificate, privateKeyFile: key, clientCAFile: config.clientCAFile.isEmpty ? nil : config.clientCAFile)),
            responder: handler)
    }

    /// Upstream's fallback when no serving certificate is configured: a self-signed one for the node's name and IP,
    /// kept as `kubelet.crt`/`kubelet.key` and reused while it is valid.
    static func selfSignedServingCertificate(in directory: String, nodeName: String, nodeIP: String) throws -> (String, String) {
        let (certificatePath, keyPath) = (directory + "/kubelet.crt", directory + "/kubelet.key")
        if let existing = try? Certificate(pem: String(contentsOfFile: certificatePath, encoding: .utf8)),
           existing.notAfter > Date().addingTimeInterval(24 * 3600), FileManager.default.fileExists(atPath: keyPath) {
            return (certificatePath, keyPath)
        }
        let now = Date()
        let key = try PrivateKey.generate(.ecdsaP256)
        let certificate = try CertificateIssuer.selfSignedCA(
            config: CertificateConfig(commonName: nodeName, dnsNames: ["localhost"], ipAddresses: [nodeIP, "127.0.0.1"],
                                      usages: [.serverAuth], notBefore: now.addingTimeInterval(-60), notAfter: now.addingTimeInterval(365 * 24 * 3600)),
            key: key)
        try AtomicFile.write(key.pem, to: keyPath, mode: 0o600, directoryMode: 0o700)
        try AtomicFile.write(certificate.pem, to: certificatePath, mode: 0o644, directoryMode: 0o700)
        return (certificatePath, keyPath)
    }

    /// A TokenReview for a bearer token; nil when it is not authenticated (or cannot be asked).
    static func reviewToken(_ token: String, client: RESTClient?) async -> KubeletUser? {
        guard let client, let reviews = ResourceTable.resource(group: "authentication.k8s.io", version: "v1", plural: "tokenreviews"),
              let review = try? await client.create(reviews, [
                  "apiVersion": "authentication.k8s.io/v1", "kind": "TokenReview", "spec": ["token": .string(token)],
              ]),
              review[path: ["status", "authenticated"]]?.bool == true,
              let name = review[path: ["status", "user", "username"]]?.string
        else { return nil }
        return KubeletUser(name: name, groups: (review[path: ["status", "user", "groups"]]?.array ?? []).compactMap(\.string))
    }

    /// A SubjectAccessReview for `verb` on `nodes/<subresource>` of this node; false when it cannot be asked.
    static func reviewAccess(_ user: KubeletUser, verb: String, subresource: String, node: String, client: RESTClient?) async -> Bool {
        guard let client, let reviews = ResourceTable.resource(group: "authorization.k8s.io", version: "v1", plural: "subjectaccessreviews"),
              let review = try? await client.create(reviews, [
                  "apiVersion": "authorization.k8s.io/v1", "kind": "SubjectAccessReview",
                  "spec": ["user": .string(user.name), "groups": .array(user.groups.map { .string($0) }),
                           "resourceAttributes": ["verb": .string(verb), "resource": "nodes", "subresource": .string(subresource),
                                                  "name": .string(node)]],
              ])
        else { return false }
        return review[path: ["status", "allowed"]]?.bool == true
    }
}
