import KubeAPI
import Testing
@testable import APIServer

@Suite("Registry list and watch")
struct RegistryListWatchTests {
    @Test func selectorsAndPagination() async throws {
        let h = try await RegistryHarness()
        for index in 0..<5 {
            _ = await h.send(.create, resource: "pods", namespace: "default",
                             body: RegistryHarness.pod("p\(index)", labels: ["even": index % 2 == 0 ? "yes" : "no"],
                                                       nodeName: index == 0 ? "n1" : nil))
        }
        let labelled = await h.send(.list, resource: "pods", namespace: "default", query: ["labelSelector": "even=yes"])
        #expect(labelled.body["kind"] == "PodList")
        #expect((labelled.body["items"]?.array ?? []).compactMap { $0.metadata.name } == ["p0", "p2", "p4"])
        #expect(labelled.body[path: ["items", "0"]] == nil)
        #expect(labelled.body["items"]?[0]?.kind == "Pod")
        let onNode = await h.send(.list, resource: "pods", query: ["fieldSelector": "spec.nodeName=n1"])
        #expect((onNode.body["items"]?.array ?? []).compactMap { $0.metadata.name } == ["p0"])
        let unscheduled = await h.send(.list, resource: "pods", query: ["fieldSelector": "spec.nodeName=,metadata.namespace=default"])
        #expect(unscheduled.body["items"]?.array?.count == 4)
        let bad = await h.send(.list, resource: "pods", query: ["fieldSelector": "spec.bogus=1"])
        #expect(bad.code == 400)
        #expect(bad.body["message"] == "field label not supported: spec.bogus")
        let badLabel = await h.send(.list, resource: "pods", query: ["labelSelector": "a in (b"])
        #expect(badLabel.code == 400)

        var names: [String] = []
        var token: String?
        var pages = 0
        repeat {
            var query = ["limit": "2"]
            if let token { query["continue"] = token }
            let page = await h.send(.list, resource: "pods", namespace: "default", query: query)
            #expect(page.code == 200)
            names += (page.body["items"]?.array ?? []).compactMap { $0.metadata.name }
            token = page.body[path: ["metadata", "continue"]]?.string
            pages += 1
        } while token != nil && pages < 10
        #expect(names == ["p0", "p1", "p2", "p3", "p4"])
        #expect(pages == 3)
        await h.close()
    }

    @Test func watchFromResourceVersionInOrder() async throws {
        let h = try await RegistryHarness()
        let list = await h.send(.list, resource: "configmaps", namespace: "default")
        let start = try #require(list.body[path: ["metadata", "resourceVersion"]]?.string)
        let stream = try await h.watch(resource: "configmaps", namespace: "default", query: ["resourceVersion": start])
        _ = await h.send(.create, resource: "configmaps", namespace: "default", body: ["metadata": ["name": "w"]])
        _ = await h.send(.patch, resource: "configmaps", namespace: "default", name: "w", body: ["data": ["k": "v"]],
                         contentType: "application/merge-patch+json")
        _ = await h.send(.delete, resource: "configmaps", namespace: "default", name: "w")
        let events = try await RegistryHarness.next(3, from: stream)
        #expect(events.map { $0["type"]?.string ?? "" } == ["ADDED", "MODIFIED", "DELETED"])
        #expect(events[1][path: ["object", "data", "k"]] == "v")
        #expect(events[0][path: ["object", "kind"]] == "ConfigMap")
        let versions = events.compactMap { Int($0[path: ["object", "metadata", "resourceVersion"]]?.string ?? "") }
        #expect(versions == versions.sorted() && Set(versions).count == 3)
        await h.close()
    }

    @Test func watchWithoutVersionStartsWithAddedAndFiltersBySelector() async throws {
        let h = try await RegistryHarness()
        _ = await h.send(.create, resource: "pods", namespace: "default", body: RegistryHarness.pod("a", labels: ["app": "x"]))
        _ = await h.send(.create, resource: "pods", namespace: "default", body: RegistryHarness.pod("b"))
        let stream = try await h.watch(resource: "pods", namespace: "default", query: ["labelSelector": "app=x"])
        // b enters the selector (ADDED), then a leaves it (DELETED).
        _ = await h.send(.patch, resource: "pods", namespace: "default", name: "b",
                         body: ["metadata": ["labels": ["app": "x"]]], contentType: "application/merge-patch+json")
        _ = await h.send(.patch, resource: "pods", namespace: "default", name: "a",
                         body: ["metadata": ["labels": ["app": nil]]], contentType: "application/merge-patch+json")
        let events = try await RegistryHarness.next(3, from: stream)
        #expect(events.map { $0["type"]?.string ?? "" } == ["ADDED", "ADDED", "DELETED"])
        #expect(events.map { $0[path: ["object", "metadata", "name"]]?.string ?? "" } == ["a", "b", "a"])
        await h.close()
    }

    @Test func watchFromCompactedVersionIsExpired() async throws {
        let h = try await RegistryHarness()
        for index in 0..<3 {
            _ = await h.send(.create, resource: "configmaps", namespace: "default",
                             body: ["metadata": ["name": .string("c\(index)")]])
        }
        let current = try await h.store.currentRevision()
        try await h.store.compact(current)
        let stream = try await h.watch(resource: "configmaps", namespace: "default", query: ["resourceVersion": "1"])
        let events = try await RegistryHarness.next(1, from: stream)
        #expect(events.first?["type"] == "ERROR")
        #expect(events.first?[path: ["object", "code"]] == 410)
        #expect(events.first?[path: ["object", "reason"]] == "Expired")
        let list = await h.send(.list, resource: "configmaps", namespace: "default",
                                query: ["resourceVersion": "1", "resourceVersionMatch": "Exact"])
        #expect(list.code == 410)
        await h.close()
    }

    @Test func bookmarksAndTimeout() async throws {
        let h = try await RegistryHarness(bookmarkInterval: .milliseconds(50))
        let stream = try await h.watch(resource: "configmaps", namespace: "default",
                                       query: ["resourceVersion": "1", "allowWatchBookmarks": "true", "timeoutSeconds": "1"])
        let events = try await RegistryHarness.next(1, from: stream)
        #expect(events.first?["type"] == "BOOKMARK")
        #expect(events.first?[path: ["object", "kind"]] == "ConfigMap")
        // With timeoutSeconds=1 the stream ends by itself.
        var count = 0
        for try await _ in stream { count += 1 }
        #expect(count >= 0)
        await h.close()
    }
}
