import ArgumentParser
import Bootstrap

struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Manage configuration for a kubeadm cluster.",
        subcommands: [Print.self, Validate.self])

    struct Print: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print configuration.", subcommands: [InitDefaults.self, JoinDefaults.self, ResetDefaults.self])

        struct InitDefaults: AsyncParsableCommand {
            static let configuration = CommandConfiguration(commandName: "init-defaults", abstract: "Print default init configuration, that can be used for 'kubeadm-swift init'.")
            func run() async throws { try await reportingErrors { print(try ConfigCommands.initDefaults(), terminator: "") } }
        }
        struct JoinDefaults: AsyncParsableCommand {
            static let configuration = CommandConfiguration(commandName: "join-defaults", abstract: "Print default join configuration, that can be used for 'kubeadm-swift join'.")
            func run() async throws { try await reportingErrors { print(try ConfigCommands.joinDefaults(), terminator: "") } }
        }
        struct ResetDefaults: AsyncParsableCommand {
            static let configuration = CommandConfiguration(commandName: "reset-defaults", abstract: "Print default reset configuration, that can be used for 'kubeadm-swift reset'.")
            func run() async throws { try await reportingErrors { print(try ConfigCommands.resetDefaults(), terminator: "") } }
        }
    }

    struct Validate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Read a file containing the kubeadm configuration API and report any validation problems.")
        @Option(name: .customLong("config"), help: "Path to the configuration file.") var config: String
        func run() async throws { try await reportingErrors { try ConfigCommands.validate(file: config) } }
    }
}
