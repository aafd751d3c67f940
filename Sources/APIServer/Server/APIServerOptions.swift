import Foundation
import Manifests

/// The command-line flags of the bundled kube-apiserver, with upstream's names (`--secure-port=6443` or
/// `--secure-port 6443`). Flags kubeadm passes that this server accepts without acting on them yet are listed in
/// `acceptedFlags`, so a manifest written for upstream still starts; any other flag is an error naming it.
public struct APIServerOptions: Sendable {
    public var advertiseAddress = ""
    public var bindAddress = "0.0.0.0"
    public var securePort = WellKnown.apiServerPort
    public var tlsCertFile = ""
    public var tlsPrivateKeyFile = ""
    public var clientCAFile = ""
    public var serviceAccountKeyFiles: [String] = []
    public var serviceAccountSigningKeyFile = ""
    public var serviceAccountIssuers: [String] = []
    public var apiAudiences: [String] = []
    public var serviceClusterIPRange = WellKnown.serviceSubnet
    public var authorizationModes = ["AlwaysAllow"]
    public var enableBootstrapTokenAuth = false
    public var anonymousAuth = true
    public var storageBackend = "sqlite"
    public var storageDir = HostPaths().datastoreDir
    public var etcdServers: [String] = []
    public var kubeletClientCertificate = ""
    public var kubeletClientKey = ""
    public var admissionPlugins: [String] = []
    /// Flags that were given and are accepted without effect (reported once at start).
    public var ignored: [String] = []

    public init() {}

    /// Flags kubeadm's manifests (or common extraArgs) pass that have no effect here yet.
    static let acceptedFlags: Set<String> = [
        "allow-privileged", "kubelet-preferred-address-types", "proxy-client-cert-file", "proxy-client-key-file",
        "requestheader-allowed-names", "requestheader-client-ca-file", "requestheader-extra-headers-prefix",
        "requestheader-group-headers", "requestheader-username-headers", "etcd-cafile", "etcd-certfile", "etcd-keyfile",
        "v", "profiling", "audit-log-path", "audit-policy-file", "feature-gates", "runtime-config", "event-ttl",
        "default-not-ready-toleration-seconds", "default-unreachable-toleration-seconds", "endpoint-reconciler-type",
    ]

    /// Parses upstream-style flags.
    /// - Throws: `APIServerOptionsError` naming the flag and what is wrong with it.
    public static func parse(_ arguments: [String]) throws -> APIServerOptions {
        var options = APIServerOptions()
        do {
            for (name, value) in try ComponentFlags.parse(arguments, booleans: booleanFlags) { try options.set(name, value) }
        } catch let error as ComponentFlags.SyntaxError {
            throw APIServerOptionsError(error.description)
        }
        return options
    }

    static let booleanFlags: Set<String> = ["enable-bootstrap-token-auth", "anonymous-auth", "allow-privileged", "profiling"]

    private mutating func set(_ name: String, _ value: String) throws {
        func list() -> [String] { value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
        func bool() throws -> Bool {
            guard let parsed = Bool(value.lowercased()) else { throw APIServerOptionsError("flag --\(name) takes true or false, not \"\(value)\"") }
            return parsed
        }
        switch name {
        case "advertise-address": advertiseAddress = value
        case "bind-address": bindAddress = value
        case "secure-port":
            guard let port = Int(value), (1...65535).contains(port) else {
                throw APIServerOptionsError("flag --secure-port must be a port number from 1 to 65535, not \"\(value)\"")
            }
            securePort = port
        case "tls-cert-file": tlsCertFile = value
        case "tls-private-key-file": tlsPrivateKeyFile = value
        case "client-ca-file": clientCAFile = value
        case "service-account-key-file": serviceAccountKeyFiles.append(value)
        case "service-account-signing-key-file": serviceAccountSigningKeyFile = value
        case "service-account-issuer": serviceAccountIssuers.append(value)
        case "api-audiences": apiAudiences = list()
        case "service-cluster-ip-range": serviceClusterIPRange = value
        case "authorization-mode": authorizationModes = list()
        case "enable-bootstrap-token-auth": enableBootstrapTokenAuth = try bool()
        case "anonymous-auth": anonymousAuth = try bool()
        case "storage-backend": storageBackend = value
        case "storage-dir", "data-dir": storageDir = value
        case "etcd-servers": etcdServers = list()
        case "kubelet-client-certificate": kubeletClientCertificate = value
        case "kubelet-client-key": kubeletClientKey = value
        case "enable-admission-plugins": admissionPlugins = list()
        case _ where Self.acceptedFlags.contains(name): ignored.append(name)
        default:
            throw APIServerOptionsError("unknown flag: --\(name). The bundled kube-apiserver accepts upstream's flag names; "
                + "see docs/cli.md for the supported set")
        }
    }
}

/// A flag error, printed as `error: <message>` with exit code 1.
public struct APIServerOptionsError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
