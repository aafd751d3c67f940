import KubeAPI
import Foundation
import Yams

/// The documents of a kubeadm configuration file, decoded strictly.
public struct ConfigDocuments: Sendable {
    public var initConfiguration: InitConfiguration?
    public var clusterConfiguration: ClusterConfiguration?
    public var joinConfiguration: JoinConfiguration?
    public var resetConfiguration: ResetConfiguration?
    /// `kubelet.config.k8s.io/v1beta1` KubeletConfiguration, kept as YAML text and merged over our defaults.
    public var kubeletConfiguration: String?
    /// Documents that were skipped, as kubeadm does for kinds it does not use (printed as warnings).
    public var warnings: [String] = []
    public init() {}
}

/// Reads kubeadm configuration files: multi-document YAML, `kubeadm.k8s.io/v1beta4` and `v1beta3`.
public enum ConfigLoader {
    public static func load(file path: String) throws -> ConfigDocuments {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw ConfigError(source: path, "cannot read the configuration file: \(error.localizedDescription); check the path given to --config")
        }
        return try load(yaml: text, source: path)
    }

    public static func load(yaml: String, source: String) throws -> ConfigDocuments {
        var result = ConfigDocuments()
        var nodes: [Node] = []
        do {
            // YamlSequence stops at a parse error and keeps it in `error` instead of throwing.
            var sequence = try Yams.compose_all(yaml: yaml)
            while let node = sequence.next() { nodes.append(node) }
            if let error = sequence.error { throw error }
        } catch {
            throw ConfigError(source: source, "not valid YAML: \(error)")
        }
        var seenKinds = Set<String>()
        for (index, node) in nodes.enumerated() {
            guard case .mapping(let mapping) = node else {
                if node.string?.isEmpty ?? false { continue }
                throw ConfigError(source: source, document: "document \(index + 1)", "expected a mapping with apiVersion and kind")
            }
            let apiVersion = mapping["apiVersion"]?.string ?? ""
            let kind = mapping["kind"]?.string ?? ""
            let where_ = "\(kind.isEmpty ? "document" : kind) (document \(index + 1))"
            guard !apiVersion.isEmpty, !kind.isEmpty else {
                throw ConfigError(source: source, document: where_,
                                  "every document needs apiVersion and kind, e.g. apiVersion: \(WellKnown.v1beta4) and kind: ClusterConfiguration")
            }
            let group = apiVersion.split(separator: "/").first.map(String.init) ?? ""
            if group != WellKnown.kubeadmGroup {
                if apiVersion == WellKnown.kubeletConfigAPIVersion, kind == "KubeletConfiguration" {
                    result.kubeletConfiguration = try Yams.serialize(node: node)
                } else {
                    result.warnings.append("[config] WARNING: Ignored configuration document with GroupVersionKind \(apiVersion), Kind=\(kind)")
                }
                continue
            }
            guard apiVersion == WellKnown.v1beta4 || apiVersion == WellKnown.v1beta3 else {
                throw ConfigError(source: source, document: where_,
                                  "apiVersion \"\(apiVersion)\" is not supported; use \(WellKnown.v1beta4) (\(WellKnown.v1beta3) is still read). Convert older files with 'kubeadm config migrate'")
            }
            guard seenKinds.insert(kind).inserted else {
                throw ConfigError(source: source, document: where_, "\(kind) appears more than once; merge the documents into one")
            }
            var decoder = StrictYAMLDecoder()
            decoder.userInfo[.kubeadmAPIVersion] = apiVersion
            do {
                switch kind {
                case "InitConfiguration":
                    result.initConfiguration = try decoder.decode(InitConfiguration.self, from: node)
                case "ClusterConfiguration":
                    var cluster = try decoder.decode(ClusterConfiguration.self, from: node)
                    try convertLegacy(&cluster, apiVersion: apiVersion)
                    result.clusterConfiguration = cluster
                case "JoinConfiguration":
                    var join = try decoder.decode(JoinConfiguration.self, from: node)
                    try convertLegacy(&join, apiVersion: apiVersion)
                    result.joinConfiguration = join
                case "ResetConfiguration":
                    guard apiVersion == WellKnown.v1beta4 else {
                        throw FieldDecodingError(path: "kind", message: "ResetConfiguration exists only in \(WellKnown.v1beta4)")
                    }
                    result.resetConfiguration = try decoder.decode(ResetConfiguration.self, from: node)
                case "UpgradeConfiguration":
                    result.warnings.append("[config] WARNING: Ignored UpgradeConfiguration: kubeadm-swift has no 'upgrade' command yet")
                default:
                    throw FieldDecodingError(path: "kind", message: "unknown kind \"\(kind)\"; expected InitConfiguration, ClusterConfiguration, JoinConfiguration or ResetConfiguration")
                }
            } catch {
                let field = FieldDecodingError.from(error)
                let message = field.message.hasPrefix("unknown field") ? "strict decoding error: \(field.message)" : field.message
                throw ConfigError(source: source, document: where_, errors: [FieldError(field.path, message)])
            }
        }
        return result
    }

    /// v1beta3-only fields are unknown in a v1beta4 document. In v1beta3 `apiServer.timeoutForControlPlane` is kept
    /// where it is and read by the defaulting step, because its v1beta4 home is in another document (InitConfiguration).
    private static func convertLegacy(_ cluster: inout ClusterConfiguration, apiVersion: String) throws {
        guard cluster.apiServer?.timeoutForControlPlane != nil, apiVersion != WellKnown.v1beta3 else { return }
        throw FieldDecodingError(path: "apiServer.timeoutForControlPlane",
                                 message: "unknown field \"timeoutForControlPlane\" (v1beta4 moved it to InitConfiguration timeouts.controlPlaneComponentHealthCheck)")
    }

    private static func convertLegacy(_ join: inout JoinConfiguration, apiVersion: String) throws {
        guard let legacy = join.discovery?.timeout else { return }
        guard apiVersion == WellKnown.v1beta3 else {
            throw FieldDecodingError(path: "discovery.timeout",
                                     message: "unknown field \"timeout\" (v1beta4 moved it to timeouts.discovery)")
        }
        join.discovery?.timeout = nil
        var timeouts = join.timeouts ?? Timeouts()
        timeouts.discovery = timeouts.discovery ?? legacy
        join.timeouts = timeouts
    }
}
