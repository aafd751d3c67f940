import Foundation
import KubeAPI
import Synchronization
import Testing
@testable import KubeClient

/// Records what an informer delivered, as "add a", "update a", "delete a".
final class EventLog: Sendable {
    private let entries = Mutex<[String]>([])

    func record(_ event: InformerEvent) {
        let name = event.object.metadata.name ?? "?"
        let entry: String = switch event {
        case .added: "add \(name)"
        case .updated: "update \(name)"
        case .deleted: "delete \(name)"
        }
        entries.withLock { $0.append(entry) }
    }

    var all: [String] { entries.withLock { $0 } }
    func contains(_ entry: String) -> Bool { all.contains(entry) }
}

@Suite("Informer")
struct InformerTests {
    @Test func syncsThenFollowsChanges() async throws {
        let cluster = try await TestCluster()
        let client = try cluster.client()
        _ = try await client.create(R.namespaces, Fixture.namespace("inf"))
        let configMaps = try R.configMaps
        _ = try await client.create(configMaps, Fixture.configMap("one", namespace: "inf"))
        _ = try await client.create(configMaps, Fixture.configMap("two", namespace: "inf"))
        let informer = Informer(client: client, resource: configMaps, namespace: "inf", pageSize: 1)
        let log = EventLog()
        informer.addHandler { log.record($0) }
        let running = Task { await informer.run() }
        #expect(await informer.waitForSync())
        #expect(log.all == ["add one", "add two"], "handlers have seen the initial list when hasSynced turns true")
        #expect(informer.cache.keys == ["inf/one", "inf/two"])

        _ = try await client.patch(configMaps, namespace: "inf", name: "one", ["data": ["k": "v"]], type: .merge)
        try await client.delete(configMaps, namespace: "inf", name: "two")
        _ = try await client.create(configMaps, Fixture.configMap("three", namespace: "inf"))
        #expect(await eventually { log.all.count == 5 })
        #expect(log.all.suffix(3) == ["update one", "delete two", "add three"])
        #expect(informer.cache.get(namespace: "inf", name: "one")?["data"]?["k"] == "v")
        #expect(informer.cache.get(namespace: "inf", name: "two") == nil)

        // A handler added late gets the current cache first.
        let late = EventLog()
        informer.addHandler { late.record($0) }
        #expect(await eventually { late.all.sorted() == ["add one", "add three"] })
        running.cancel()
        await running.value
        await cluster.stop()
    }

    /// The informer's watch is held back while objects change and history is compacted; when it resumes from
    /// its old version the server answers 410, and the informer relists and delivers what it missed.
    @Test func relistsAfterCompaction() async throws {
        let cluster = try await TestCluster()
        let client = try cluster.client()
        _ = try await client.create(R.namespaces, Fixture.namespace("inf"))
        let configMaps = try R.configMaps
        _ = try await client.create(configMaps, Fixture.configMap("stays", namespace: "inf"))
        _ = try await client.create(configMaps, Fixture.configMap("goes", namespace: "inf"))
        let informer = Informer(client: client, resource: configMaps, namespace: "inf", options: ListOptions(timeoutSeconds: 1))
        let log = EventLog()
        informer.addHandler { log.record($0) }
        let running = Task { await informer.run() }
        #expect(await informer.waitForSync())
        #expect(await eventually { cluster.faults.watches.passed == 1 })

        cluster.faults.holdWatches(true)
        // The current watch ends after its 1 s timeout; the next one waits at the gate.
        #expect(await eventually { cluster.faults.watches.waiting == 1 })
        try await client.delete(configMaps, namespace: "inf", name: "goes")
        _ = try await client.create(configMaps, Fixture.configMap("new", namespace: "inf"))
        _ = try await client.patch(configMaps, namespace: "inf", name: "stays", ["data": ["x": "1"]], type: .merge)
        try await cluster.store.compact(try await cluster.store.currentRevision())
        cluster.faults.holdWatches(false)

        #expect(await eventually { log.contains("delete goes") && log.contains("add new") && log.contains("update stays") })
        #expect(informer.requestCounts.lists == 2, "exactly one relist, after the 410")
        #expect(informer.cache.keys == ["inf/new", "inf/stays"])
        #expect(informer.cache.get(namespace: "inf", name: "stays")?["data"]?["x"] == "1")
        running.cancel()
        await running.value
        await cluster.stop()
    }

    @Test func resyncRedeliversTheCache() async throws {
        let cluster = try await TestCluster()
        let client = try cluster.client()
        _ = try await client.create(R.namespaces, Fixture.namespace("inf"))
        _ = try await client.create(R.configMaps, Fixture.configMap("r", namespace: "inf"))
        let informer = Informer(client: client, resource: try R.configMaps, namespace: "inf", resyncPeriod: .milliseconds(100))
        let changes = informer.changes()
        let running = Task { await informer.run() }
        var updates = 0
        for await change in changes {
            if case .updated(let old, let new) = change {
                #expect(old == new)
                updates += 1
                if updates == 2 { break }
            }
        }
        #expect(updates == 2)
        running.cancel()
        await running.value
        await cluster.stop()
    }

    /// Cancelling an informer whose watch the server has not answered yet stops it at once, not after the
    /// request timeout.
    @Test func cancellationIsPromptWhileAWatchIsPending() async throws {
        let cluster = try await TestCluster()
        let client = try cluster.client()
        cluster.faults.holdWatches(true)
        let informer = Informer(client: client, resource: try R.configMaps, namespace: "default")
        let running = Task { await informer.run() }
        #expect(await informer.waitForSync())
        #expect(await eventually { cluster.faults.watches.waiting == 1 })
        let cancelledAt = ContinuousClock.now
        running.cancel()
        await running.value
        #expect(ContinuousClock.now - cancelledAt < .seconds(3))
        cluster.faults.holdWatches(false)
        await cluster.stop()
    }

    @Test func relistDiffDeliversTheDifference() {
        let cache = ObjectCache()
        func object(_ name: String, _ version: String) -> JSONValue {
            ["metadata": ["name": .string(name), "namespace": "ns", "resourceVersion": .string(version)]]
        }
        _ = cache.replace(with: [object("a", "1"), object("b", "1"), object("c", "1")])
        let events = cache.replace(with: [object("a", "1"), object("b", "2"), object("d", "3")])
        let summary = events.map { event -> String in
            switch event {
            case .added(let o): "add \(o.metadata.name ?? "")"
            case .updated(_, let o): "update \(o.metadata.name ?? "")"
            case .deleted(let o): "delete \(o.metadata.name ?? "")"
            }
        }
        #expect(summary == ["update b", "add d", "delete c"])
        #expect(ObjectCache.split(key: "ns/a") == ("ns", "a"))
        #expect(ObjectCache.split(key: "node-1") == (nil, "node-1"))
    }
}
