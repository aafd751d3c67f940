import Foundation
import Yams

/// A kubeconfig file (`apiVersion: v1`, `kind: Config`) with the fields kubectl and client-go read.
public struct Kubeconfig: Codable, Sendable, Equatable {
    public var apiVersion: String = "v1"
    public var kind: String = "Config"
    public var clusters: [NamedCluster] = []
    public var contexts: [NamedContext] = []
    public var currentContext: String = ""
    public var preferences: [String: String] = [:]
    public var users: [NamedUser] = []

    enum CodingKeys: String, CodingKey {
        case apiVersion, kind, clusters, contexts, currentContext = "current-context", preferences, users
    }

    public struct NamedCluster: Codable, Sendable, Equatable { public var name: String; public var cluster: Cluster }
    public struct Cluster: Codable, Sendable, Equatable {
        public var server: String
        public var certificateAuthorityData: String?
        public var insecureSkipTLSVerify: Bool?
        /// A CA bundle file; relative paths are relative to the kubeconfig file (client-go's rule).
        public var certificateAuthority: String?
        enum CodingKeys: String, CodingKey {
            case certificateAuthorityData = "certificate-authority-data", server, insecureSkipTLSVerify = "insecure-skip-tls-verify"
            case certificateAuthority = "certificate-authority"
        }
    }
    public struct NamedContext: Codable, Sendable, Equatable { public var name: String; public var context: Context }
    public struct Context: Codable, Sendable, Equatable {
        public var cluster: String
        public var user: String
        /// The default namespace of the context (kubectl's `--namespace` fallback).
        public var namespace: String?
    }
    public struct NamedUser: Codable, Sendable, Equatable { public var name: String; public var user: User }
    public struct User: Codable, Sendable, Equatable {
        public var clientCertificateData: String?
        public var clientKeyData: String?
        public var clientCertificate: String?
        public var clientKey: String?
        public var token: String?
        /// A file holding the bearer token, re-read as it rotates (projected service-account tokens).
        public var tokenFile: String?
        enum CodingKeys: String, CodingKey {
            case clientCertificateData = "client-certificate-data", clientKeyData = "client-key-data"
            case clientCertificate = "client-certificate", clientKey = "client-key", token, tokenFile
        }
        public init(clientCertificateData: String? = nil, clientKeyData: String? = nil, clientCertificate: String? = nil,
                    clientKey: String? = nil, token: String? = nil) {
            self.clientCertificateData = clientCertificateData; self.clientKeyData = clientKeyData
            self.clientCertificate = clientCertificate; self.clientKey = clientKey; self.token = token
        }
    }

    public init() {}

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        apiVersion = try c.decodeIfPresent(String.self, forKey: .apiVersion) ?? "v1"
        kind = try c.decodeIfPresent(String.self, forKey: .kind) ?? "Config"
        clusters = try c.decodeIfPresent([NamedCluster].self, forKey: .clusters) ?? []
        contexts = try c.decodeIfPresent([NamedContext].self, forKey: .contexts) ?? []
        currentContext = try c.decodeIfPresent(String.self, forKey: .currentContext) ?? ""
        preferences = (try? c.decodeIfPresent([String: String].self, forKey: .preferences)) ?? [:]
        users = try c.decodeIfPresent([NamedUser].self, forKey: .users) ?? []
    }

    /// kubeadm's shape: one cluster, one user named after the client, one context `<user>@<cluster>` that is current.
    public static func withClientCertificate(clusterName: String, server: String, caPEM: String, userName: String,
                                             certificatePEM: String, keyPEM: String) -> Kubeconfig {
        with(clusterName: clusterName, server: server, caPEM: caPEM, userName: userName,
             user: User(clientCertificateData: base64(certificatePEM), clientKeyData: base64(keyPEM)))
    }

    /// A kubeconfig that authenticates with a bearer token (join's bootstrap-kubelet.conf).
    public static func withToken(clusterName: String, server: String, caPEM: String, userName: String, token: String) -> Kubeconfig {
        with(clusterName: clusterName, server: server, caPEM: caPEM, userName: userName, user: User(token: token))
    }

    private static func with(clusterName: String, server: String, caPEM: String, userName: String, user: User) -> Kubeconfig {
        var config = Kubeconfig()
        config.clusters = [NamedCluster(name: clusterName, cluster: Cluster(server: server, certificateAuthorityData: base64(caPEM)))]
        let contextName = "\(userName)@\(clusterName)"
        config.contexts = [NamedContext(name: contextName, context: Context(cluster: clusterName, user: userName))]
        config.currentContext = contextName
        config.users = [NamedUser(name: userName, user: user)]
        return config
    }

    public static func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }

    public func yaml() throws -> String { try YAMLEncoder().encode(self) }

    public static func parse(_ text: String) throws -> Kubeconfig { try YAMLDecoder().decode(Kubeconfig.self, from: text) }

    /// The cluster the current context points at.
    public var currentCluster: Cluster? {
        guard let context = contexts.first(where: { $0.name == currentContext }) else { return clusters.first?.cluster }
        return clusters.first { $0.name == context.context.cluster }?.cluster
    }

    /// The user the current context points at.
    public var currentUser: User? {
        guard let context = contexts.first(where: { $0.name == currentContext }) else { return users.first?.user }
        return users.first { $0.name == context.context.user }?.user
    }

    /// Decodes a `*-data` field back to PEM text.
    public static func decodeData(_ value: String?) -> String? {
        guard let value, let data = Data(base64Encoded: value) else { return nil }
        return String(data: data, encoding: .utf8)
    }
}
