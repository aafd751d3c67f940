import ArgumentParser
import Kubelet
import Manifests

/// `kubeadm-swift images`: the node's local image store. Nothing is ever pulled from a registry; images arrive
/// as archives (`docker save`, `skopeo copy ... oci-archive:`) and the bundled image is built by the kubelet.
struct ImagesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "images",
        abstract: "Manage the container images on this node (import archives, list, remove).",
        subcommands: [Import.self, List.self, Remove.self])

    struct Location: ParsableArguments {
        @Option(name: .customLong("images-dir"), help: "The image store directory (default /var/lib/kubeadm-swift/images).")
        var imagesDir: String?
        var store: ImageStore { imagesDir.map { ImageStore(root: $0) } ?? ImageStore(host: HostPaths()) }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Import images from OCI image-layout archives or 'docker save' archives.")
        @Argument(help: "Archive files (tar, optionally gzip-compressed).") var files: [String]
        @OptionGroup var location: Location
        func run() async throws {
            try await reportingErrors {
                for line in try ImagesCommands.importArchives(files, into: location.store) { print(line) }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the images on this node.", aliases: ["ls"])
        @OptionGroup var location: Location
        func run() async throws { try await reportingErrors { print(try ImagesCommands.listTable(location.store)) } }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rm", abstract: "Remove images by reference or image ID.", aliases: ["rmi"])
        @Argument(help: "References (busybox:1.36, docker.io/library/busybox:1.36) or image IDs.") var references: [String]
        @OptionGroup var location: Location
        func run() async throws {
            try await reportingErrors {
                for line in try ImagesCommands.remove(references, from: location.store) { print(line) }
            }
        }
    }
}
