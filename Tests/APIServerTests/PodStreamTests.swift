import Foundation
import HTTPTransport
import KubeAPI
import Synchronization
import Testing
@testable import APIServer

/// `pods/exec` and `pods/attach` up to the kubelet: authorization, the checks answered before any upgrade, and the
/// query the kubelet gets. The tunnel itself is covered end to end by E2ETests' `ExecE2ETests`.
@Suite("pods/exec and pods/attach")
struct PodStreamTests {
    final class Recorder: Authorizer {
        let seen = Mutex<[String]>([])
        func authorize(_ attributes: AuthorizationAttributes) async -> AuthorizationDecision {
            seen.withLock { $0.append("\(attributes.verb) \(attributes.resource)/\(attributes.subresource)") }
            return .allow
        }
    }

    static let upgrade = [("connection", "Upgrade"), ("upgrade", "websocket"), ("sec-websocket-key", "dGhlIHNhbXBsZSBub25jZQ=="),
                          ("sec-websocket-version", "13"), ("sec-websocket-protocol", "v5.channel.k8s.io")]

    @Test func checksComeBeforeTheUpgradeAndExecIsAuthorizedAsCreate() async throws {
        let h = try await RegistryHarness()
        defer { Task { await h.close() } }
        let recorder = Recorder()
        let handler = APIHandler(registry: h.registry, configuration: .init(serverAddress: "127.0.0.1:6443"), tokenAuthenticator: nil,
                                 authorizer: recorder, datastoreHealthy: { true })
        let node: JSONValue = ["metadata": ["name": "n1"], "status": ["addresses": [["type": "InternalIP", "address": "127.0.0.1"]]]]
        #expect(await h.send(.create, resource: "nodes", body: node).code == 201)
        for name in ["running", "done"] {
            let pod: JSONValue = ["metadata": ["name": .string(name)], "spec": ["nodeName": "n1", "containers": [["name": "c", "image": "busybox"]]]]
            #expect(await h.send(.create, resource: "pods", namespace: "default", body: pod).code == 201)
        }
        var done = await h.send(.get, resource: "pods", namespace: "default", name: "done").body
        done["status"] = ["phase": "Succeeded"]
        #expect(await h.send(.update, resource: "pods", namespace: "default", name: "done", subresource: "status", body: done).code == 200)
        var running = await h.send(.get, resource: "pods", namespace: "default", name: "running").body
        running["status"] = ["phase": "Pending", "containerStatuses": [["name": "c", "state": ["waiting": ["reason": "ContainerCreating"]]]]]
        #expect(await h.send(.update, resource: "pods", namespace: "default", name: "running", subresource: "status", body: running).code == 200)
        let exec = { (pod: String, query: [(name: String, value: String)]) in
            await handler.respond(to: HTTPRequestMessage(method: "GET", path: "/api/v1/namespaces/default/pods/\(pod)/exec",
                                                         query: query, headers: Self.upgrade))
        }
        let creating = await exec("running", [("command", "ls"), ("stdout", "true")])
        #expect(creating.status == 400 && Self.text(creating).contains("container c is not running in pod running (ContainerCreating)"))
        #expect(recorder.seen.withLock { $0 }.last == "create pods/exec")
        running = await h.send(.get, resource: "pods", namespace: "default", name: "running").body
        running["status"] = ["phase": "Running", "containerStatuses": [["name": "c", "state": ["running": ["startedAt": "2026-11-26T10:00:00Z"]]]]]
        #expect(await h.send(.update, resource: "pods", namespace: "default", name: "running", subresource: "status", body: running).code == 200)
        let noKubeletClient = await exec("running", [("command", "ls"), ("stdout", "true")])
        #expect(noKubeletClient.status == 503, "without --kubelet-client-certificate there is no way to the node")
        #expect(await exec("running", [("command", "ls"), ("container", "nope")]).status == 400)
        #expect(await exec("ghost", [("command", "ls")]).status == 404)
        #expect(await exec("running", [("stdout", "true")]).status == 400, "exec needs a command")
        let completed = await exec("done", [("command", "ls")])
        #expect(completed.status == 400)
        #expect(Self.text(completed).contains("cannot exec into a container in a completed pod; current phase is Succeeded"))
    }

    static func text(_ response: HTTPResponseMessage) -> String {
        guard case .bytes(let body) = response.body else { return "" }
        return String(decoding: body, as: UTF8.self)
    }

    @Test func theKubeletGetsUpstreamsParameterNames() {
        let query = APIHandler.kubeletStreamQuery(
            [("command", "sh"), ("command", "-c"), ("command", "echo a&b"), ("stdin", "true"), ("stdout", "true"), ("stderr", "false"),
             ("tty", "1"), ("container", "c")], attach: false)
        #expect(query == ["input=1", "output=1", "tty=1", "command=sh", "command=-c", "command=echo%20a%26b"])
        #expect(APIHandler.kubeletStreamQuery([("command", "ls"), ("stdout", "true")], attach: true) == ["output=1"])
    }
}
