import ArgumentParser
import Bootstrap

struct JoinCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "join",
        abstract: "Run this on any machine you wish to join an existing cluster.")

    @Argument(help: "The API server endpoint, host:port.")
    var apiServerEndpoint: String?
    @Option(name: .customLong("token"), help: "Use this token for both discovery and TLS bootstrap.")
    var token: String?
    @Option(name: .customLong("discovery-token"), help: "A token used to validate cluster information fetched from the API server.")
    var discoveryToken: String?
    @Option(name: .customLong("discovery-token-ca-cert-hash"), help: "sha256:<hex> pin of the cluster CA's public key (repeatable).")
    var caCertHashes: [String] = []
    @Flag(name: .customLong("discovery-token-unsafe-skip-ca-verification"), help: "Allow token discovery without a CA pin.")
    var unsafeSkipCAVerification = false
    @Option(name: .customLong("discovery-file"), help: "A kubeconfig file (or https URL) to load cluster information from.")
    var discoveryFile: String?
    @Option(name: .customLong("tls-bootstrap-token"), help: "A token used for TLS bootstrap.")
    var tlsBootstrapToken: String?
    @Flag(name: .customLong("control-plane"), help: "Create a new control plane instance on this node.")
    var controlPlane = false
    @Option(name: .customLong("certificate-key"), help: "Key to decrypt the certificates uploaded by 'init --upload-certs'.")
    var certificateKey: String?
    @Option(name: .customLong("node-name"), help: "The node name.")
    var nodeName: String?
    @Option(name: .customLong("config"), help: "Path to a JoinConfiguration file.")
    var config: String?
    @Option(name: .customLong("ignore-preflight-errors"), help: "Comma-separated checks whose errors become warnings, or 'all'.")
    var ignorePreflightErrors: [String] = []
    @Option(name: .customLong("skip-phases"), help: "Comma-separated phases to skip.")
    var skipPhases: String?
    @Flag(name: .customLong("dry-run"), help: "Do not change any state, just output what would be done.")
    var dryRun = false

    func run() async throws {
        var request = JoinRequest()
        request.apiServerEndpoint = apiServerEndpoint
        request.token = token
        request.discoveryToken = discoveryToken
        request.caCertHashes = caCertHashes
        request.unsafeSkipCAVerification = unsafeSkipCAVerification
        request.discoveryFile = discoveryFile
        request.tlsBootstrapToken = tlsBootstrapToken
        request.controlPlane = controlPlane
        request.certificateKey = certificateKey
        request.nodeName = nodeName
        request.configFile = config
        request.ignorePreflightErrors = ignorePreflightErrors.flatMap(InitOptions.list)
        request.skipPhases = skipPhases.map(InitOptions.list) ?? []
        request.dryRun = dryRun
        try await reportingErrors { try await JoinRunner.run(request) }
    }
}
