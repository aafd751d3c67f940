import KubeAPI
import Testing
@testable import APIServer

@Suite("Registry edge cases clients rely on")
struct RegistryEdgeTests {
    @Test func putCreatesLeasesButNotConfigMaps() async throws {
        let h = try await RegistryHarness()
        let lease: JSONValue = ["metadata": ["name": "n1"], "spec": ["holderIdentity": "n1"]]
        let created = await h.send(.update, "coordination.k8s.io", "v1", "leases", namespace: "kube-node-lease",
                                   name: "n1", body: lease)
        #expect(created.code == 201)
        let configMap = await h.send(.update, resource: "configmaps", namespace: "default", name: "c",
                                     body: ["metadata": ["name": "c"]])
        #expect(configMap.code == 404)
        await h.close()
    }

    @Test func pythonStyleTimestampsSurviveUpdate() async throws {
        let h = try await RegistryHarness()
        let created = await h.send(.create, resource: "configmaps", namespace: "default", body: ["metadata": ["name": "c"]])
        var body = created.body
        let stamp = body.metadata.fields["creationTimestamp"]?.string ?? ""
        body.metadata.fields["creationTimestamp"] = .string(stamp.replacingOccurrences(of: "Z", with: "+00:00"))
        body["data"] = ["k": "v"]
        let updated = await h.send(.update, resource: "configmaps", namespace: "default", name: "c", body: body)
        #expect(updated.code == 200)
        #expect(updated.body.metadata.fields["creationTimestamp"]?.string == stamp)
        await h.close()
    }

    @Test func unknownSubresourceAndReviewKinds() async throws {
        let h = try await RegistryHarness()
        _ = await h.send(.create, resource: "configmaps", namespace: "default", body: ["metadata": ["name": "c"]])
        let status = await h.send(.get, resource: "configmaps", namespace: "default", name: "c", subresource: "status")
        #expect(status.code == 404)
        let review = await h.send(.create, "authentication.k8s.io", "v1", "tokenreviews", body: ["spec": ["token": "x"]])
        #expect(review.code == 405)
        let unknown = await h.send(.list, resource: "widgets")
        #expect(unknown.code == 404)
        await h.close()
    }

    @Test func singleObjectWatchSeesOnlyThatObject() async throws {
        let h = try await RegistryHarness()
        _ = await h.send(.create, resource: "configmaps", namespace: "default", body: ["metadata": ["name": "a"]])
        _ = await h.send(.create, resource: "configmaps", namespace: "default", body: ["metadata": ["name": "b"]])
        let stream = try await h.watch(resource: "configmaps", namespace: "default",
                                       query: ["fieldSelector": "metadata.name=b"])
        _ = await h.send(.delete, resource: "configmaps", namespace: "default", name: "a")
        _ = await h.send(.delete, resource: "configmaps", namespace: "default", name: "b")
        let events = try await RegistryHarness.next(2, from: stream)
        #expect(events.map { $0["type"]?.string ?? "" } == ["ADDED", "DELETED"])
        #expect(events.allSatisfy { $0[path: ["object", "metadata", "name"]] == "b" })
        await h.close()
    }
}

@Suite("Registry concurrent writers")
struct RegistryConcurrencyTests {
    /// Patches race on the same object; each retries against the newest version, so none is lost.
    @Test func concurrentPatchesAreAllApplied() async throws {
        let h = try await RegistryHarness()
        _ = await h.send(.create, resource: "configmaps", namespace: "default", body: ["metadata": ["name": "c"]])
        await withTaskGroup(of: Void.self) { group in
            for index in 0..<6 {
                group.addTask {
                    _ = await h.send(.patch, resource: "configmaps", namespace: "default", name: "c",
                                     body: ["data": .object(["k\(index)": "v"])],
                                     contentType: "application/merge-patch+json")
                }
            }
        }
        let final = await h.send(.get, resource: "configmaps", namespace: "default", name: "c")
        #expect(final.body["data"]?.object?.count == 6)
        await h.close()
    }
}

@Suite("Registry verb table")
struct RegistryVerbTests {
    @Test func verbsFollowTheResourceTable() async throws {
        let h = try await RegistryHarness()
        let namespaces = await h.send(.deletecollection, resource: "namespaces")
        #expect(namespaces.code == 405)
        #expect(namespaces.body["reason"] == "MethodNotAllowed")
        let finalizePatch = await h.send(.patch, resource: "namespaces", name: "default", subresource: "finalize",
                                         body: ["spec": [:]], contentType: "application/merge-patch+json")
        #expect(finalizePatch.code == 405)
        await h.close()
    }
}
