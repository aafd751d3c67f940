import Manifests

/// `token ...`: generation works offline; the rest needs the API server.
public enum TokenCommands {
    public static func generate(output: Output = .standard) {
        output.line(BootstrapTokenString.generate().description)
    }

    public static func needsAPIServer(_ command: String) throws {
        throw NotBuiltError(what: "'kubeadm-swift \(command)' (it talks to the API server)", arrivesWith: "the kube-apiserver issue (#4)")
    }
}
