import KubeAPI
import Manifests
/// Checks the node name: it becomes the Node object's name, so it must be a DNS-1123 subdomain (error
/// otherwise), and other nodes and the API server must be able to resolve it (warning otherwise).
public struct HostnameCheck: PreflightCheck {
    public let name = "Hostname"
    /// The node name to check; empty means "the host name, lower-cased", which is kubeadm's default node name.
    public var nodeName: String

    /// - Parameter nodeName: the node name; empty to use the machine's host name.
    public init(nodeName: String) {
        self.nodeName = nodeName
    }

    public func run(on host: any HostView) -> [Finding] {
        let node = nodeName.isEmpty ? host.hostname.lowercased() : nodeName
        if let problem = NameValidation.subdomainErrors(node).nilIfEmpty?.joined(separator: "; ") {
            return [error("node name \"\(node)\" is invalid: \(problem); pass a valid name with --node-name")]
        }
        guard !host.resolves(node) else { return [] }
        return [warning(
            "hostname \"\(node)\" could not be reached; add a line '<node IP> \(node)' to /etc/hosts or fix DNS"
        )]
    }
}

private extension Array {
    var nilIfEmpty: Self? { isEmpty ? nil : self }
}
