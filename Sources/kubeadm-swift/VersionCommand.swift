import ArgumentParser
import Bootstrap

struct VersionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "version", abstract: "Print the version of kubeadm-swift.")
    @Option(name: [.customShort("o"), .customLong("output")], help: "Output format; available options are 'yaml', 'json' and 'short'.")
    var output: String?
    func run() async throws { try await reportingErrors { print(try VersionCommands.render(format: output ?? "")) } }
}
