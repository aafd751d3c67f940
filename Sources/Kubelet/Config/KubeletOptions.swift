import Foundation
import Manifests

/// The kubelet's command-line flags, with upstream's names. kubeadm's systemd drop-in passes `--config`,
/// `--kubeconfig`, `--bootstrap-kubeconfig` and the contents of kubeadm-flags.env; those and the flags users set
/// through `nodeRegistration.kubeletExtraArgs` are understood, a few more are accepted without effect, and anything
/// else is an error naming the flag.
public struct KubeletOptions: Sendable {
    public var configFile = ""
    public var kubeconfig = ""
    public var bootstrapKubeconfig = ""
    public var hostnameOverride = ""
    public var nodeIP = ""
    public var cgroupRoot: String?
    public var rootDir = HostPaths().kubeletDir
    public var podManifestPath: String?
    public var nodeLabels: [String: String] = [:]
    public var registerWithTaints: [String] = []
    public var ignored: [String] = []

    public init() {}

    static let acceptedFlags: Set<String> = [
        "container-runtime-endpoint", "pod-infra-container-image", "v", "cgroup-driver", "fail-swap-on",
        "runtime-request-timeout", "image-service-endpoint", "resolv-conf",
    ]

    /// Parses `--name=value` / `--name value` flags.
    /// - Throws: `KubeletOptionsError` naming the flag at fault.
    public static func parse(_ arguments: [String]) throws -> KubeletOptions {
        var options = KubeletOptions()
        do {
            for (name, value) in try ComponentFlags.parse(arguments) { try options.set(name, value) }
        } catch let error as ComponentFlags.SyntaxError {
            throw KubeletOptionsError(error.description)
        }
        return options
    }

    private mutating func set(_ name: String, _ value: String) throws {
        switch name {
        case "config": configFile = value
        case "kubeconfig": kubeconfig = value
        case "bootstrap-kubeconfig": bootstrapKubeconfig = value
        case "hostname-override": hostnameOverride = value
        case "node-ip": nodeIP = value
        case "cgroup-root": cgroupRoot = value
        case "root-dir": rootDir = value
        case "pod-manifest-path": podManifestPath = value
        case "node-labels":
            for pair in value.split(separator: ",") {
                let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2, !parts[0].isEmpty else {
                    throw KubeletOptionsError("--node-labels: \"\(pair)\" is not key=value")
                }
                nodeLabels[parts[0]] = parts[1]
            }
        case "register-with-taints": registerWithTaints = value.split(separator: ",").map(String.init)
        case _ where Self.acceptedFlags.contains(name): ignored.append(name)
        default:
            throw KubeletOptionsError("unknown flag: --\(name). The bundled kubelet accepts upstream's flag names; see docs/cli.md")
        }
    }
}

/// A flag or configuration error, printed as `error: <message>` with exit code 1.
public struct KubeletOptionsError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
