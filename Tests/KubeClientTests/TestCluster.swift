import Foundation
import HTTPTransport
import KubeAPI
import Manifests
import PKI
import Storage
import Synchronization
import Testing
@testable import APIServer
@testable import KubeClient

/// Certificates for one test server: a CA, a serving certificate for 127.0.0.1 and a system:masters client
/// certificate, as PEM text and as files (the server reads files).
struct TestPKI {
    let directory: URL
    let caPEM: String
    let clientCertificatePEM: String
    let clientKeyPEM: String
    var caFile: String { directory.appendingPathComponent("ca.crt").path }
    var serverCertificateFile: String { directory.appendingPathComponent("apiserver.crt").path }
    var serverKeyFile: String { directory.appendingPathComponent("apiserver.key").path }

    init(directory: URL) throws {
        self.directory = directory
        let now = Date()
        let validity = (now.addingTimeInterval(-300), now.addingTimeInterval(3600))
        let caKey = try PrivateKey.generate(.ecdsaP256)
        let ca = try CertificateIssuer.selfSignedCA(
            config: CertificateConfig(commonName: "kubernetes", isCA: true, notBefore: validity.0, notAfter: validity.1), key: caKey)
        let serverKey = try PrivateKey.generate(.ecdsaP256)
        let server = try CertificateIssuer.issue(
            config: CertificateConfig(commonName: "kube-apiserver", dnsNames: ["localhost"], ipAddresses: ["127.0.0.1"],
                                      usages: [.serverAuth], notBefore: validity.0, notAfter: validity.1),
            publicKeyOf: serverKey, caCert: ca, caKey: caKey)
        let clientKey = try PrivateKey.generate(.ecdsaP256)
        let client = try CertificateIssuer.issue(
            config: CertificateConfig(commonName: "kubernetes-admin", organizations: ["system:masters"], usages: [.clientAuth],
                                      notBefore: validity.0, notAfter: validity.1),
            publicKeyOf: clientKey, caCert: ca, caKey: caKey)
        caPEM = ca.pem
        clientCertificatePEM = client.pem
        clientKeyPEM = clientKey.pem
        try caPEM.write(toFile: directory.appendingPathComponent("ca.crt").path, atomically: true, encoding: .utf8)
        try server.pem.write(toFile: directory.appendingPathComponent("apiserver.crt").path, atomically: true, encoding: .utf8)
        try serverKey.pem.write(toFile: directory.appendingPathComponent("apiserver.key").path, atomically: true, encoding: .utf8)
    }
}

/// Lets tests hold back watch requests (to make an informer miss events) and stall chosen paths (to exercise
/// request timeouts) in front of the real API handler.
final class FaultInjector: HTTPResponder, Sendable {
    let handler: APIHandler
    private let watchesHeld = Mutex(false)
    private let stalledPaths = Mutex<Set<String>>([])
    private let userAgents = Mutex<[String]>([])
    private let watchCounts = Mutex<(passed: Int, waiting: Int)>((0, 0))

    init(handler: APIHandler) { self.handler = handler }

    func holdWatches(_ hold: Bool) { watchesHeld.withLock { $0 = hold } }
    func stall(_ path: String) { _ = stalledPaths.withLock { $0.insert(path) } }
    var seenUserAgents: [String] { userAgents.withLock { $0 } }
    /// Watch requests handed to the API handler so far, and those waiting at the gate now.
    var watches: (passed: Int, waiting: Int) { watchCounts.withLock { $0 } }

    func respond(to request: HTTPRequestMessage) async -> HTTPResponseMessage {
        if let agent = request.header("user-agent") { userAgents.withLock { $0.append(agent) } }
        if stalledPaths.withLock({ $0.contains(request.path) }) {
            try? await Task.sleep(for: .seconds(30))
        }
        if request.queryValue("watch") == "true" {
            watchCounts.withLock { $0.waiting += 1 }
            while watchesHeld.withLock({ $0 }) { try? await Task.sleep(for: .milliseconds(20)) }
            watchCounts.withLock {
                $0.waiting -= 1
                $0.passed += 1
            }
        }
        return await handler.respond(to: request)
    }
}

/// A real API server in-process: Registry over SQLite in a temp directory, the APIHandler (allow-all
/// authorizer), HTTPS with client certificates on 127.0.0.1 and an ephemeral port.
final class TestCluster: Sendable {
    let directory: URL
    let pki: TestPKI
    let store: SQLiteStore
    let registry: Registry
    let faults: FaultInjector
    let server: HTTPServer
    let serving: Task<Void, Never>
    private let clients = Mutex<[RESTClient]>([])

    init(bookmarkInterval: Duration = .seconds(60)) async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("kubeclient-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        pki = try TestPKI(directory: directory)
        store = try SQLiteStore(path: directory.appendingPathComponent("state.db").path)
        registry = Registry(store: store, bookmarkInterval: bookmarkInterval)
        try await registry.bootstrap()
        let handler = APIHandler(registry: registry, configuration: .init(serverAddress: "127.0.0.1:6443"),
                                 tokenAuthenticator: nil, authorizer: FixedAuthorizer(decision: .allow), datastoreHealthy: { true })
        handler.markBootstrapDone()
        faults = FaultInjector(handler: handler)
        server = try await HTTPServer(
            settings: HTTPServerSettings(host: "127.0.0.1", port: 0,
                                         tls: .init(certificateFile: pki.serverCertificateFile, privateKeyFile: pki.serverKeyFile,
                                                    clientCAFile: pki.caFile)),
            responder: faults)
        let server = self.server
        serving = Task { await server.run() }
    }

    var serverURL: ServerURL { ServerURL(host: "127.0.0.1", port: server.boundPort) }

    func config(requestTimeout: Duration = .seconds(10), maxConnections: Int = 4) -> ClientConfig {
        ClientConfig(server: serverURL, certificateAuthorityPEM: pki.caPEM, clientCertificatePEM: pki.clientCertificatePEM,
                     clientKeyPEM: pki.clientKeyPEM, requestTimeout: requestTimeout, maxConnections: maxConnections)
    }

    func client(_ component: String = "test", requestTimeout: Duration = .seconds(10), maxConnections: Int = 4) throws -> RESTClient {
        let client = try RESTClient(config: config(requestTimeout: requestTimeout, maxConnections: maxConnections), component: component)
        clients.withLock { $0.append(client) }
        return client
    }

    /// A kubeconfig file for this server, as kubeadm writes them.
    func writeKubeconfig(name: String = "admin.conf") throws -> String {
        let kubeconfig = Kubeconfig.withClientCertificate(
            clusterName: "kubernetes", server: serverURL.description, caPEM: pki.caPEM, userName: "kubernetes-admin",
            certificatePEM: pki.clientCertificatePEM, keyPEM: pki.clientKeyPEM)
        let path = directory.appendingPathComponent(name).path
        try kubeconfig.yaml().write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Shuts the clients down (the server waits for open keep-alive connections), then the server; a connection
    /// some test left open cannot hold the suite up for more than two seconds.
    func stop() async {
        for client in clients.withLock({ $0 }) { await client.shutdown() }
        server.shutdown()
        let serving = self.serving
        await withTaskGroup(of: Bool.self) { group in
            group.addTask { await serving.value; return true }
            group.addTask { try? await Task.sleep(for: .seconds(2)); return false }
            if await group.next() == false { serving.cancel() }
            group.cancelAll()
        }
        await store.close()
        try? FileManager.default.removeItem(at: directory)
    }
}

/// Resources the tests use, looked up in the served table.
enum R {
    static func info(_ group: String, _ version: String, _ plural: String) throws -> APIResourceInfo {
        try #require(ResourceTable.resource(group: group, version: version, plural: plural))
    }
    static var configMaps: APIResourceInfo { get throws { try info("", "v1", "configmaps") } }
    static var pods: APIResourceInfo { get throws { try info("", "v1", "pods") } }
    static var namespaces: APIResourceInfo { get throws { try info("", "v1", "namespaces") } }
    static var nodes: APIResourceInfo { get throws { try info("", "v1", "nodes") } }
    static var deployments: APIResourceInfo { get throws { try info("apps", "v1", "deployments") } }
    static var leases: APIResourceInfo { get throws { try info("coordination.k8s.io", "v1", "leases") } }
}

/// Small fixtures.
enum Fixture {
    static func configMap(_ name: String, namespace: String = "default", data: [String: String] = [:],
                          labels: [String: String] = [:]) -> JSONValue {
        var object: JSONValue = ["apiVersion": "v1", "kind": "ConfigMap",
                                 "metadata": ["name": .string(name), "namespace": .string(namespace)]]
        if !labels.isEmpty { object[path: ["metadata", "labels"]] = .object(.init(uniqueKeysWithValues: labels.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })) }
        if !data.isEmpty { object["data"] = .object(.init(uniqueKeysWithValues: data.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })) }
        return object
    }

    static func pod(_ name: String, namespace: String = "default") -> JSONValue {
        ["apiVersion": "v1", "kind": "Pod",
         "metadata": ["name": .string(name), "namespace": .string(namespace)],
         "spec": ["containers": [["name": "c", "image": "nginx"]]]]
    }

    static func namespace(_ name: String) -> JSONValue {
        ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(name)]]
    }
}

/// Polls `condition` until true or `timeout`; for effects that arrive asynchronously.
func eventually(timeout: Duration = .seconds(10), _ condition: @Sendable () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return try await condition()
}

/// Collects up to `count` items of a stream, failing after `timeout`.
func collect<Element: Sendable>(_ count: Int, from stream: AsyncThrowingStream<Element, any Error>,
                                timeout: Duration = .seconds(10)) async throws -> [Element] {
    try await withThrowingTaskGroup(of: [Element]?.self) { group in
        group.addTask {
            var items: [Element] = []
            for try await item in stream {
                items.append(item)
                if items.count == count { break }
            }
            return items
        }
        group.addTask {
            try await Task.sleep(for: timeout)
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let items = first else {
            throw TestTimeout()
        }
        return items
    }
}

struct TestTimeout: Error {}
