import Foundation
import KubeAPI
import KubeClient
import Manifests
import PKI

/// `token generate|create|list|delete` (kubeadm.md section 12): bootstrap token Secrets in kube-system, through
/// admin.conf (or `--kubeconfig`).
public enum TokenCommands {
    public static let defaultKubeconfig = HostPaths().kubeconfig(.admin)

    public static func generate(output: Output = .standard) {
        output.line(BootstrapTokenString.generate().description)
    }

    /// What `token create` was asked for.
    public struct CreateRequest: Sendable {
        public var token: String?
        public var ttl: String?
        public var description: String?
        public var usages: [String] = ["signing", "authentication"]
        public var groups: [String] = [WellKnown.defaultNodeTokenGroup]
        public var printJoinCommand = false
        public var kubeconfig: String?
        public init() {}
    }

    public static func create(_ request: CreateRequest, output: Output = .standard) async throws {
        let token: BootstrapTokenString
        if let text = request.token {
            guard let parsed = BootstrapTokenString(text) else { throw TokenError("the token \"<redacted>\" is invalid: " + BootstrapTokenString.formatHint) }
            token = parsed
        } else {
            token = BootstrapTokenString.generate()
        }
        let ttl: Double
        do { ttl = try request.ttl.map { try GoDuration(parsing: $0).seconds } ?? WellKnown.defaultTokenTTL } catch {
            throw TokenError("--ttl \(request.ttl ?? ""): \(error)")
        }
        for usage in request.usages where !["signing", "authentication"].contains(usage) {
            throw TokenError("--usages: \"\(usage)\" is not a valid usage; use signing and/or authentication")
        }
        for group in request.groups where !group.hasPrefix("system:bootstrappers:") {
            throw TokenError("--groups: \"\(group)\" must start with system:bootstrappers:")
        }
        let kubeconfig = request.kubeconfig ?? defaultKubeconfig
        let client = try connect(kubeconfig)
        defer { Task { await client.shutdown() } }
        let resolved = ResolvedBootstrapToken(token: token, description: request.description, ttl: ttl == 0 ? nil : ttl,
                                              usages: request.usages, groups: request.groups)
        do {
            _ = try await client.create(try Resources.info("", "secrets"), ClusterPhases.tokenSecret(resolved, now: Date()))
        } catch let error as KubeClientError where error.isAlreadyExists {
            throw TokenError("a bootstrap token with ID \"\(token.id)\" already exists; delete it first or choose another")
        }
        guard request.printJoinCommand else {
            output.line(token.description)
            return
        }
        let (endpoint, hash) = try joinTarget(kubeconfig)
        output.line(ShowJoinCommandPhase.joinCommand(endpoint: endpoint, token: token.description, hashes: [hash], multiline: false))
    }

    public static func list(kubeconfig: String?, output: Output = .standard, now: Date = Date()) async throws {
        let client = try connect(kubeconfig ?? defaultKubeconfig)
        defer { Task { await client.shutdown() } }
        var options = ListOptions()
        options.fieldSelector = "type=bootstrap.kubernetes.io/token"
        let secrets = try await client.listAll(try Resources.info("", "secrets"), namespace: "kube-system", options: options).items
        var rows = [["TOKEN", "TTL", "EXPIRES", "USAGES", "DESCRIPTION", "EXTRA GROUPS"]]
        for secret in secrets.sorted(by: { ($0.metadata.name ?? "") < ($1.metadata.name ?? "") }) {
            func value(_ key: String) -> String? {
                secret[path: ["data", key]]?.string.flatMap { Data(base64Encoded: $0) }.flatMap { String(data: $0, encoding: .utf8) }
            }
            guard let id = value("token-id"), let secretPart = value("token-secret") else { continue }
            let expires = value("expiration")
            let ttl = expires.flatMap { ISO8601DateFormatter().date(from: $0) }.map { shortDuration($0.timeIntervalSince(now)) } ?? "<forever>"
            let usages = ["authentication", "signing"].filter { value("usage-bootstrap-\($0)") == "true" }
            rows.append(["\(id).\(secretPart)", ttl, expires ?? "<never>", usages.isEmpty ? "<none>" : usages.joined(separator: ","),
                         value("description") ?? "<none>", value("auth-extra-groups") ?? "<none>"])
        }
        let widths = (0..<6).map { column in rows.map { $0[column].count }.max() ?? 0 }
        for row in rows {
            output.line(row.enumerated().map { $0.offset == 5 ? $0.element : $0.element.padding(toLength: widths[$0.offset] + 3, withPad: " ", startingAt: 0) }
                .joined())
        }
    }

    public static func delete(_ tokens: [String], kubeconfig: String?, output: Output = .standard) async throws {
        guard !tokens.isEmpty else { throw TokenError("missing subcommand; 'token delete' is missing token of form \"[a-z0-9]{6}\" or \"[a-z0-9]{6}.[a-z0-9]{16}\"") }
        let client = try connect(kubeconfig ?? defaultKubeconfig)
        defer { Task { await client.shutdown() } }
        for text in tokens {
            let id = BootstrapTokenString(text)?.id ?? text
            guard id.count == 6, id.allSatisfy({ $0.isLowercase || $0.isNumber }) else {
                throw TokenError("given token didn't match pattern \"[a-z0-9]{6}\" or \"[a-z0-9]{6}.[a-z0-9]{16}\"")
            }
            do {
                try await client.delete(try Resources.info("", "secrets"), namespace: "kube-system", name: "bootstrap-token-\(id)")
            } catch let error as KubeClientError where error.isNotFound {
                throw TokenError("bootstrap token \"\(id)\" not found")
            }
            output.line("bootstrap token \"\(id)\" deleted")
        }
    }

    static func connect(_ kubeconfig: String) throws -> RESTClient {
        guard FileManager.default.fileExists(atPath: kubeconfig) else {
            throw TokenError("cannot read \(kubeconfig): it does not exist; run this on a control-plane node or pass --kubeconfig")
        }
        return try RESTClient(kubeconfig: kubeconfig, component: "kubeadm-swift")
    }

    /// The join endpoint (the kubeconfig's server without https://) and the CA pin.
    static func joinTarget(_ kubeconfig: String) throws -> (String, String) {
        let config = try Kubeconfig.parse(String(contentsOfFile: kubeconfig, encoding: .utf8))
        let current = config.contexts.first { $0.name == config.currentContext }?.context.cluster
        guard let cluster = (config.clusters.first { $0.name == current } ?? config.clusters.first)?.cluster,
              let caPEM = Kubeconfig.decodeData(cluster.certificateAuthorityData) else {
            throw TokenError("\(kubeconfig) has no cluster with certificate-authority-data to build the join command from")
        }
        return (cluster.server.replacingOccurrences(of: "https://", with: ""), caCertHash(try Certificate(pem: caPEM)))
    }

    /// kubeadm's short TTL form: `23h`, `59m`, `30s`.
    static func shortDuration(_ seconds: TimeInterval) -> String {
        let value = max(0, Int(seconds.rounded()))
        if value >= 3600 { return "\(value / 3600)h" }
        if value >= 60 { return "\(value / 60)m" }
        return "\(value)s"
    }
}

struct TokenError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
