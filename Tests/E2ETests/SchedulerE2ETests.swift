import Foundation
import Testing

/// The real `kube-scheduler` against the real API server: it binds pending pods to nodes that exist as API
/// objects (no kubelets), reports pods that fit nowhere, and serves its health endpoint.
@Suite(.serialized, .enabled(if: Harness.which("kubectl") && Harness.which("curl"), "needs kubectl and curl"))
struct SchedulerE2ETests {
    @Test func pendingPodsAreBoundAndUnfitOnesReported() throws {
        let server = try APIServerFixture()
        defer { server.stop() }
        try Harness.run(Harness.binary, ["init", "phase", "kubeconfig", "scheduler", "--cert-dir", server.pki, "--kubeconfig-dir", server.directory,
                                         "--apiserver-advertise-address", "127.0.0.1", "--apiserver-bind-port", String(server.port)])
        let healthPort = APIServerFixture.freePort()
        let scheduler = Process()
        scheduler.executableURL = URL(fileURLWithPath: Harness.binary)
        scheduler.arguments = ["kube-scheduler", "--kubeconfig=\(server.directory)/scheduler.conf", "--leader-elect=true",
                               "--bind-address=127.0.0.1", "--secure-port=\(healthPort)"]
        let log = server.directory + "/scheduler.log"
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        scheduler.standardOutput = handle
        scheduler.standardError = handle
        try scheduler.run()
        defer {
            kill(scheduler.processIdentifier, SIGTERM)
            scheduler.waitUntilExit()
        }
        var objects = ""
        for node in ["n1", "n2"] {
            objects += "---\napiVersion: v1\nkind: Node\nmetadata: {name: \(node)}\nstatus: {allocatable: {cpu: \"1\", memory: 1Gi, pods: \"10\"}, capacity: {cpu: \"1\", memory: 1Gi, pods: \"10\"}}\n"
        }
        for pod in 1...3 {
            objects += "---\napiVersion: v1\nkind: Pod\nmetadata: {name: p\(pod), namespace: default}\nspec: {containers: [{name: c, image: busybox, resources: {requests: {cpu: 400m}}}]}\n"
        }
        objects += "---\napiVersion: v1\nkind: Pod\nmetadata: {name: huge, namespace: default}\nspec: {containers: [{name: c, image: busybox, resources: {requests: {cpu: \"64\"}}}]}\n"
        try objects.write(toFile: server.directory + "/objects.yaml", atomically: true, encoding: .utf8)
        let created = try server.kubectl("create", "-f", server.directory + "/objects.yaml")
        #expect(created.status == 0, "\(created.combined)")
        var bound: [String] = []
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            let out = try server.kubectl("get", "pods", "-o", "jsonpath={range .items[*]}{.metadata.name}={.spec.nodeName} {end}").stdout
            bound = out.split(separator: " ").filter { !$0.hasSuffix("=") }.map(String.init)
            if bound.count == 3 { break }
            Thread.sleep(forTimeInterval: 0.2)
        }
        #expect(bound.count == 3, "bound: \(bound); scheduler log: \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
        #expect(!bound.contains { $0.hasPrefix("huge=") })
        var reported = ""
        for _ in 0..<50 {
            reported = try server.kubectl("get", "events", "--field-selector", "involvedObject.name=huge", "-o", "jsonpath={.items[*].message}").stdout
            if !reported.isEmpty { break }
            Thread.sleep(forTimeInterval: 0.2)
        }
        #expect(reported.contains("0/2 nodes are available: 2 Insufficient cpu."), "\(reported)")
        let health = try Harness.run("curl", ["-sk", "https://127.0.0.1:\(healthPort)/livez"])
        #expect(health.stdout == "ok")
        let lease = try server.kubectl("get", "lease", "-n", "kube-system", "kube-scheduler", "-o", "jsonpath={.spec.holderIdentity}").stdout
        #expect(!lease.isEmpty, "the scheduler holds its leader-election lease")
    }
}
