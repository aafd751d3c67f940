import ArgumentParser
import Bootstrap

struct CertsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "certs",
        abstract: "Commands related to handling kubernetes certificates.",
        subcommands: [CheckExpiration.self, Renew.self, CertificateKey.self])

    struct Location: ParsableArguments {
        @Option(name: .customLong("cert-dir"), help: "The path where certificates are stored (default /etc/kubernetes/pki).")
        var certDir: String?
        @Option(name: .customLong("kubeconfig-dir"), help: "The directory holding the kubeconfig files (default /etc/kubernetes).")
        var kubeconfigDir: String?
        @Option(name: .customLong("config"), help: "Path to a kubeadm configuration file.")
        var config: String?
        var request: CertsRequest { CertsRequest(certificatesDir: certDir, kubeconfigDir: kubeconfigDir, configFile: config) }
    }

    struct CheckExpiration: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "check-expiration", abstract: "Check certificates expiration for a Kubernetes cluster.")
        @OptionGroup var location: Location
        func run() async throws { try await reportingErrors { try CertsCommands.checkExpiration(location.request) } }
    }

    struct Renew: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Renew certificates for a Kubernetes cluster.",
            discussion: "Names: all, \(CertsCommands.renewableNames.joined(separator: ", ")).")
        @Argument(help: "'all' or one certificate name.") var name: String
        @OptionGroup var location: Location
        func run() async throws { try await reportingErrors { try CertsCommands.renew(name, location.request) } }
    }

    struct CertificateKey: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "certificate-key", abstract: "Generate certificate keys.")
        func run() async throws { print(CertsCommands.certificateKey()) }
    }
}
