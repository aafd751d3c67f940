import Manifests

/// `version [-o json|yaml|short]`, in kubeadm's shapes.
public enum VersionCommands {
    public static func render(format: String) throws -> String {
        let fields = BuildInfo.fields
        switch format {
        case "":
            let body = fields.map { "\($0.0.prefix(1).uppercased() + $0.0.dropFirst()):\"\($0.1)\"" }.joined(separator: ", ")
            return "kubeadm-swift version: &version.Info{\(body)}"
        case "short":
            return WellKnown.kubernetesVersion
        case "json":
            let body = fields.map { "    \"\($0.0)\": \"\($0.1)\"" }.joined(separator: ",\n")
            return "{\n  \"clientVersion\": {\n\(body)\n  }\n}"
        case "yaml":
            return "clientVersion:\n" + fields.map { "  \($0.0): \"\($0.1)\"" }.joined(separator: "\n")
        default:
            throw WorkflowUsageError(message: "invalid output format: \(format); use one of '', 'short', 'json', 'yaml'")
        }
    }
}
