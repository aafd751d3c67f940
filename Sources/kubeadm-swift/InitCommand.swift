import ArgumentParser
import Bootstrap

struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Run this command in order to set up the Kubernetes control plane.",
        discussion: "The \"init\" command executes the following phases:\n```\n\(InitWorkflow.workflow.help())\n```",
        subcommands: [InitPhaseCommand.self]
    )

    @OptionGroup var options: InitOptions

    func run() async throws {
        try await reportingErrors { try await InitRunner.run(flags: options.flags, phase: nil) }
    }
}

/// `init phase <name> [<sub>]`: runs one phase (or one subtree) of the init workflow.
struct InitPhaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "phase",
        abstract: "Use this command to invoke single phase of the init workflow.",
        discussion: "Phases (name a parent and 'all' to run its whole subtree, e.g. 'certs all'):\n```\n\(InitWorkflow.workflow.help())\n```"
    )

    @Argument(help: "The phase, e.g. 'preflight', 'certs all', 'certs apiserver', 'kubeconfig admin'.")
    var phase: [String]

    @OptionGroup var options: InitOptions

    func run() async throws {
        try await reportingErrors { try await InitRunner.run(flags: options.flags, phase: phase) }
    }
}
