import Foundation
import Manifests
import Testing
@testable import KubeClient

/// Loading connection settings from kubeconfig files and the in-cluster mount, and the errors for bad ones.
@Suite("Client configuration")
struct ClientConfigTests {
    static func tempDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("kubeclient-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func write(_ text: String, _ name: String, in directory: URL) throws -> String {
        let path = directory.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func serverURLsParse() throws {
        let plain = try #require(ServerURL(parsing: "https://10.0.0.1:6443"))
        #expect(plain.host == "10.0.0.1" && plain.port == 6443 && plain.basePath == "" && plain.hostIsIPAddress)
        let v6 = try #require(ServerURL(parsing: "https://[fd00::1]:6443/"))
        #expect(v6.host == "fd00::1" && v6.port == 6443 && v6.hostHeader == "[fd00::1]:6443" && v6.hostIsIPAddress)
        let named = try #require(ServerURL(parsing: "https://api.example.com/prefix/"))
        #expect(named.port == 443 && named.basePath == "/prefix" && !named.hostIsIPAddress && named.hostHeader == "api.example.com")
        #expect(ServerURL(parsing: "10.0.0.1:6443")?.scheme == "https")
        #expect(ServerURL(parsing: "ftp://x") == nil)
        #expect(ServerURL(parsing: "https://x:99999") == nil)
        #expect(ServerURL(parsing: "https://:6443") == nil)
    }

    @Test func kubeconfigWithRelativeFilesAndContextNamespace() throws {
        let directory = try Self.tempDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = try Self.write("CA-PEM", "ca.crt", in: directory)
        _ = try Self.write("CERT-PEM", "client.crt", in: directory)
        _ = try Self.write("KEY-PEM", "client.key", in: directory)
        _ = try Self.write("tok-123\n", "token", in: directory)
        let yaml = """
        apiVersion: v1
        kind: Config
        clusters:
        - name: c1
          cluster:
            server: https://127.0.0.1:6443
            certificate-authority: ca.crt
        contexts:
        - name: ctx
          context: {cluster: c1, user: u1, namespace: kube-system}
        current-context: ctx
        users:
        - name: u1
          user:
            client-certificate: client.crt
            client-key: client.key
            tokenFile: token
        """
        let path = try Self.write(yaml, "config", in: directory)
        let config = try ClientConfig.fromKubeconfig(path: path)
        #expect(config.server == ServerURL(host: "127.0.0.1", port: 6443))
        #expect(config.certificateAuthorityPEM == "CA-PEM")
        #expect(config.clientCertificatePEM == "CERT-PEM" && config.clientKeyPEM == "KEY-PEM")
        #expect(config.namespace == "kube-system")
        #expect(config.tokenFile == directory.appendingPathComponent("token").path)
        #expect(TokenSource(config: config).token() == "tok-123")
        #expect(config.origins.clientKey == "users[u1].user.client-key")
    }

    @Test func dataFieldsWinOverFiles() throws {
        var kubeconfig = Kubeconfig.withClientCertificate(clusterName: "k", server: "https://127.0.0.1:6443", caPEM: "CA",
                                                          userName: "admin", certificatePEM: "CERT", keyPEM: "KEY")
        kubeconfig.clusters[0].cluster.certificateAuthority = "/does/not/exist"
        kubeconfig.users[0].user.token = "static"
        let config = try ClientConfig.fromKubeconfig(kubeconfig)
        #expect(config.certificateAuthorityPEM == "CA" && config.clientCertificatePEM == "CERT" && config.clientKeyPEM == "KEY")
        #expect(config.bearerToken == "static" && config.tokenFile == nil)
        #expect(config.origins.certificateAuthority == "clusters[k].cluster.certificate-authority-data")
    }

    /// Each mistake is reported with the file and the field path.
    @Test func errorsNameFileAndField() throws {
        let directory = try Self.tempDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let base = Kubeconfig.withClientCertificate(clusterName: "k", server: "https://127.0.0.1:6443", caPEM: "CA",
                                                    userName: "admin", certificatePEM: "CERT", keyPEM: "KEY")
        func failure(_ mutate: (inout Kubeconfig) -> Void) throws -> ClientConfigError? {
            var kubeconfig = base
            mutate(&kubeconfig)
            let path = try Self.write(kubeconfig.yaml(), "bad-\(UUID().uuidString)", in: directory)
            do {
                _ = try ClientConfig.fromKubeconfig(path: path)
                return nil
            } catch let error as ClientConfigError {
                #expect(error.source == path)
                #expect(error.description.hasPrefix(path + ": "))
                return error
            }
        }
        #expect(try failure { $0.currentContext = "nope" }?.field == "current-context")
        #expect(try failure { $0.contexts[0].context.cluster = "gone" }?.field == "contexts[admin@k].context.cluster")
        #expect(try failure { $0.contexts[0].context.user = "ghost" }?.field == "contexts[admin@k].context.user")
        #expect(try failure { $0.clusters[0].cluster.server = "ftp://x" }?.field == "clusters[k].cluster.server")
        #expect(try failure { $0.users[0].user.clientKeyData = nil }?.field == "users[admin].user.client-key")
        #expect(try failure { $0.clusters[0].cluster.insecureSkipTLSVerify = true }?.field == "clusters[k].cluster.insecure-skip-tls-verify")
        #expect(try failure { $0.users[0].user.clientKeyData = "!!not base64" }?.field == "users[admin].user.client-key-data")
        let unreadable = try failure {
            $0.users[0].user.clientKeyData = nil
            $0.users[0].user.clientKey = "missing.key"
        }
        #expect(unreadable?.field == "users[admin].user.client-key")
        #expect(unreadable?.message.contains(directory.appendingPathComponent("missing.key").path) == true)

        let missing = directory.appendingPathComponent("absent.conf").path
        #expect(throws: ClientConfigError.self) { try ClientConfig.fromKubeconfig(path: missing) }
        let garbage = try Self.write("clusters: 7\n", "garbage.conf", in: directory)
        let parse = #expect(throws: ClientConfigError.self) { try ClientConfig.fromKubeconfig(path: garbage) }
        #expect(parse?.source == garbage)
        #expect(parse?.field == "clusters")
    }

    @Test func unparsablePEMIsReportedAtClientCreation() throws {
        let config = ClientConfig(server: ServerURL(host: "127.0.0.1", port: 6443), certificateAuthorityPEM: "not pem",
                                  origins: .init(source: "admin.conf", certificateAuthority: "clusters[k].cluster.certificate-authority-data"))
        let error = #expect(throws: ClientConfigError.self) { try RESTClient(config: config, component: "test") }
        #expect(error?.field == "clusters[k].cluster.certificate-authority-data")
        #expect(error?.source == "admin.conf")
    }

    @Test func inClusterConfiguration() throws {
        let directory = try Self.tempDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = try Self.write("sa-token", "token", in: directory)
        _ = try Self.write("CA", "ca.crt", in: directory)
        _ = try Self.write("team-a\n", "namespace", in: directory)
        let environment = [InClusterPaths.hostVariable: "10.96.0.1", InClusterPaths.portVariable: "443"]
        let config = try ClientConfig.inCluster(environment: environment, directory: directory.path)
        #expect(config.server == ServerURL(host: "10.96.0.1", port: 443))
        #expect(config.certificateAuthorityPEM == "CA" && config.namespace == "team-a")
        #expect(TokenSource(config: config).token() == "sa-token")

        let outside = #expect(throws: ClientConfigError.self) { try ClientConfig.inCluster(environment: [:], directory: directory.path) }
        #expect(outside?.field.contains(InClusterPaths.hostVariable) == true)
        try FileManager.default.removeItem(at: directory.appendingPathComponent("token"))
        let noToken = #expect(throws: ClientConfigError.self) { try ClientConfig.inCluster(environment: environment, directory: directory.path) }
        #expect(noToken?.field == "token")
    }

    /// A rotated token file is picked up after the refresh interval; an unreadable one keeps the last token.
    @Test func tokenFileIsReread() throws {
        let directory = try Self.tempDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = try Self.write("one", "token", in: directory)
        let source = TokenSource(config: ClientConfig(server: ServerURL(host: "h", port: 1), tokenFile: path, tokenFileRefresh: .zero))
        #expect(source.token() == "one")
        _ = try Self.write("two", "token", in: directory)
        #expect(source.token() == "two")
        try FileManager.default.removeItem(atPath: path)
        #expect(source.token() == "two")
    }
}
