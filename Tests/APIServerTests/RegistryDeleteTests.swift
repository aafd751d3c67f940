import KubeAPI
import Testing
@testable import APIServer

@Suite("Registry delete, finalizers, graceful deletion, namespaces")
struct RegistryDeleteTests {
    @Test func plainDeleteReturnsStatusOrObject() async throws {
        let h = try await RegistryHarness()
        _ = await h.send(.create, "apps", "v1", "deployments", namespace: "default", body: RegistryHarness.deployment("d"))
        let deleted = await h.send(.delete, "apps", "v1", "deployments", namespace: "default", name: "d")
        #expect(deleted.code == 200)
        #expect(deleted.body["status"] == "Success")
        #expect(deleted.body[path: ["details", "name"]] == "d")
        let again = await h.send(.delete, "apps", "v1", "deployments", namespace: "default", name: "d")
        #expect(again.code == 404)
        _ = await h.send(.create, resource: "pods", namespace: "default", body: RegistryHarness.pod("unbound"))
        let pod = await h.send(.delete, resource: "pods", namespace: "default", name: "unbound")
        #expect(pod.code == 200 && pod.body.kind == "Pod")  // unscheduled: removed at once
        #expect(await h.send(.get, resource: "pods", namespace: "default", name: "unbound").code == 404)
        await h.close()
    }

    @Test func finalizersKeepTheObjectUntilRemoved() async throws {
        let h = try await RegistryHarness()
        var body = RegistryHarness.deployment("f")
        body.metadata.finalizers = ["example.com/hold"]
        _ = await h.send(.create, "apps", "v1", "deployments", namespace: "default", body: body)
        let deleting = await h.send(.delete, "apps", "v1", "deployments", namespace: "default", name: "f")
        #expect(deleting.code == 200)
        #expect(deleting.body.metadata.deletionTimestamp != nil)
        #expect(deleting.body.metadata.deletionGracePeriodSeconds == 0)
        #expect(await h.send(.get, "apps", "v1", "deployments", namespace: "default", name: "f").code == 200)
        let released = await h.send(.patch, "apps", "v1", "deployments", namespace: "default", name: "f",
                                    body: ["metadata": ["finalizers": nil]], contentType: "application/merge-patch+json")
        #expect(released.code == 200)
        #expect(await h.send(.get, "apps", "v1", "deployments", namespace: "default", name: "f").code == 404)
        await h.close()
    }

    @Test func boundPodIsDeletedGracefully() async throws {
        let h = try await RegistryHarness()
        _ = await h.send(.create, resource: "pods", namespace: "default", body: RegistryHarness.pod("p", nodeName: "n1"))
        let first = await h.send(.delete, resource: "pods", namespace: "default", name: "p")
        #expect(first.code == 200)
        #expect(first.body.metadata.deletionGracePeriodSeconds == 30)
        #expect(first.body.metadata.deletionTimestamp != nil)
        #expect(await h.send(.get, resource: "pods", namespace: "default", name: "p").code == 200)
        let uid = first.body.metadata.uid ?? ""
        let stale = await h.send(.delete, resource: "pods", namespace: "default", name: "p",
                                 body: ["gracePeriodSeconds": 0, "preconditions": ["uid": "other"]])
        #expect(stale.code == 409)
        let final = await h.send(.delete, resource: "pods", namespace: "default", name: "p",
                                 query: ["gracePeriodSeconds": "0"], body: ["preconditions": ["uid": .string(uid)]])
        #expect(final.code == 200)
        #expect(await h.send(.get, resource: "pods", namespace: "default", name: "p").code == 404)
        await h.close()
    }

    @Test func namespaceDeletionTerminatesAndBlocksCreates() async throws {
        let h = try await RegistryHarness()
        _ = await h.send(.create, resource: "namespaces", body: ["metadata": ["name": "tmp"]])
        let deleting = await h.send(.delete, resource: "namespaces", name: "tmp")
        #expect(deleting.code == 200)
        #expect(deleting.body[path: ["status", "phase"]] == "Terminating")
        let blocked = await h.send(.create, resource: "configmaps", namespace: "tmp", body: ["metadata": ["name": "c"]])
        #expect(blocked.code == 403)
        let message = blocked.body["message"]?.string ?? ""
        #expect(message.contains("because it is being terminated"))
        var finalize = deleting.body
        finalize[path: ["spec", "finalizers"]] = []
        let done = await h.send(.update, resource: "namespaces", name: "tmp", subresource: "finalize", body: finalize)
        #expect(done.code == 200)
        #expect(await h.send(.get, resource: "namespaces", name: "tmp").code == 404)
        await h.close()
    }

    @Test func deleteCollectionWithSelector() async throws {
        let h = try await RegistryHarness()
        for (name, tier) in [("a", "fe"), ("b", "fe"), ("c", "be")] {
            _ = await h.send(.create, resource: "configmaps", namespace: "default",
                             body: ["metadata": ["name": .string(name), "labels": ["tier": .string(tier)]]])
        }
        let result = await h.send(.deletecollection, resource: "configmaps", namespace: "default",
                                  query: ["labelSelector": "tier=fe"])
        #expect(result.code == 200)
        #expect(result.body["items"]?.array?.count == 2)
        let left = await h.send(.list, resource: "configmaps", namespace: "default")
        #expect((left.body["items"]?.array ?? []).compactMap { $0.metadata.name } == ["c"])
        await h.close()
    }
}
