import ArgumentParser
import Bootstrap

/// The `kubeadm-swift` command tree. Each command parses flags into a value and calls one Bootstrap function.
@main
struct KubeadmSwift: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kubeadm-swift",
        abstract: "Bootstrap a Kubernetes v1.32 cluster that runs kubeadm-swift's own control plane.",
        discussion: """
        Like kubeadm: 'init' makes this machine a control-plane node, 'join' adds a node, 'reset' undoes both.
        The control plane (kube-apiserver, kube-controller-manager, kube-scheduler) is bundled in this binary.
        """,
        version: BuildInfo.toolVersion,
        subcommands: [InitCommand.self, JoinCommand.self, ResetCommand.self, TokenCommand.self, CertsCommand.self,
                      ConfigCommand.self, VersionCommand.self, ImagesCommand.self,
                      KubeAPIServerCommand.self, KubeControllerManagerCommand.self, KubeSchedulerCommand.self, KubeletCommand.self,
                      LocalPathCleanupCommand.self]
    )
}
