import Foundation

/// Everything a `RESTClient` needs to reach and authenticate to an API server, whatever it was loaded from: a
/// kubeconfig file (`ClientConfig+Kubeconfig.swift`), the in-cluster service-account mount
/// (`ClientConfig+InCluster.swift`), or built by hand in tests.
///
/// Credential material is held as PEM text, already read from files, so a configuration that loaded without
/// error cannot fail later because a file moved; only the token file is re-read, because it rotates.
public struct ClientConfig: Sendable {
    public var server: ServerURL
    /// PEM CA bundle the server certificate must chain to; nil = the system trust store.
    public var certificateAuthorityPEM: String?
    /// PEM client certificate (chain) for mutual TLS; needs `clientKeyPEM`.
    public var clientCertificatePEM: String?
    /// PEM private key of the client certificate.
    public var clientKeyPEM: String?
    /// A static bearer token.
    public var bearerToken: String?
    /// A file holding the bearer token, re-read every `tokenFileRefresh` (it wins over `bearerToken`, as in client-go).
    public var tokenFile: String?
    /// Skips server certificate verification (kubeconfig `insecure-skip-tls-verify`); for bootstrapping only.
    public var insecureSkipTLSVerify: Bool
    /// The namespace of the context (or the pod), used by callers that have no namespace of their own.
    public var namespace: String
    /// Where each credential came from, e.g. `users[admin].user.client-key-data`, so TLS errors can name it.
    public var origins: CredentialOrigins
    /// Time allowed for one request (connect, send, and the whole response); watches are exempt.
    public var requestTimeout: Duration
    /// Time allowed to open a TCP connection and finish the TLS handshake.
    public var connectTimeout: Duration
    /// Keep-alive connections per client; watches open their own on top of these.
    public var maxConnections: Int
    /// How long a token read from `tokenFile` is used before the file is read again (client-go: one minute).
    public var tokenFileRefresh: Duration

    /// The source file and field of each piece of credential material, for error messages.
    public struct CredentialOrigins: Sendable, Equatable {
        public var source: String
        public var certificateAuthority: String
        public var clientCertificate: String
        public var clientKey: String
        public var tokenFile: String

        public init(source: String = "", certificateAuthority: String = "certificate-authority",
                    clientCertificate: String = "client-certificate", clientKey: String = "client-key",
                    tokenFile: String = "tokenFile") {
            self.source = source
            self.certificateAuthority = certificateAuthority
            self.clientCertificate = clientCertificate
            self.clientKey = clientKey
            self.tokenFile = tokenFile
        }
    }

    public init(server: ServerURL, certificateAuthorityPEM: String? = nil, clientCertificatePEM: String? = nil,
                clientKeyPEM: String? = nil, bearerToken: String? = nil, tokenFile: String? = nil,
                insecureSkipTLSVerify: Bool = false, namespace: String = "default",
                origins: CredentialOrigins = CredentialOrigins(), requestTimeout: Duration = .seconds(30),
                connectTimeout: Duration = .seconds(10), maxConnections: Int = 4, tokenFileRefresh: Duration = .seconds(60)) {
        self.server = server
        self.certificateAuthorityPEM = certificateAuthorityPEM
        self.clientCertificatePEM = clientCertificatePEM
        self.clientKeyPEM = clientKeyPEM
        self.bearerToken = bearerToken
        self.tokenFile = tokenFile
        self.insecureSkipTLSVerify = insecureSkipTLSVerify
        self.namespace = namespace
        self.origins = origins
        self.requestTimeout = requestTimeout
        self.connectTimeout = connectTimeout
        self.maxConnections = maxConnections
        self.tokenFileRefresh = tokenFileRefresh
    }

    /// The usual lookup order of a component without flags: `$KUBECONFIG` (its first file), the in-cluster
    /// service account when running in a pod, then `~/.kube/config`.
    public static func automatic(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ClientConfig {
        if let list = environment["KUBECONFIG"], let first = list.split(separator: ":").first {
            return try fromKubeconfig(path: String(first))
        }
        if environment[InClusterPaths.hostVariable] != nil {
            return try inCluster(environment: environment)
        }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return try fromKubeconfig(path: home + "/.kube/config")
    }
}
