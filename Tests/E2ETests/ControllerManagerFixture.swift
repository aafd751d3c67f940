import Foundation
import Testing

/// A real API server plus the real `kube-controller-manager` with kubeadm's flags (each controller acting as its
/// own ServiceAccount), and helpers to apply manifests and wait for the controllers to act.
final class ControllerManagerFixture {
    let server: APIServerFixture
    private(set) var manager: Process
    let managerArgs: [String]
    let log: String

    /// Starts both; `extraArgs` are added to (or override) kubeadm's controller-manager flags.
    init(extraArgs: [String] = []) throws {
        server = try APIServerFixture()
        do {
            let config = try Harness.run(Harness.binary, ["init", "phase", "kubeconfig", "controller-manager", "--cert-dir", server.pki,
                                                          "--kubeconfig-dir", server.directory, "--apiserver-advertise-address", "127.0.0.1",
                                                          "--apiserver-bind-port", String(server.port)])
            guard config.status == 0 else { throw FixtureError("controller-manager.conf: \(config.combined)") }
            log = server.directory + "/controller-manager.log"
            _ = FileManager.default.createFile(atPath: log, contents: nil)
            managerArgs = ["kube-controller-manager", "--kubeconfig=\(server.directory)/controller-manager.conf", "--leader-elect=true",
                           "--bind-address=127.0.0.1", "--use-service-account-credentials=true",
                           "--cluster-signing-cert-file=\(server.pki)/ca.crt", "--cluster-signing-key-file=\(server.pki)/ca.key",
                           "--root-ca-file=\(server.pki)/ca.crt", "--controllers=*,bootstrapsigner,tokencleaner"] + extraArgs
            manager = try Self.start(managerArgs, log: log)
        } catch {
            server.stop()
            throw error
        }
    }

    static func start(_ arguments: [String], log: String) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Harness.binary)
        process.arguments = arguments + ["--secure-port=\(APIServerFixture.freePort())"]
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        handle.seekToEndOfFile()
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Stops the controller manager and starts a new one with the same flags (it must take the lease over).
    func restartManager() throws {
        kill(manager.processIdentifier, SIGTERM)
        manager.waitUntilExit()
        manager = try Self.start(managerArgs, log: log)
    }

    func stop() {
        if manager.isRunning {
            kill(manager.processIdentifier, SIGTERM)
            manager.waitUntilExit()
        }
        server.stop()
    }

    var logText: String { (try? String(contentsOfFile: log, encoding: .utf8)) ?? "" }

    /// Runs kubectl as the cluster admin.
    func kubectl(_ arguments: String...) throws -> Run { try server.kubectl(arguments) }

    /// kubectl's stdout, trimmed.
    func output(_ arguments: String...) throws -> String {
        try server.kubectl(arguments).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// kubectl's stdout for a failure message ("" when kubectl cannot run).
    func show(_ arguments: String...) -> String {
        (try? server.kubectl(arguments).stdout) ?? ""
    }

    /// `kubectl create -f` of a manifest; fails the test when kubectl does.
    func create(_ manifest: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let file = server.directory + "/manifest-\(UUID().uuidString).yaml"
        try manifest.write(toFile: file, atomically: true, encoding: .utf8)
        let run = try server.kubectl(["create", "-f", file])
        #expect(run.status == 0, "\(run.combined)", sourceLocation: sourceLocation)
    }

    /// A Deployment of busybox pods labelled `app: <name>`.
    static func deployment(_ name: String, namespace: String = "default", replicas: Int = 2) -> String {
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: \(name), namespace: \(namespace)}
        spec:
          replicas: \(replicas)
          selector: {matchLabels: {app: \(name)}}
          template:
            metadata: {labels: {app: \(name)}}
            spec: {containers: [{name: c, image: busybox}]}
        """
    }

    /// A Node object whose kubelet reports Ready now.
    func createReadyNode(_ name: String) throws {
        try create("apiVersion: v1\nkind: Node\nmetadata: {name: \(name), labels: {kubernetes.io/hostname: \(name)}}\n")
        try setNodeReady(name, "True")
    }

    /// Writes the node's Ready condition with a fresh heartbeat, as a kubelet does.
    func setNodeReady(_ name: String, _ status: String) throws {
        let now = ISO8601DateFormatter().string(from: Date())
        let patch = "{\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"\(status)\",\"reason\":\"KubeletReady\","
            + "\"lastHeartbeatTime\":\"\(now)\",\"lastTransitionTime\":\"\(now)\"}]}}"
        let run = try server.kubectl(["patch", "node", name, "--subresource=status", "--type=merge", "-p", patch])
        #expect(run.status == 0, "\(run.combined)")
    }

    /// Polls `check` every 200 ms for up to `seconds`.
    func eventually(_ seconds: Double = 30, _ check: () throws -> Bool) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try check() { return true }
            Thread.sleep(forTimeInterval: 0.2)
        }
        return try check()
    }
}

extension APIServerFixture {
    func kubectl(_ arguments: [String]) throws -> Run {
        try Harness.run("kubectl", ["--kubeconfig", kubeconfig, "--cache-dir", directory + "/kube-cache"] + arguments)
    }
}
