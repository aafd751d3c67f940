import KubeAPI
import Foundation
import Manifests
import PKI

/// What `kubeadm-swift join` was asked to do.
public struct JoinRequest: Sendable {
    public var apiServerEndpoint: String?
    public var token: String?
    public var discoveryToken: String?
    public var caCertHashes: [String] = []
    public var unsafeSkipCAVerification = false
    public var discoveryFile: String?
    public var tlsBootstrapToken: String?
    public var controlPlane = false
    public var certificateKey: String?
    public var nodeName: String?
    public var configFile: String?
    public var ignorePreflightErrors: [String] = []
    public var skipPhases: [String] = []
    public var dryRun = false
    public init() {}
}

/// A join request that cannot work as given (exit code 3, like kubeadm's validation errors).
public struct JoinValidationError: Error, CustomStringConvertible {
    public var errors: [FieldError]
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}

/// `kubeadm-swift join`: validates the request fully today; discovery and TLS bootstrap arrive with the
/// init/join issue.
public enum JoinRunner {
    public static func run(_ request: JoinRequest) async throws {
        try validate(request)
        throw NotBuiltError(what: "Joining a node (discovery and TLS bootstrap)", arrivesWith: "the init/join/reset issue (#7)")
    }

    /// kubeadm's JoinConfiguration validation for token discovery, with the same texts.
    public static func validate(_ request: JoinRequest) throws {
        var join = JoinConfiguration()
        if let file = request.configFile {
            let documents = try ConfigLoader.load(file: file)
            guard let fromFile = documents.joinConfiguration else {
                throw ConfigError(source: file, "no JoinConfiguration document found; 'kubeadm-swift config print join-defaults' prints one")
            }
            join = fromFile
        }
        var discovery = join.discovery ?? JoinConfiguration.Discovery()
        var tokenDiscovery = discovery.bootstrapToken ?? JoinConfiguration.BootstrapTokenDiscovery()
        if let endpoint = request.apiServerEndpoint { tokenDiscovery.apiServerEndpoint = endpoint }
        if let token = request.discoveryToken ?? request.token { tokenDiscovery.token = token }
        if !request.caCertHashes.isEmpty { tokenDiscovery.caCertHashes = request.caCertHashes }
        if request.unsafeSkipCAVerification { tokenDiscovery.unsafeSkipCAVerification = true }
        if let tls = request.tlsBootstrapToken ?? request.token { discovery.tlsBootstrapToken = tls }
        discovery.bootstrapToken = tokenDiscovery

        var errors: [FieldError] = []
        let usesFile = request.discoveryFile != nil || discovery.file != nil
        if !usesFile {
            if let token = tokenDiscovery.token {
                if BootstrapTokenString(token) == nil {
                    errors.append(.invalid("discovery.bootstrapToken.token", "<redacted>", "the bootstrap token is invalid: " + BootstrapTokenString.formatHint))
                }
            } else {
                errors.append(FieldError("discovery.bootstrapToken.token", "Required value: pass --token (or --discovery-token) printed by 'kubeadm-swift init' or 'kubeadm-swift token create'"))
            }
            let endpoint = tokenDiscovery.apiServerEndpoint ?? ""
            if endpoint.isEmpty {
                errors.append(FieldError("discovery.bootstrapToken.apiServerEndpoint", "Required value: give the API server as HOST:PORT, e.g. 'kubeadm-swift join 10.0.0.1:6443 ...'"))
            } else if !isHostPort(endpoint) {
                errors.append(.invalid("discovery.bootstrapToken.apiServerEndpoint", endpoint, "must be HOST:PORT, e.g. 10.0.0.1:6443"))
            }
            let hashes = tokenDiscovery.caCertHashes ?? []
            if hashes.isEmpty, !(tokenDiscovery.unsafeSkipCAVerification ?? false) {
                errors.append(.invalid("discovery.bootstrapToken.caCertHashes", "",
                                       "using token-based discovery without caCertHashes can be unsafe. Set unsafeSkipCAVerification as true in your kubeadm config file or pass --discovery-token-unsafe-skip-ca-verification flag to continue"))
            }
            for (index, hash) in hashes.enumerated() {
                do { _ = try parseCACertHash(hash) } catch {
                    errors.append(.invalid("discovery.bootstrapToken.caCertHashes[\(index)]", hash, "\(error)"))
                }
            }
        }
        if let tls = discovery.tlsBootstrapToken, BootstrapTokenString(tls) == nil {
            errors.append(.invalid("discovery.tlsBootstrapToken", "<redacted>", "the bootstrap token is invalid: " + BootstrapTokenString.formatHint))
        }
        if let key = request.certificateKey {
            if !request.controlPlane { errors.append(FieldError("controlPlane.certificateKey", "Invalid value: --certificate-key is only used together with --control-plane")) }
            if key.count != 64 || !key.allSatisfy(\.isHexDigit) {
                errors.append(.invalid("controlPlane.certificateKey", "<redacted>", "must be 64 hexadecimal characters (32 bytes); 'kubeadm-swift certs certificate-key' prints one"))
            }
        }
        if !errors.isEmpty { throw JoinValidationError(errors: errors) }
    }

    static func isHostPort(_ text: String) -> Bool {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (1...65535).contains(port) else { return false }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return IPAddress(host) != nil || NameValidation.isDNS1123Subdomain(host)
    }
}
