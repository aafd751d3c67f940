import Foundation
import Manifests

extension ClientConfig {
    /// Loads a kubeconfig file and resolves its current context (or `context`).
    ///
    /// Relative file paths inside it are resolved against the file's directory, as client-go does, so a kubeconfig
    /// and its certificates can be moved together.
    /// - Throws: `ClientConfigError` naming the file and the field at fault.
    public static func fromKubeconfig(path: String, context: String? = nil) throws -> ClientConfig {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ClientConfigError(source: path, field: "", message: "cannot read the kubeconfig file: \(error.localizedDescription)")
        }
        let kubeconfig: Kubeconfig
        do {
            kubeconfig = try Kubeconfig.parse(text)
        } catch {
            let field = FieldDecodingError.from(error)
            throw ClientConfigError(source: path, field: field.path, message: "not a valid kubeconfig: \(field.message)")
        }
        let directory = (path as NSString).deletingLastPathComponent
        return try fromKubeconfig(kubeconfig, source: path, baseDirectory: directory.isEmpty ? "." : directory, context: context)
    }

    /// Resolves a parsed kubeconfig: the context, its cluster and its user, reading every referenced file now.
    /// - Parameters:
    ///   - source: the file name used in errors ("" for an in-memory configuration).
    ///   - baseDirectory: the directory relative paths are resolved against.
    ///   - context: a context name to use instead of `current-context`.
    public static func fromKubeconfig(_ kubeconfig: Kubeconfig, source: String = "", baseDirectory: String = ".",
                                      context: String? = nil) throws -> ClientConfig {
        func fail(_ field: String, _ message: String) -> ClientConfigError {
            ClientConfigError(source: source, field: field, message: message)
        }
        let contextName = context ?? kubeconfig.currentContext
        let named: Kubeconfig.NamedContext
        if contextName.isEmpty {
            guard kubeconfig.contexts.count <= 1, let only = kubeconfig.contexts.first else {
                throw fail("current-context", kubeconfig.contexts.isEmpty
                    ? "no contexts are defined" : "is empty; set it to one of: " + kubeconfig.contexts.map(\.name).joined(separator: ", "))
            }
            named = only
        } else {
            guard let found = kubeconfig.contexts.first(where: { $0.name == contextName }) else {
                throw fail(context == nil ? "current-context" : "contexts", "context \"\(contextName)\" is not defined")
            }
            named = found
        }
        let contextField = "contexts[\(named.name)].context"
        guard let cluster = kubeconfig.clusters.first(where: { $0.name == named.context.cluster }) else {
            throw fail(contextField + ".cluster", "cluster \"\(named.context.cluster)\" is not defined")
        }
        let clusterField = "clusters[\(cluster.name)].cluster"
        guard let server = ServerURL(parsing: cluster.cluster.server) else {
            throw fail(clusterField + ".server", "\"\(cluster.cluster.server)\" is not a URL such as https://10.0.0.1:6443")
        }
        let files = FileReader(source: source, baseDirectory: baseDirectory)
        var config = ClientConfig(server: server, namespace: named.context.namespace ?? "default")
        config.origins.source = source
        config.insecureSkipTLSVerify = cluster.cluster.insecureSkipTLSVerify ?? false
        (config.certificateAuthorityPEM, config.origins.certificateAuthority) = try files.material(
            data: cluster.cluster.certificateAuthorityData, file: cluster.cluster.certificateAuthority,
            field: clusterField + ".certificate-authority")
        if config.insecureSkipTLSVerify && config.certificateAuthorityPEM != nil {
            throw fail(clusterField + ".insecure-skip-tls-verify",
                       "cannot be combined with a certificate authority (client-go refuses it too); remove one of them")
        }

        let userName = named.context.user
        let user: Kubeconfig.User
        if userName.isEmpty {
            user = Kubeconfig.User()
        } else if let found = kubeconfig.users.first(where: { $0.name == userName }) {
            user = found.user
        } else {
            throw fail(contextField + ".user", "user \"\(userName)\" is not defined")
        }
        let userField = "users[\(userName)].user"
        (config.clientCertificatePEM, config.origins.clientCertificate) = try files.material(
            data: user.clientCertificateData, file: user.clientCertificate, field: userField + ".client-certificate")
        (config.clientKeyPEM, config.origins.clientKey) = try files.material(
            data: user.clientKeyData, file: user.clientKey, field: userField + ".client-key")
        switch (config.clientCertificatePEM != nil, config.clientKeyPEM != nil) {
        case (true, false): throw fail(userField + ".client-key", "is missing: a client certificate needs its private key")
        case (false, true): throw fail(userField + ".client-certificate", "is missing: a client key needs its certificate")
        default: break
        }
        config.bearerToken = user.token.flatMap { $0.isEmpty ? nil : $0 }
        if let tokenFile = user.tokenFile, !tokenFile.isEmpty {
            let path = files.resolve(tokenFile)
            config.origins.tokenFile = userField + ".tokenFile"
            _ = try files.read(path, field: config.origins.tokenFile)
            config.tokenFile = path
        }
        return config
    }
}

/// Reads the files a kubeconfig points at, resolving relative paths and wording errors with the field name.
struct FileReader {
    var source: String
    var baseDirectory: String

    func resolve(_ path: String) -> String {
        path.hasPrefix("/") ? path : baseDirectory + "/" + path
    }

    func read(_ path: String, field: String) throws -> String {
        do {
            return try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ClientConfigError(source: source, field: field, message: "cannot read \(path): \(error.localizedDescription)")
        }
    }

    /// A `*-data` field (base64 PEM) or its file twin: data wins when both are set, as in client-go.
    /// - Returns: the PEM text and the field it came from, or (nil, field) when neither is set.
    func material(data: String?, file: String?, field: String) throws -> (String?, String) {
        if let data, !data.isEmpty {
            guard let pem = Kubeconfig.decodeData(data) else {
                throw ClientConfigError(source: source, field: field + "-data", message: "is not base64-encoded PEM text")
            }
            return (pem, field + "-data")
        }
        if let file, !file.isEmpty {
            return (try read(resolve(file), field: field), field)
        }
        return (nil, field)
    }
}
