import Foundation
import HTTPTransport
import KubeAPI
import KubeClient
import Testing
@testable import Kubelet

/// `kubectl exec` and `kubectl attach` end to end: the real kubectl 1.32 and API server binary, the API server's
/// WebSocket tunnel to a kubelet API served in this process by the kubelet's own serving code (self-signed
/// certificate, SubjectAccessReviews against the API server), whose exec runs in a real runc container (busybox
/// rootfs). The Node object points the API server at that kubelet on 127.0.0.1.
@Suite(.serialized, .enabled(if: RuntimeTestHost.available && Harness.which("kubectl") && Harness.which("timeout") && Harness.which("curl"),
                             "needs root, runc, busybox-static, kubectl, curl"),
       .timeLimit(.minutes(5)))
struct ExecE2ETests {
    /// The kubelet API's view of the one pod: `default/web`, container `c`, is the runc container `id`.
    struct Backend: KubeletAPIBackend {
        let runtime: ContainerRuntime
        let id: String

        func pods() async -> [JSONValue] { [] }
        func logFile(namespace: String, pod: String, container: String, previous: Bool) async throws -> (path: String, running: Bool) {
            throw CRILogError("no logs here")
        }
        func healthy() async -> Bool { true }
        func streaming(namespace: String, pod: String, container: String) async throws -> any ContainerStreaming {
            guard namespace == "default", pod == "web", container == "c" else {
                throw RemoteCommandError("container \(container) of pod \(namespace)/\(pod) not found", status: 404)
            }
            return RuntimeContainerStreaming(runtime: runtime, id: id)
        }
    }

    @Test func execAndAttachReachARuncContainerThroughTheAPIServer() async throws {
        try await RuntimeTestHost.with { host in
            let spec = host.spec(["sh", "-c", "i=0; while true; do i=$((i+1)); echo tick $i; sleep 0.2; done"], name: "c")
            try await host.runtime.run(spec)
            let server = try APIServerFixture(kubeletClient: true)
            defer { server.stop() }
            // The kubelet process's own serving code: a self-signed certificate, client certificates from the
            // cluster CA, and every request authorized by a SubjectAccessReview against the API server.
            var config = KubeletConfiguration()
            config.address = "127.0.0.1"
            config.port = APIServerFixture.freePort()
            config.clientCAFile = server.pki + "/ca.crt"
            let client = try RESTClient(kubeconfig: server.kubeconfig, component: "kubelet")
            let kubelet = try #require(try await KubeletMain.startKubeletAPI(
                config, certificateDirectory: server.directory + "/kubelet-pki", nodeName: "node-1", nodeIP: "127.0.0.1",
                client: client, backend: Backend(runtime: host.runtime, id: spec.id)))
            let serving = Task { await kubelet.run() }
            var failure: (any Error)?
            do { try await exercise(server, kubeletPort: kubelet.boundPort) } catch { failure = error }
            kubelet.shutdown()
            await serving.value
            await client.shutdown()
            if let failure { throw failure }
        }
    }

    private func exercise(_ server: APIServerFixture, kubeletPort: Int) async throws {
        let unreachable = APIServerFixture.freePort()
        try """
            apiVersion: v1
            kind: Node
            metadata: {name: node-1}
            status:
              addresses: [{type: InternalIP, address: 127.0.0.1}]
              daemonEndpoints: {kubeletEndpoint: {Port: \(kubeletPort)}}
            ---
            apiVersion: v1
            kind: Node
            metadata: {name: node-gone}
            status:
              addresses: [{type: InternalIP, address: 127.0.0.1}]
              daemonEndpoints: {kubeletEndpoint: {Port: \(unreachable)}}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: web, namespace: default}
            spec: {nodeName: node-1, containers: [{name: c, image: busybox}]}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: lost, namespace: default}
            spec: {nodeName: node-gone, containers: [{name: c, image: busybox}]}
            """.write(toFile: server.directory + "/objects.yaml", atomically: true, encoding: .utf8)
        let created = try await kubectl(server, ["create", "-f", server.directory + "/objects.yaml"])
        try #require(created.status == 0, "\(created.combined)")

        let listing = try await kubectl(server, ["exec", "web", "--", "ls", "/"])
        #expect(listing.status == 0, "\(listing.combined)\n\(server.logTail)")
        #expect(Set(listing.stdout.split(separator: "\n")).isSuperset(of: ["bin", "etc", "proc", "tmp"]), "\(listing.stdout)")

        let exit3 = try await kubectl(server, ["exec", "web", "--", "sh", "-c", "exit 3"])
        #expect(exit3.status == 3, "\(exit3.combined)")
        #expect(exit3.stderr.contains("command terminated with exit code 3"), "\(exit3.stderr)")

        let streams = try await kubectl(server, ["exec", "web", "--", "sh", "-c", "echo out; echo err >&2"])
        #expect(streams.status == 0 && streams.stdout == "out\n" && streams.stderr == "err\n", "\(streams)")

        let commandLine = "kubectl --kubeconfig \(server.kubeconfig) --cache-dir \(server.directory)/kube-cache"
        let cat = try await shell("echo hi | \(commandLine) exec -i web -- cat")
        #expect(cat.status == 0 && cat.stdout == "hi\n", "\(cat.combined)")

        // The Python client (kubernetes.stream) offers v5 and v4 in one header.
        if (try? Harness.run("python3", ["-c", "import kubernetes.stream"]))?.status == 0 {
            let script = """
                from kubernetes import client, config
                from kubernetes.stream import stream
                config.load_kube_config(config_file="\(server.kubeconfig)")
                print(stream(client.CoreV1Api().connect_get_namespaced_pod_exec, "web", "default", command=["echo", "from python"],
                             stderr=True, stdin=False, stdout=True, tty=False), end="")
                """
            let python = try await offPool { try Harness.run("timeout", ["30", "python3", "-c", script]) }
            #expect(python.status == 0 && python.stdout.contains("from python"), "\(python.combined)")
        }

        // kubectl cp is tar over exec, both ways.
        let local = server.directory + "/copied"
        try "copied through tar\n".write(toFile: local, atomically: true, encoding: .utf8)
        let up = try await kubectl(server, ["cp", local, "web:/tmp/copied"])
        let down = try await kubectl(server, ["cp", "web:/tmp/copied", local + ".back"])
        #expect(up.status == 0 && down.status == 0, "\(up.combined)\(down.combined)")
        #expect((try? String(contentsOfFile: local + ".back", encoding: .utf8)) == "copied through tar\n")

        // -t under a pseudo terminal of 91x33: kubectl sends that size on the resize channel.
        if Harness.which("script") {
            let terminal = try await shell("script -qec \"stty cols 91 rows 33; \(commandLine) exec -it web -- sh -c 'sleep 0.5; stty size'\" /dev/null")
            #expect(terminal.status == 0 && terminal.stdout.contains("33 91"), "\(terminal.combined)")
        }

        // attach follows the main process's output until kubectl is stopped.
        let attach = try await shell("timeout -s INT 2 \(commandLine) attach web -c c")
        #expect(attach.stdout.contains("tick"), "\(attach.combined)")

        let noContainer = try await kubectl(server, ["exec", "web", "-c", "nope", "--", "ls"])
        #expect(noContainer.status != 0 && noContainer.stderr.contains("container nope is not valid for pod web"), "\(noContainer.combined)")

        let noPod = try await kubectl(server, ["exec", "ghost", "--", "ls"])
        #expect(noPod.status != 0 && noPod.stderr.contains("pods \"ghost\" not found"), "\(noPod.combined)")

        let lost = try await kubectl(server, ["exec", "lost", "--", "ls"])
        #expect(lost.status != 0 && lost.stderr.contains("error dialing backend"), "\(lost.combined)")

        // kubectl's SPDY path (what 1.27–1.29 use, and newer kubectl's fallback): output, stdin and exit codes.
        let spdyEnvironment = ["KUBECTL_REMOTE_COMMAND_WEBSOCKETS": "false"]
        let spdy = try await kubectl(server, ["exec", "web", "--", "sh", "-c", "echo spdy-out; echo spdy-err >&2"], environment: spdyEnvironment)
        #expect(spdy.status == 0 && spdy.stdout == "spdy-out\n" && spdy.stderr.contains("spdy-err"), "\(spdy.combined)")
        let spdyExit = try await kubectl(server, ["exec", "web", "--", "sh", "-c", "exit 5"], environment: spdyEnvironment)
        #expect(spdyExit.status == 5, "\(spdyExit.combined)")
        let kubeconfig = server.kubeconfig
        let spdyStdin = try await offPool {
            try Harness.run("bash", ["-c", "printf 'in-spdy' | timeout 30 kubectl --kubeconfig \(kubeconfig) exec -i web -- cat"],
                            environment: spdyEnvironment)
        }
        #expect(spdyStdin.stdout == "in-spdy", "\(spdyStdin.combined)")

        // The kubelet API itself: a client without a certificate or token is turned away.
        let anonymous = try await offPool {
            try Harness.run("curl", ["-sk", "-o", "/dev/null", "-w", "%{http_code}", "https://127.0.0.1:\(kubeletPort)/exec/default/web/c?command=ls&output=1"])
        }
        #expect(anonymous.stdout == "401", "\(anonymous.combined)")
    }

    private func kubectl(_ server: APIServerFixture, _ arguments: [String], environment: [String: String] = [:]) async throws -> Run {
        let base = ["--kubeconfig", server.kubeconfig, "--cache-dir", server.directory + "/kube-cache"]
        return try await offPool { try Harness.run("timeout", ["30", "kubectl"] + base + arguments, environment: environment) }
    }

    private func shell(_ script: String) async throws -> Run {
        try await offPool { try Harness.run("timeout", ["30", "bash", "-c", script]) }
    }

    /// Runs a blocking command on its own thread, so the in-process kubelet keeps the concurrency pool.
    private func offPool(_ body: @escaping @Sendable () throws -> Run) async throws -> Run {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try body() }) }.start()
        }
    }
}

extension Run: @unchecked Sendable {}

extension APIServerFixture {
    /// The end of the server's log, for failure messages.
    var logTail: String { String(((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").suffix(3000)) }
}
