import Foundation
import KubeAPI
import Testing
@testable import KubeClient

/// Watch streams over HTTPS: event decoding, bookmarks, expiry and server-side timeouts.
@Suite("Watch")
struct WatchTests {
    @Test func eventsArriveInOrder() async throws {
        let cluster = try await TestCluster()
        let client = try cluster.client()
        _ = try await client.create(R.namespaces, Fixture.namespace("w"))
        let configMaps = try R.configMaps
        let start = try await client.list(configMaps, namespace: "w").resourceVersion
        let stream = try await client.watch(configMaps, namespace: "w", resourceVersion: start, allowWatchBookmarks: false)
        _ = try await client.create(configMaps, Fixture.configMap("a", namespace: "w"))
        _ = try await client.patch(configMaps, namespace: "w", name: "a", ["data": ["k": "v"]], type: .merge)
        try await client.delete(configMaps, namespace: "w", name: "a")
        let events = try await collect(3, from: stream)
        #expect(events.map(\.type) == [.added, .modified, .deleted])
        #expect(events.allSatisfy { $0.object.metadata.name == "a" })
        let versions = events.compactMap { $0.resourceVersion.flatMap { Int($0) } }
        #expect(versions == versions.sorted() && versions.count == 3)
        await cluster.stop()
    }

    @Test func withoutResourceVersionCurrentObjectsComeFirst() async throws {
        let cluster = try await TestCluster()
        let client = try cluster.client()
        _ = try await client.create(R.namespaces, Fixture.namespace("w"))
        let configMaps = try R.configMaps
        _ = try await client.create(configMaps, Fixture.configMap("pre", namespace: "w"))
        let stream = try await client.watch(configMaps, namespace: "w")
        let first = try await collect(1, from: stream)
        #expect(first.first?.type == .added && first.first?.object.metadata.name == "pre")
        await cluster.stop()
    }

    @Test func bookmarksAndServerTimeoutEndTheStream() async throws {
        let cluster = try await TestCluster(bookmarkInterval: .milliseconds(100))
        let client = try cluster.client()
        _ = try await client.create(R.namespaces, Fixture.namespace("w"))
        let configMaps = try R.configMaps
        let start = try await client.list(configMaps, namespace: "w").resourceVersion
        let stream = try await client.watch(configMaps, namespace: "w", options: ListOptions(timeoutSeconds: 1), resourceVersion: start)
        var bookmarks = 0
        for try await event in stream where event.type == .bookmark {
            bookmarks += 1
            #expect(event.object.kind == "ConfigMap" && event.resourceVersion != nil)
        }
        #expect(bookmarks >= 1, "the stream ends by itself after timeoutSeconds, having carried bookmarks")
        await cluster.stop()
    }

    @Test func compactedVersionThrowsGone() async throws {
        let cluster = try await TestCluster()
        let client = try cluster.client()
        _ = try await client.create(R.namespaces, Fixture.namespace("w"))
        let configMaps = try R.configMaps
        for index in 0..<3 { _ = try await client.create(configMaps, Fixture.configMap("c\(index)")) }
        try await cluster.store.compact(try await cluster.store.currentRevision())
        let stream = try await client.watch(configMaps, namespace: "default", resourceVersion: "1")
        let error = await #expect(throws: KubeClientError.self) { for try await _ in stream {} }
        #expect(error?.isGone == true && error?.status?.reason == "Expired")
        await cluster.stop()
    }

    @Test func refusedWatchThrowsAtOnce() async throws {
        let cluster = try await TestCluster()
        let client = try cluster.client()
        _ = try await client.create(R.namespaces, Fixture.namespace("w"))
        let error = await #expect(throws: KubeClientError.self) {
            _ = try await client.watch(R.configMaps, namespace: "default", options: ListOptions(labelSelector: "a in (b"))
        }
        #expect(error?.isBadRequest == true)
        await cluster.stop()
    }

    /// Ending iteration closes the watch's connection, and the server drops its watcher.
    @Test func cancellingClosesTheWatch() async throws {
        let cluster = try await TestCluster()
        let client = try cluster.client()
        _ = try await client.create(R.namespaces, Fixture.namespace("w"))
        let baseline = cluster.store.watcherCount
        do {
            let stream = try await client.watch(R.configMaps, namespace: "default", resourceVersion: "1")
            let reader = Task { for try await _ in stream {} }
            #expect(await eventually { cluster.store.watcherCount > baseline })
            reader.cancel()
        }
        #expect(await eventually { cluster.store.watcherCount == baseline })
        await cluster.stop()
    }

    @Test func framerSplitsDocumentsAcrossChunks() throws {
        var framer = JSONStreamFramer()
        let text = #"{"type":"ADDED","object":{"s":"}{\"x"}}"# + "\n" + #"{"type":"DELETED","object":{}}{"a":[1,{"b":2}]}"#
        let bytes = Array(text.utf8)
        var documents: [[UInt8]] = []
        for chunk in stride(from: 0, to: bytes.count, by: 7).map({ bytes[$0..<min($0 + 7, bytes.count)] }) {
            documents += try framer.append(chunk)
        }
        #expect(documents.count == 3)
        let parsed = try documents.map { try JSONValue(parsing: $0) }
        #expect(parsed[0][path: ["object", "s"]] == #"}{"x"#)
        #expect(parsed[1]["type"] == "DELETED")
        #expect(parsed[2]["a"]?[1]?["b"] == 2)
    }

    @Test func errorEventsThrowTheirStatus() {
        let event: JSONValue = ["type": "ERROR", "object": ["kind": "Status", "code": 410, "reason": "Expired", "message": "too old"]]
        let error = #expect(throws: KubeClientError.self) { try WatchEvent(json: event) }
        #expect(error?.isGone == true && error?.status?.message == "too old")
    }
}
