import Foundation
import HTTPTransport
import KubeAPI
import PKI
import Testing
@testable import APIServer

/// `pods/log` streamed from a (fake) kubelet over HTTPS with the API server's kubelet client certificate.
@Suite("pods/log proxy")
struct PodLogProxyTests {
    struct FakeKubelet: HTTPResponder {
        func respond(to request: HTTPRequestMessage) async -> HTTPResponseMessage {
            guard request.path == "/containerLogs/default/p/c", request.clientCertificate?.commonName == "kube-apiserver-kubelet-client" else {
                return HTTPResponseMessage(status: 404, body: .bytes(Array("no such container".utf8)))
            }
            let tail = request.queryValue("tailLines") ?? "all"
            return HTTPResponseMessage(status: 200, headers: [("content-type", "text/plain")], body: .bytes(Array("tail=\(tail)\nhello\n".utf8)))
        }
    }

    /// A CA, a serving certificate for 127.0.0.1 and a client certificate, as PEM files in `dir`.
    static func pki(_ dir: String) throws {
        let now = Date()
        let caKey = try PrivateKey.generate(.ecdsaP256)
        let ca = try CertificateIssuer.selfSignedCA(config: CertificateConfig(commonName: "test-ca", notBefore: now.addingTimeInterval(-60),
                                                                              notAfter: now.addingTimeInterval(3600)), key: caKey)
        for (name, cn, ips, usage) in [("server", "kubelet", ["127.0.0.1"], ExtendedKeyUsage.serverAuth),
                                       ("client", "kube-apiserver-kubelet-client", [], ExtendedKeyUsage.clientAuth)] {
            let key = try PrivateKey.generate(.ecdsaP256)
            let cert = try CertificateIssuer.issue(
                config: CertificateConfig(commonName: cn, ipAddresses: ips, usages: [usage], notBefore: now.addingTimeInterval(-60),
                                          notAfter: now.addingTimeInterval(3600)),
                publicKeyOf: key, caCert: ca, caKey: caKey)
            try cert.pem.write(toFile: "\(dir)/\(name).crt", atomically: true, encoding: .utf8)
            try key.pem.write(toFile: "\(dir)/\(name).key", atomically: true, encoding: .utf8)
        }
        try ca.pem.write(toFile: "\(dir)/ca.crt", atomically: true, encoding: .utf8)
    }

    @Test func logsAreStreamedFromTheNodesKubelet() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("logproxy-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.pki(dir)
        let kubelet = try await HTTPServer(
            settings: HTTPServerSettings(host: "127.0.0.1", port: 0, tls: .init(certificateFile: dir + "/server.crt", privateKeyFile: dir + "/server.key",
                                                                                  clientCAFile: dir + "/ca.crt"), threads: 1),
            responder: FakeKubelet())
        let serving = Task { await kubelet.run() }
        defer { kubelet.shutdown(); serving.cancel() }
        let h = try await RegistryHarness()
        defer { Task { await h.close() } }
        let handler = APIHandler(registry: h.registry, configuration: .init(serverAddress: "127.0.0.1:6443"), tokenAuthenticator: nil,
                                 authorizer: FixedAuthorizer(decision: .allow),
                                 kubelets: try KubeletConnection(certificateFile: dir + "/client.crt", keyFile: dir + "/client.key"),
                                 datastoreHealthy: { true })
        let node: JSONValue = ["metadata": ["name": "n1"], "status": ["addresses": [["type": "InternalIP", "address": "127.0.0.1"]],
                                                                      "daemonEndpoints": ["kubeletEndpoint": ["Port": .integer(Int64(kubelet.boundPort))]]]]
        #expect(await h.send(.create, resource: "nodes", body: node).code == 201)
        let pod: JSONValue = ["metadata": ["name": "p"], "spec": ["nodeName": "n1", "containers": [["name": "c", "image": "busybox"]]]]
        #expect(await h.send(.create, resource: "pods", namespace: "default", body: pod).code == 201)
        let response = await handler.respond(to: HTTPRequestMessage(method: "GET", path: "/api/v1/namespaces/default/pods/p/log",
                                                                    query: [("tailLines", "2")]))
        #expect(response.status == 200)
        var text: [UInt8] = []
        if case .stream(let chunks) = response.body { for try await chunk in chunks { text += chunk } }
        #expect(String(decoding: text, as: UTF8.self) == "tail=2\nhello\n")
        let wrong = await handler.respond(to: HTTPRequestMessage(method: "GET", path: "/api/v1/namespaces/default/pods/p/log",
                                                                 query: [("container", "nope")]))
        #expect(wrong.status == 400)
    }
}
