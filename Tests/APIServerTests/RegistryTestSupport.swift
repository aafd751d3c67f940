import Foundation
import KubeAPI
import Manifests
import Storage
import Testing
@testable import APIServer

/// A registry over a real SQLite store in a fresh temporary directory, with request builders that keep the tests
/// independent of how `APIRequest` is spelled.
struct RegistryHarness {
    let registry: Registry
    let store: SQLiteStore
    let directory: URL

    init(bookmarkInterval: Duration = .seconds(60), serviceNetwork: IPNetwork? = nil) async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("registry-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        store = try SQLiteStore(path: directory.appendingPathComponent("state.db").path)
        registry = Registry(store: store, bookmarkInterval: bookmarkInterval, serviceNetwork: serviceNetwork)
        try await registry.bootstrap()
    }

    func close() async {
        await store.close()
        try? FileManager.default.removeItem(at: directory)
    }

    /// Sends one request and returns (status code, body); fails the test on a watch response.
    @discardableResult
    func send(_ verb: APIRequest.Verb, resource: String, namespace: String? = nil, name: String? = nil,
              subresource: String? = nil, query: [String: String] = [:], body: JSONValue? = nil,
              contentType: String? = "application/json") async -> (code: Int, body: JSONValue) {
        await send(verb, "", "v1", resource, namespace: namespace, name: name, subresource: subresource, query: query,
                   body: body, contentType: contentType)
    }

    /// Sends one request to a named group's resource.
    @discardableResult
    func send(_ verb: APIRequest.Verb, _ group: String, _ version: String, _ resource: String,
              namespace: String? = nil, name: String? = nil, subresource: String? = nil,
              query: [String: String] = [:], body: JSONValue? = nil, contentType: String? = "application/json") async
        -> (code: Int, body: JSONValue)
    {
        let request = APIRequest(verb: verb, group: group, version: version, resource: resource, namespace: namespace,
                                 name: name, subresource: subresource, query: query, body: body?.jsonBytes ?? [],
                                 contentType: contentType, user: .anonymous)
        switch await registry.handle(request) {
        case .object(let status, let body, _):
            return (status, body)
        case .watch, .stream:
            Issue.record("unexpected streamed response")
            return (0, .null)
        }
    }

    /// Opens a watch and returns its event stream.
    func watch(_ group: String = "", _ version: String = "v1", resource: String, namespace: String? = nil,
               query: [String: String] = [:]) async throws -> AsyncThrowingStream<JSONValue, any Error> {
        var query = query
        query["watch"] = "true"
        let request = APIRequest(verb: .watch, group: group, version: version, resource: resource,
                                 namespace: namespace, query: query, user: .anonymous)
        guard case .watch(let stream) = await registry.handle(request) else {
            throw HarnessError.notAWatch
        }
        return stream
    }

    enum HarnessError: Error { case notAWatch, timedOut }

    /// Collects `count` events, failing after a bounded time.
    static func next(_ count: Int, from stream: AsyncThrowingStream<JSONValue, any Error>,
                     timeout: Duration = .seconds(5)) async throws -> [JSONValue] {
        try await withThrowingTaskGroup(of: [JSONValue].self) { group in
            group.addTask {
                var events: [JSONValue] = []
                for try await event in stream {
                    events.append(event)
                    if events.count == count { break }
                }
                return events
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw HarnessError.timedOut
            }
            let result = try await group.next() ?? []
            group.cancelAll()
            return result
        }
    }

    // MARK: - Fixtures

    static func pod(_ name: String, labels: [String: String] = [:], nodeName: String? = nil) -> JSONValue {
        var pod: JSONValue = [
            "apiVersion": "v1", "kind": "Pod",
            "metadata": ["name": .string(name)],
            "spec": ["containers": [["name": "c", "image": "nginx"]]],
        ]
        if !labels.isEmpty { pod.metadata.labels = .init(uniqueKeysWithValues: labels.map { ($0.key, $0.value) }) }
        if let nodeName { pod[path: ["spec", "nodeName"]] = .string(nodeName) }
        return pod
    }

    static func deployment(_ name: String, replicas: Int64 = 1) -> JSONValue {
        [
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": ["name": .string(name)],
            "spec": [
                "replicas": .integer(replicas),
                "selector": ["matchLabels": ["app": .string(name)]],
                "template": [
                    "metadata": ["labels": ["app": .string(name)]],
                    "spec": ["containers": [["name": "c", "image": "nginx"]]],
                ],
            ],
        ]
    }
}
