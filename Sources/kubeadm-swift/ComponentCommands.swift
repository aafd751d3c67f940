import ArgumentParser
import APIServer
import Bootstrap
import Foundation

/// The bundled components. Their static pod manifests already name them; the servers arrive with their issues.
/// Until then each says so plainly and exits non-zero, whatever flags the manifest passes.
protocol PlaceholderComponent: AsyncParsableCommand {
    static var componentName: String { get }
    static var arrivesWith: String { get }
    var args: [String] { get }
}

extension PlaceholderComponent {
    func run() async throws {
        try await reportingErrors { throw ComponentCommands.notBuilt(Self.componentName, arrivesWith: Self.arrivesWith) }
    }
}

/// The bundled kube-apiserver, run by the kubelet from its static pod manifest with upstream's flag names.
struct KubeAPIServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kube-apiserver",
        abstract: "The bundled Kubernetes API server (HTTPS, x509/token authentication, Node+RBAC, SQLite store).",
        discussion: "Takes upstream kube-apiserver flags, e.g. --secure-port=6443 --tls-cert-file=... --client-ca-file=... "
            + "--authorization-mode=Node,RBAC --storage-backend=sqlite --storage-dir=/var/lib/kubeadm-swift/db.")
    @Argument(parsing: .allUnrecognized) var args: [String] = []

    func run() async throws {
        try await reportingErrors {
            let options = try APIServerOptions.parse(args)
            try await KubeAPIServer.run(options) { line in
                FileHandle.standardError.write(Data("kube-apiserver: \(line)\n".utf8))
            }
        }
    }
}

struct KubeControllerManagerCommand: PlaceholderComponent {
    static let configuration = CommandConfiguration(commandName: "kube-controller-manager", abstract: "The bundled controller manager (not built yet).")
    static let componentName = "kube-controller-manager"
    static let arrivesWith = "the controllers issue (#6)"
    @Argument(parsing: .allUnrecognized) var args: [String] = []
}

struct KubeSchedulerCommand: PlaceholderComponent {
    static let configuration = CommandConfiguration(commandName: "kube-scheduler", abstract: "The bundled scheduler (not built yet).")
    static let componentName = "kube-scheduler"
    static let arrivesWith = "the scheduler issue (#6)"
    @Argument(parsing: .allUnrecognized) var args: [String] = []
}

struct KubeletCommand: PlaceholderComponent {
    static let configuration = CommandConfiguration(commandName: "kubelet", abstract: "The host kubelet (not built yet).")
    static let componentName = "kubelet"
    static let arrivesWith = "the kubelet issue (#5)"
    @Argument(parsing: .allUnrecognized) var args: [String] = []
}
