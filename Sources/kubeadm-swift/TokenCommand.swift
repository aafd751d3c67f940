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
        @Option(name: .customLong("ttl"), help: "How long the token is valid (Go duration, 0 = forever).") var ttl: String?
        @Option(name: .customLong("description")) var description: String?
        @Option(name: .customLong("usages"), help: "Comma-separated: signing, authentication.") var usages: String?
        @Option(name: .customLong("groups"), help: "Comma-separated extra groups.") var groups: String?
        @Flag(name: .customLong("print-join-command")) var printJoinCommand = false
        @Option(name: .customLong("kubeconfig")) var kubeconfig: String?
        func run() async throws {
            var request = TokenCommands.CreateRequest()
            request.token = token
            request.ttl = ttl
            request.description = description
            if let usages { request.usages = InitOptions.list(usages) }
            if let groups { request.groups = InitOptions.list(groups) }
            request.printJoinCommand = printJoinCommand
            request.kubeconfig = kubeconfig
            try await reportingErrors { try await TokenCommands.create(request) }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List bootstrap tokens on the server.")
        @Option(name: .customLong("kubeconfig")) var kubeconfig: String?
        func run() async throws { try await reportingErrors { try await TokenCommands.list(kubeconfig: kubeconfig) } }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete bootstrap tokens on the server.")
        @Argument var tokens: [String] = []
        @Option(name: .customLong("kubeconfig")) var kubeconfig: String?
        func run() async throws { try await reportingErrors { try await TokenCommands.delete(tokens, kubeconfig: kubeconfig) } }
    }
}
