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

/// The join request after the config file, flags and validation: what the join phases read.
public struct ResolvedJoin: Sendable {
    public var endpoint: String
    public var discoveryToken: BootstrapTokenString?
    public var tlsBootstrapToken: BootstrapTokenString?
    public var caCertHashes: [String]
    public var unsafeSkipCAVerification: Bool
    public var discoveryFile: String?
    public var nodeName: String
    public var ignorePreflightErrors: [String]
    public var kubeletExtraArgs: ExtraArgs?
    public var discoveryTimeout: Double
    public var tlsBootstrapTimeout: Double
    public var kubeletHealthTimeout: Double
}

/// `kubeadm-swift join`: validation, then the join workflow (worker nodes; `--control-plane` is not built yet).
public enum JoinRunner {
    public static func run(_ request: JoinRequest, output: Output = .standard) async throws {
        let resolved = try validate(request)
        if request.controlPlane {
            throw NotBuiltError(what: "Joining a control-plane node (--control-plane)", arrivesWith: "the HA control plane work after the init/join issue (#7)")
        }
        let data = JoinData(join: resolved, output: output, dryRun: request.dryRun)
        try JoinWorkflow.workflow.validateSkips(request.skipPhases)
        try await JoinWorkflow.workflow.run(data, skipping: request.skipPhases)
        if !request.dryRun { JoinWorkflow.printJoined(output) }
    }

    /// kubeadm's JoinConfiguration validation for token discovery, with the same texts.
    @discardableResult
    public static func validate(_ request: JoinRequest) throws -> ResolvedJoin {
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
        let timeouts = join.timeouts
        return ResolvedJoin(
            endpoint: tokenDiscovery.apiServerEndpoint ?? "",
            discoveryToken: tokenDiscovery.token.flatMap(BootstrapTokenString.init),
            tlsBootstrapToken: discovery.tlsBootstrapToken.flatMap(BootstrapTokenString.init),
            caCertHashes: tokenDiscovery.caCertHashes ?? [], unsafeSkipCAVerification: tokenDiscovery.unsafeSkipCAVerification ?? false,
            discoveryFile: request.discoveryFile ?? discovery.file?.kubeConfigPath,
            nodeName: (request.nodeName ?? join.nodeRegistration?.name ?? ProcessInfo.processInfo.hostName).lowercased(),
            ignorePreflightErrors: (join.nodeRegistration?.ignorePreflightErrors ?? []) + request.ignorePreflightErrors,
            kubeletExtraArgs: join.nodeRegistration?.kubeletExtraArgs,
            discoveryTimeout: timeouts?.discovery?.seconds ?? WellKnown.Timeouts.discovery,
            tlsBootstrapTimeout: timeouts?.tlsBootstrap?.seconds ?? WellKnown.Timeouts.tlsBootstrap,
            kubeletHealthTimeout: timeouts?.kubeletHealthCheck?.seconds ?? WellKnown.Timeouts.kubeletHealthCheck)
    }

    static func isHostPort(_ text: String) -> Bool {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (1...65535).contains(port) else { return false }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return IPAddress(host) != nil || NameValidation.isDNS1123Subdomain(host)
    }
}
