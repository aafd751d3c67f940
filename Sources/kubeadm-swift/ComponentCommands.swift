import ArgumentParser
import APIServer
import Bootstrap
import ControllerManager
import Scheduler
import Dispatch
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

/// The bundled kube-controller-manager, run by the kubelet from its static pod manifest with upstream's flags.
struct KubeControllerManagerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kube-controller-manager",
        abstract: "The bundled controller manager (serviceaccount, root-ca-cert-publisher, csrapproving, csrsigning so far).",
        discussion: "Takes upstream kube-controller-manager flags, e.g. --kubeconfig=/etc/kubernetes/controller-manager.conf "
            + "--cluster-signing-cert-file=... --cluster-signing-key-file=... --root-ca-file=... --leader-elect=true.")
    @Argument(parsing: .allUnrecognized) var args: [String] = []

    func run() async throws {
        try await reportingErrors {
            let options = try KubeControllerManager.Options.parse(args)
            try await untilSignalled {
                try await KubeControllerManager.run(options) { line in
                    FileHandle.standardError.write(Data("kube-controller-manager: \(line)\n".utf8))
                }
            }
        }
    }
}

/// The bundled kube-scheduler, run by the kubelet from its static pod manifest with upstream's flag names.
struct KubeSchedulerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kube-scheduler",
        abstract: "The bundled scheduler (filters, scores, binding; leader election).",
        discussion: "Takes upstream kube-scheduler flags, e.g. --kubeconfig=/etc/kubernetes/scheduler.conf --leader-elect=true "
            + "--bind-address=127.0.0.1 --secure-port=10259.")
    @Argument(parsing: .allUnrecognized) var args: [String] = []

    func run() async throws {
        try await reportingErrors {
            let options = try KubeScheduler.Options.parse(args)
            try await untilSignalled {
                try await KubeScheduler.run(options) { line in
                    FileHandle.standardError.write(Data("kube-scheduler: \(line)\n".utf8))
                }
            }
        }
    }
}

/// Runs `body` until it returns or SIGTERM/SIGINT arrives, which cancels it (the kubelet stops static pods with
/// SIGTERM).
func untilSignalled(_ body: @escaping @Sendable () async throws -> Void) async throws {
    let task = Task { try await body() }
    let sources = [SIGTERM, SIGINT].map { number -> any DispatchSourceSignal in
        signal(number, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
        source.setEventHandler { task.cancel() }
        source.resume()
        return source
    }
    defer { sources.forEach { $0.cancel() } }
    try await task.value
}

struct KubeletCommand: PlaceholderComponent {
    static let configuration = CommandConfiguration(commandName: "kubelet", abstract: "The host kubelet (not built yet).")
    static let componentName = "kubelet"
    static let arrivesWith = "the kubelet issue (#5)"
    @Argument(parsing: .allUnrecognized) var args: [String] = []
}
