import Foundation

/// Where a pod finds its service account and the API server (client-go's `rest.InClusterConfig`).
public enum InClusterPaths {
    public static let directory = "/var/run/secrets/kubernetes.io/serviceaccount"
    public static let hostVariable = "KUBERNETES_SERVICE_HOST"
    public static let portVariable = "KUBERNETES_SERVICE_PORT"
}

extension ClientConfig {
    /// The configuration of a process running in a pod: the API server from `KUBERNETES_SERVICE_HOST`/`_PORT`, the
    /// CA from `ca.crt`, the token from `token` (re-read as the kubelet rotates it) and the namespace from
    /// `namespace` of the service-account mount.
    /// - Parameters:
    ///   - environment: the process environment (injectable for tests).
    ///   - directory: the service-account mount.
    /// - Throws: `ClientConfigError` naming the variable or file that is missing.
    public static func inCluster(environment: [String: String] = ProcessInfo.processInfo.environment,
                                 directory: String = InClusterPaths.directory) throws -> ClientConfig {
        let source = "in-cluster configuration"
        guard let host = environment[InClusterPaths.hostVariable], !host.isEmpty,
              let portText = environment[InClusterPaths.portVariable], !portText.isEmpty else {
            throw ClientConfigError(source: source, field: "\(InClusterPaths.hostVariable)/\(InClusterPaths.portVariable)",
                                    message: "unset: this process is not running in a pod; pass a kubeconfig instead")
        }
        guard let port = Int(portText), (1...65535).contains(port) else {
            throw ClientConfigError(source: source, field: InClusterPaths.portVariable, message: "\"\(portText)\" is not a port number")
        }
        let files = FileReader(source: source, baseDirectory: directory)
        let tokenPath = files.resolve("token")
        _ = try files.read(tokenPath, field: "token")
        let caPath = files.resolve("ca.crt")
        let ca = try files.read(caPath, field: "ca.crt")
        let namespace = (try? String(contentsOfFile: files.resolve("namespace"), encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines)
        var config = ClientConfig(server: ServerURL(host: host, port: port), certificateAuthorityPEM: ca,
                                  tokenFile: tokenPath, namespace: namespace.flatMap { $0.isEmpty ? nil : $0 } ?? "default")
        config.origins = CredentialOrigins(source: directory, certificateAuthority: caPath, tokenFile: tokenPath)
        return config
    }
}
