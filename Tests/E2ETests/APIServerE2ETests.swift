import Foundation
import Testing

/// The bundled kube-apiserver, started as a real process, driven by the real kubectl and the official Python client.
@Suite(.serialized, .enabled(if: Harness.which("kubectl") && Harness.which("curl"), "needs kubectl and curl"))
struct APIServerE2ETests {
    @Test func kubectlBasicsAcceptanceScriptPasses() throws {
        let server = try APIServerFixture()
        defer { server.stop() }
        let run = try Harness.run("bash", [AcceptanceScripts.directory + "/kubectl-basics.sh"],
                                  environment: ["KUBECONFIG": server.kubeconfig])
        #expect(run.stdout.contains(" passed, 0 failed"), "\(run.combined)")
        #expect(run.status == 0)
    }

    @Test func pythonClientAcceptanceScriptPasses() throws {
        let probe = try Harness.run("python3", ["-c", "import kubernetes"])
        try #require(probe.status == 0, "the Python client is missing: pip install kubernetes==37.0.2 (scripts/install-deps.sh does)")
        let server = try APIServerFixture()
        defer { server.stop() }
        let run = try Harness.run("python3", [AcceptanceScripts.directory + "/python-client.py"],
                                  environment: ["KUBECONFIG": server.kubeconfig])
        #expect(run.stdout.contains(" passed, 0 failed"), "\(run.combined)")
        #expect(run.status == 0)
    }

    @Test func healthDiscoveryAndOpenAPIAnswerLikeUpstream() throws {
        let server = try APIServerFixture()
        defer { server.stop() }
        #expect(try server.kubectl("get", "--raw", "/livez").stdout == "ok")
        #expect(try server.kubectl("get", "--raw", "/readyz/datastore").stdout == "ok")
        let index = try server.kubectl("get", "--raw", "/openapi/v3").stdout
        #expect(index.contains("\"apis/apps/v1\""))
        let aggregated = try Harness.run("curl", ["-sk", "--cert", server.pki + "/apiserver-kubelet-client.crt",
                                                  "--key", server.pki + "/apiserver-kubelet-client.key", "-H",
                                                  "Accept: application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList",
                                                  "-D", "-", server.server + "/apis"])
        #expect(aggregated.stdout.lowercased().contains("content-type: application/json;g=apidiscovery.k8s.io;v=v2;as=apigroupdiscoverylist"))
        #expect(aggregated.stdout.contains("\"deployments\""))
    }

    /// `kubectl explain` finds the kind through the served OpenAPI v3 paths and renders the schemas' descriptions
    /// and fields; with the schemas in place `create -f` still validates server-side.
    @Test func kubectlExplainRendersTheServedSchemas() throws {
        let server = try APIServerFixture()
        defer { server.stop() }
        let containers = try server.kubectl("explain", "pods.spec.containers")
        #expect(containers.status == 0, "\(containers.combined)")
        #expect(containers.stdout.contains("KIND:       Pod"), "\(containers.stdout)")
        #expect(containers.stdout.contains("FIELD: containers <[]Container>"), "\(containers.stdout)")
        #expect(containers.stdout.contains("List of containers belonging to the pod."), "\(containers.stdout)")
        #expect(containers.stdout.contains("  image\t<string>"), "\(containers.stdout)")
        #expect(containers.stdout.contains("  name\t<string> -required-"), "\(containers.stdout)")
        #expect(containers.stdout.contains("  resources\t<ResourceRequirements>"), "\(containers.stdout)")

        let strategy = try server.kubectl("explain", "deployment.spec.strategy", "--recursive")
        #expect(strategy.status == 0, "\(strategy.combined)")
        #expect(strategy.stdout.contains("GROUP:      apps"), "\(strategy.stdout)")
        #expect(strategy.stdout.contains("FIELD: strategy <DeploymentStrategy>"), "\(strategy.stdout)")
        #expect(strategy.stdout.contains("  rollingUpdate\t<RollingUpdateDeployment>"), "\(strategy.stdout)")
        #expect(strategy.stdout.contains("    maxSurge\t<IntOrString>"), "\(strategy.stdout)")
        #expect(strategy.stdout.contains("  type\t<string>"), "\(strategy.stdout)")

        // A kind without a PATCH operation (create-only) is found too.
        let review = try server.kubectl("explain", "tokenreviews.spec")
        #expect(review.status == 0 && review.stdout.contains("KIND:       TokenReview"), "\(review.combined)")

        let bad = server.directory + "/bad.yaml"
        try "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: strict, namespace: default}\nbogus: 1\n"
            .write(toFile: bad, atomically: true, encoding: .utf8)
        let create = try server.kubectl("create", "-f", bad)
        #expect(create.status != 0 && create.combined.contains("strict decoding error: unknown field \"bogus\""), "\(create.combined)")
    }

    @Test func oversizedBodyIs413AndServerSurvives() throws {
        let server = try APIServerFixture()
        defer { server.stop() }
        let big = server.directory + "/big.json"
        try Data(repeating: UInt8(ascii: " "), count: 4 * 1024 * 1024).write(to: URL(fileURLWithPath: big))
        let run = try Harness.run("curl", ["-sk", "-o", "/dev/null", "-w", "%{http_code}", "-X", "POST", "--data-binary", "@" + big,
                                           "-H", "Content-Type: application/json", server.server + "/api/v1/namespaces/default/configmaps"])
        #expect(run.stdout == "413")
        #expect(try server.kubectl("get", "--raw", "/livez").stdout == "ok")
    }

    @Test func thousandsOfMalformedRequestsGet4xxAndChangeNothing() throws {
        let server = try APIServerFixture()
        defer { server.stop() }
        let script = URL(fileURLWithPath: AcceptanceScripts.directory).deletingLastPathComponent().appendingPathComponent("Fuzz/malformed-requests.py").path
        let run = try Harness.run("python3", [script, server.server, server.pki + "/ca.crt", server.pki + "/apiserver-kubelet-client.crt",
                                              server.pki + "/apiserver-kubelet-client.key", "3000", "1"])
        #expect(run.stdout.contains("3000 malformed requests, 0 violations"), "\(run.combined)")
        #expect(run.status == 0)
        #expect(server.process.isRunning, "the server died: \((try? String(contentsOfFile: server.log, encoding: .utf8)) ?? "")")
    }

    /// Every flag the init-generated static pod manifest passes is one the server accepts: with the manifest's own
    /// command line the server gets as far as looking for its certificate file.
    @Test func theInitManifestsFlagsAreAccepted() throws {
        try Harness.withTemporaryDirectory { dir in
            let run = try Harness.kubeadm("init", "--dry-run", "--ignore-preflight-errors=all", "--apiserver-advertise-address", "10.1.2.3",
                                          environment: ["TMPDIR": dir])
            #expect(run.status == 0, "\(run.combined)")
            let root = try FileManager.default.contentsOfDirectory(atPath: dir).first { $0.hasPrefix("kubeadm-swift-init-dryrun-") } ?? ""
            let manifest = try String(contentsOfFile: "\(dir)/\(root)/etc/kubernetes/manifests/kube-apiserver.yaml", encoding: .utf8)
            let flags = manifest.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { $0.hasPrefix("- --") }.map { String($0.dropFirst(2)) }
            #expect(flags.contains("--authorization-mode=Node,RBAC"))
            // A trailing flag wins; it points at a missing file so the server can never really start on this host.
            let start = try Harness.kubeadm(args: ["kube-apiserver"] + flags + ["--tls-cert-file=\(dir)/missing.crt"])
            #expect(start.status != 0)
            #expect(!start.combined.contains("unknown flag"), "\(start.combined)")
            #expect(start.combined.contains("--tls-cert-file=\(dir)/missing.crt: the file does not exist"), "\(start.combined)")
        }
    }
}
