import Foundation
import Testing

/// A real `kubeadm-swift kube-apiserver` on 127.0.0.1 with a PKI and an admin kubeconfig made by the binary itself,
/// stopped (by PID, SIGTERM) and its directory removed by `stop()`.
final class APIServerFixture {
    let directory: String
    let port: Int
    let process: Process
    let log: String
    var kubeconfig: String { directory + "/admin.conf" }
    var pki: String { directory + "/pki" }
    var server: String { "https://127.0.0.1:\(port)" }

    /// Generates certificates and an admin kubeconfig, starts the server, and waits until /readyz answers ok.
    /// - Parameters:
    ///   - extraArgs: more server flags.
    ///   - kubeletClient: give the server its kubelet client certificate (`pods/log`, exec and attach).
    init(extraArgs: [String] = [], kubeletClient: Bool = false) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("kas-e2e-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        port = Self.freePort()
        let pki = directory + "/pki"
        try Self.require(Harness.kubeadm(args: ["init", "phase", "certs", "all", "--cert-dir", pki,
                                                "--apiserver-advertise-address", "127.0.0.1"]))
        for file in ["admin", "super-admin"] {
            try Self.require(Harness.kubeadm(args: ["init", "phase", "kubeconfig", file, "--cert-dir", pki, "--kubeconfig-dir", directory,
                                                    "--apiserver-advertise-address", "127.0.0.1", "--apiserver-bind-port", String(port)]))
        }
        log = directory + "/server.log"
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        process = Process()
        process.executableURL = URL(fileURLWithPath: Harness.binary)
        process.arguments = ["kube-apiserver", "--advertise-address=127.0.0.1", "--bind-address=127.0.0.1",
                             "--secure-port=\(port)", "--tls-cert-file=\(pki)/apiserver.crt",
                             "--tls-private-key-file=\(pki)/apiserver.key", "--client-ca-file=\(pki)/ca.crt",
                             "--service-account-key-file=\(pki)/sa.pub", "--service-account-signing-key-file=\(pki)/sa.key",
                             "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
                             "--authorization-mode=Node,RBAC", "--enable-admission-plugins=NodeRestriction", "--enable-bootstrap-token-auth=true",
                             "--storage-backend=sqlite", "--storage-dir=\(directory)/db"] + extraArgs
            + (kubeletClient ? ["--kubelet-client-certificate=\(pki)/apiserver-kubelet-client.crt",
                                "--kubelet-client-key=\(pki)/apiserver-kubelet-client.key"] : [])
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if let ready = try? Harness.run("curl", ["-sk", "--max-time", "2", "\(server)/readyz"]), ready.stdout == "ok" {
                try grantClusterAdmins()
                return
            }
            if !process.isRunning { break }
            Thread.sleep(forTimeInterval: 0.1)
        }
        let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        stop()
        throw FixtureError("kube-apiserver did not become ready on port \(port): \(output)")
    }

    /// What `kubeadm init` does with super-admin.conf: bind the `kubeadm:cluster-admins` group (admin.conf's
    /// identity) to cluster-admin.
    private func grantClusterAdmins() throws {
        let binding = directory + "/cluster-admins.yaml"
        try """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: "kubeadm:cluster-admins"}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
            subjects: [{apiGroup: rbac.authorization.k8s.io, kind: Group, name: "kubeadm:cluster-admins"}]
            """.write(toFile: binding, atomically: true, encoding: .utf8)
        try Self.require(Harness.run("kubectl", ["--kubeconfig", directory + "/super-admin.conf", "--cache-dir", directory + "/kube-cache",
                                                 "create", "-f", binding]))
    }

    /// Runs kubectl against the server with a private discovery cache.
    func kubectl(_ arguments: String...) throws -> Run { try kubectl(arguments: arguments) }

    /// The same with an argument array.
    func kubectl(arguments: [String]) throws -> Run {
        try Harness.run("kubectl", ["--kubeconfig", kubeconfig, "--cache-dir", directory + "/kube-cache"] + arguments)
    }

    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGTERM)
            let deadline = Date().addingTimeInterval(10)
            while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// A port the kernel just handed out on 127.0.0.1 (bound to 0 and released), so parallel tests do not collide.
    static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    private static func require(_ run: Run) throws {
        guard run.status == 0 else { throw FixtureError("setup command failed: \(run.combined)") }
    }
}

struct FixtureError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// The repository's `Tests/Acceptance` folder.
enum AcceptanceScripts {
    static var directory: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Acceptance").path
    }
}
