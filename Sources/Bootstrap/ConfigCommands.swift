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
