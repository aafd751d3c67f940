import ArgumentParser
import Bootstrap

struct ResetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reset",
        abstract: "Performs a best effort revert of changes made to this host by 'kubeadm-swift init' or 'kubeadm-swift join'.")

    @Flag(name: [.customShort("f"), .customLong("force")], help: "Reset the node without prompting for confirmation.")
    var force = false
    @Option(name: .customLong("cert-dir"), help: "The path to the directory where the certificates are stored.")
    var certDir: String?
    @Option(name: .customLong("kubeconfig-dir"), help: "The directory holding the kubeconfig files.")
    var kubeconfigDir: String?
    @Option(name: .customLong("config"), help: "Path to a ResetConfiguration file.")
    var config: String?
    @Flag(name: .customLong("dry-run"), help: "Do not change any state, just output what would be done.")
    var dryRun = false
    @Option(name: .customLong("ignore-preflight-errors"), help: "Comma-separated checks whose errors become warnings, or 'all'.")
    var ignorePreflightErrors: [String] = []

    func run() async throws {
        var request = ResetRequest()
        request.configFile = config
        request.force = force
        request.certificatesDir = certDir
        request.kubeconfigDir = kubeconfigDir
        request.dryRun = dryRun
        request.ignorePreflightErrors = ignorePreflightErrors.flatMap(InitOptions.list)
        try await reportingErrors { try await ResetRunner.run(request) }
    }
}
