import ArgumentParser
import Bootstrap

struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Manage bootstrap tokens.",
        subcommands: [Generate.self, Create.self, List.self, Delete.self])

    struct Generate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Generate and print a bootstrap token, but do not create it on the server.")
        func run() async throws { TokenCommands.generate() }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create bootstrap tokens on the server.")
        @Argument var token: String?
        @Option(name: .customLong("ttl")) var ttl: String?
        @Flag(name: .customLong("print-join-command")) var printJoinCommand = false
        @Option(name: .customLong("kubeconfig")) var kubeconfig: String?
        func run() async throws { try await reportingErrors { try TokenCommands.needsAPIServer("token create") } }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List bootstrap tokens on the server.")
        @Option(name: .customLong("kubeconfig")) var kubeconfig: String?
        func run() async throws { try await reportingErrors { try TokenCommands.needsAPIServer("token list") } }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete bootstrap tokens on the server.")
        @Argument var tokens: [String] = []
        @Option(name: .customLong("kubeconfig")) var kubeconfig: String?
        func run() async throws { try await reportingErrors { try TokenCommands.needsAPIServer("token delete") } }
    }
}
