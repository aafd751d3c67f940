import ArgumentParser
import APIServer
import Bootstrap
import Kubelet
import ControllerManager
import Scheduler
import Dispatch
import Foundation

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

/// The host kubelet: static pods from the manifest folder and pods bound to this node, run with runc.
struct KubeletCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kubelet",
        abstract: "The host kubelet (static pods, runc containers, local images; hostNetwork pods until CNI arrives).",
        discussion: "Takes upstream kubelet flags: --config=/var/lib/kubelet/config.yaml --kubeconfig=/etc/kubernetes/kubelet.conf "
            + "[--bootstrap-kubeconfig ...] [--hostname-override ...] [--node-ip ...] [--cgroup-root ...].")
    @Argument(parsing: .allUnrecognized) var args: [String] = []

    func run() async throws {
        try await reportingErrors {
            let options = try KubeletOptions.parse(args)
            let log: @Sendable (String) -> Void = { line in FileHandle.standardError.write(Data("kubelet: \(line)\n".utf8)) }
            let engines = try await KubeletMain.productionEngines(options, log: log)
            try await untilSignalled { try await KubeletMain.run(options, engines: engines, log: log) }
        }
    }
}

/// What the local-path provisioner's cleanup pod runs on a volume's node (with the bundled image): removes one
/// released volume's directory. Not for people; hidden from help.
struct LocalPathCleanupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "local-path-cleanup", abstract: "Remove a released local-path volume's directory (run by the provisioner's helper pod).",
        shouldDisplay: false)
    @Option(help: "The storage root every local-path volume lives under.") var root: String
    @Argument(help: "The volume directory, directly under the root.") var path: String

    func run() throws {
        do {
            try LocalPathCleanup.remove(path, root: root)
            print("removed \(path)")
        } catch {
            FileHandle.standardError.write(Data("local-path-cleanup: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}
