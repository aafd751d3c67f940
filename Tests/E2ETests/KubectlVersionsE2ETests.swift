import Foundation
import Testing

/// The kubectl binaries the machine's dispatcher (`/usr/bin/kubectl`) picks by the server's reported minor, 1.27 to
/// 1.33, each run directly against the real API server with everyday commands, including the protobuf-bodied
/// generators and auth checks. Running the bundled binary is what the dispatcher does after its `/version` probe.
@Suite(.serialized, .enabled(if: Harness.which("kubectl") && Harness.which("curl"), "needs kubectl and curl"))
struct KubectlVersionsE2ETests {
    static let bundle = "/usr/lib/google-cloud-sdk/bin"
    static let minors = (27...33).filter { FileManager.default.isExecutableFile(atPath: "\(bundle)/kubectl.1.\($0)") }

    /// Each line: a kubectl command and a pattern its output must contain.
    static func script(_ minor: Int) -> [(arguments: [String], expect: String)] {
        let ns = "kubectl-1-\(minor)"
        // 1.27's whoami speaks authentication.k8s.io/v1beta1, which a 1.32 server no longer serves.
        let whoami: [(arguments: [String], expect: String)] = minor >= 28 ? [(["auth", "whoami"], "kubernetes-admin")] : []
        return whoami + [
            (["version", "-o", "json"], "\"minor\": \"\(minor)\""),
            (["api-resources"], "deployments"),
            (["create", "namespace", ns], "namespace/\(ns) created"),
            (["-n", ns, "create", "configmap", "c", "--from-literal=a=b"], "configmap/c created"),
            (["-n", ns, "create", "secret", "generic", "s", "--from-literal=p=q"], "secret/s created"),
            (["-n", ns, "create", "deployment", "d", "--image=busybox:1.36", "--replicas=2"], "deployment.apps/d created"),
            (["-n", ns, "create", "serviceaccount", "bot"], "serviceaccount/bot created"),
            (["-n", ns, "create", "role", "r", "--verb=get", "--resource=pods"], "role.rbac.authorization.k8s.io/r created"),
            (["-n", ns, "create", "rolebinding", "rb", "--role=r", "--serviceaccount=\(ns):bot"], "rolebinding.rbac.authorization.k8s.io/rb created"),
            (["-n", ns, "get", "deploy", "d"], "READY"),
            (["-n", ns, "scale", "deploy", "d", "--replicas=3"], "deployment.apps/d scaled"),
            (["-n", ns, "label", "configmap", "c", "tier=web"], "configmap/c labeled"),
            (["-n", ns, "patch", "configmap", "c", "--type=merge", "-p", #"{"data":{"a":"z"}}"#], "configmap/c patched"),
            (["-n", ns, "get", "configmap", "c", "-o", "jsonpath={.data.a} {.metadata.labels.tier}"], "z web"),
            (["-n", ns, "create", "token", "bot"], "eyJ"),
            (["auth", "can-i", "create", "pods", "-n", ns], "yes"),
            (["auth", "can-i", "get", "pods", "-n", ns, "--as=system:serviceaccount:\(ns):bot"], "yes"),
            (["auth", "can-i", "--list", "-n", ns, "--as=system:serviceaccount:\(ns):bot"], "pods"),
            (["-n", ns, "delete", "deployment", "d"], "deleted"),
        ]
    }

    @Test func everyBundledKubectlRunsTheEverydayCommands() throws {
        try #require(!Self.minors.isEmpty, "no bundled kubectl.1.NN binaries in \(Self.bundle)")
        let server = try APIServerFixture()
        defer { server.stop() }
        for minor in Self.minors {
            for step in Self.script(minor) {
                let run = try Harness.run("\(Self.bundle)/kubectl.1.\(minor)",
                                          ["--kubeconfig", server.kubeconfig, "--cache-dir", server.directory + "/cache-1-\(minor)"] + step.arguments)
                #expect(run.status == 0 && run.combined.contains(step.expect),
                        "kubectl 1.\(minor) \(step.arguments.joined(separator: " ")): \(run.combined)")
            }
        }
    }

    /// The whole API-level acceptance script with each bundled kubectl as `kubectl` (what the dispatcher would run).
    /// 1.27 and 1.28 validate `create -f`/`apply -f` through `/openapi/v2` in gnostic protobuf (``OpenAPIV2Document``).
    @Test func kubectlBasicsPassesWithEveryBundledKubectl() throws {
        let minors = Self.minors
        try #require(!minors.isEmpty, "no bundled kubectl.1.NN binaries in \(Self.bundle)")
        let server = try APIServerFixture()
        defer { server.stop() }
        for minor in minors {
            let bin = server.directory + "/bin-1-\(minor)"
            try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(atPath: bin + "/kubectl", withDestinationPath: "\(Self.bundle)/kubectl.1.\(minor)")
            let run = try Harness.run("bash", [AcceptanceScripts.directory + "/kubectl-basics.sh"],
                                      environment: ["KUBECONFIG": server.kubeconfig,
                                                    "PATH": bin + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")])
            #expect(run.stdout.contains(" passed, 0 failed"), "kubectl 1.\(minor):\n\(run.stdout.split(separator: "\n").filter { $0.hasPrefix("FAIL") }.joined(separator: "\n"))")
        }
    }
}
