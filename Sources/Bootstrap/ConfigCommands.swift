import Manifests

/// `config print ...` and `config validate`.
public enum ConfigCommands {
    public static func initDefaults() throws -> String {
        let (initCfg, cluster) = ConfigDefaults.printableInitDefaults()
        return try ConfigPrinter.yaml([initCfg, cluster])
    }

    public static func joinDefaults() throws -> String {
        try ConfigPrinter.yaml([ConfigDefaults.printableJoinDefaults()])
    }

    public static func resetDefaults() throws -> String {
        var reset = ResetConfiguration()
        reset.certificatesDir = WellKnown.certificatesDir
        reset.timeouts = ConfigDefaults.filled(nil)
        return try ConfigPrinter.yaml([reset])
    }

    /// Decodes strictly and validates every document, as `init --config` / `join --config` would.
    public static func validate(file: String, output: Output = .standard) throws {
        let documents = try ConfigLoader.load(file: file)
        for warning in documents.warnings { output.line(warning) }
        if documents.initConfiguration != nil || documents.clusterConfiguration != nil {
            var flags = InitFlags()
            flags.configFile = file
            // A placeholder address keeps validation independent of this machine's routes.
            _ = try InitSettings.resolve(flags: flags, documents: documents,
                                         host: HostFacts(hostname: HostFacts.live().hostname, defaultRouteAddress: "192.0.2.1"))
        }
        if documents.joinConfiguration != nil {
            var request = JoinRequest()
            request.configFile = file
            try JoinRunner.validate(request)
        }
        output.line("ok")
    }
}

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

/// `token ...`: generation works offline; the rest needs the API server.
public enum TokenCommands {
    public static func generate(output: Output = .standard) {
        output.line(BootstrapTokenString.generate().description)
    }

    public static func needsAPIServer(_ command: String) throws {
        throw NotBuiltError(what: "'kubeadm-swift \(command)' (it talks to the API server)", arrivesWith: "the kube-apiserver issue (#4)")
    }
}

/// The bundled component subcommands that are not built yet.
public enum ComponentCommands {
    public static func notBuilt(_ component: String, arrivesWith issue: String) -> NotBuiltError {
        NotBuiltError(what: "The bundled \(component)", arrivesWith: issue)
    }
}
