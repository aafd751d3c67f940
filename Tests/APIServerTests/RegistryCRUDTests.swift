import KubeAPI
import Testing
@testable import APIServer

@Suite("Registry create, get, update, patch")
struct RegistryCRUDTests {
    @Test func createGetAndAlreadyExists() async throws {
        let h = try await RegistryHarness()
        let created = await h.send(.create, resource: "pods", namespace: "default", body: RegistryHarness.pod("web"))
        #expect(created.code == 201)
        #expect(created.body.metadata.uid?.count == 36)
        #expect(created.body.metadata.creationTimestamp != nil)
        #expect(created.body.metadata.namespace == "default")
        #expect(created.body[path: ["status", "phase"]] == "Pending")
        let version = try #require(created.body.metadata.resourceVersion)
        let got = await h.send(.get, resource: "pods", namespace: "default", name: "web")
        #expect(got.code == 200)
        #expect(got.body.metadata.resourceVersion == version)
        let again = await h.send(.create, resource: "pods", namespace: "default", body: RegistryHarness.pod("web"))
        #expect(again.code == 409)
        #expect(again.body["reason"] == "AlreadyExists")
        #expect(again.body["message"] == "pods \"web\" already exists")
        await h.close()
    }

    @Test func notFoundAndNamespaceRules() async throws {
        let h = try await RegistryHarness()
        let missing = await h.send(.get, "apps", "v1", "deployments", namespace: "default", name: "x")
        #expect(missing.code == 404)
        #expect(missing.body["message"] == "deployments.apps \"x\" not found")
        #expect(missing.body[path: ["details", "group"]] == "apps")
        #expect(missing.body[path: ["details", "kind"]] == "deployments")
        let noNamespace = await h.send(.create, resource: "pods", namespace: "nope", body: RegistryHarness.pod("a"))
        #expect(noNamespace.code == 404)
        #expect(noNamespace.body["message"] == "namespaces \"nope\" not found")
        var wrongNamespace = RegistryHarness.pod("a")
        wrongNamespace.metadata.namespace = "kube-system"
        let mismatch = await h.send(.create, resource: "pods", namespace: "default", body: wrongNamespace)
        #expect(mismatch.code == 400)
        var wrongVersion = RegistryHarness.deployment("d")
        wrongVersion["apiVersion"] = "apps/v1beta1"
        let badVersion = await h.send(.create, "apps", "v1", "deployments", namespace: "default", body: wrongVersion)
        #expect(badVersion.code == 400)
        #expect(badVersion.body["message"]
            == "the API version in the data (apps/v1beta1) does not match the expected API version (apps/v1)")
        await h.close()
    }

    @Test func inferredTypeGenerateNameAndDryRun() async throws {
        let h = try await RegistryHarness()
        var body = RegistryHarness.pod("")
        body["apiVersion"] = nil
        body["kind"] = nil
        body.metadata.name = nil
        body.metadata.generateName = "web-"
        let created = await h.send(.create, resource: "pods", namespace: "default", body: body)
        #expect(created.code == 201)
        let name = try #require(created.body.metadata.name)
        #expect(name.hasPrefix("web-") && name.count == 9)
        #expect(created.body.kind == "Pod")
        let dry = await h.send(.create, "apps", "v1", "deployments", namespace: "default", query: ["dryRun": "All"],
                               body: RegistryHarness.deployment("dry"))
        #expect(dry.code == 201)
        #expect(dry.body[path: ["spec", "strategy", "type"]] != nil)  // defaulted
        let absent = await h.send(.get, "apps", "v1", "deployments", namespace: "default", name: "dry")
        #expect(absent.code == 404)
        await h.close()
    }

    @Test func invalidObjectIs422WithCauses() async throws {
        let h = try await RegistryHarness()
        var bad = RegistryHarness.deployment("x", replicas: -1)
        bad[path: ["spec", "template", "spec", "containers"]] = [["name": "c"]]
        let result = await h.send(.create, "apps", "v1", "deployments", namespace: "default", body: bad)
        #expect(result.code == 422)
        #expect(result.body["reason"] == "Invalid")
        let message = result.body["message"]?.string ?? ""
        #expect(message.hasPrefix("Deployment.apps \"x\" is invalid: "))
        let causes = result.body[path: ["details", "causes"]]?.array ?? []
        #expect(causes.contains { $0["field"] == "spec.replicas" })
        #expect(causes.allSatisfy { $0["reason"]?.string?.hasPrefix("FieldValue") == true })
        await h.close()
    }

    @Test func updateConflictGenerationAndStatusSplit() async throws {
        let h = try await RegistryHarness()
        let created = await h.send(.create, "apps", "v1", "deployments", namespace: "default",
                                   body: RegistryHarness.deployment("d"))
        #expect(created.body.metadata.generation == 1)
        var changed = created.body
        changed[path: ["spec", "replicas"]] = 3
        changed["status"] = ["replicas": 99]
        let updated = await h.send(.update, "apps", "v1", "deployments", namespace: "default", name: "d", body: changed)
        #expect(updated.code == 200)
        #expect(updated.body.metadata.generation == 2)
        #expect(updated.body[path: ["status", "replicas"]] == nil)  // status ignored on the main resource
        #expect(updated.body.metadata.uid == created.body.metadata.uid)
        // The same stale body again: 409 with upstream's text.
        let stale = await h.send(.update, "apps", "v1", "deployments", namespace: "default", name: "d", body: changed)
        #expect(stale.code == 409)
        #expect(stale.body["message"] == "Operation cannot be fulfilled on deployments.apps \"d\": the object has been modified; please apply your changes to the latest version and try again")
        // /status changes only status and leaves generation alone.
        var status = updated.body
        status["status"] = ["observedGeneration": 2, "replicas": 3]
        status[path: ["spec", "replicas"]] = 7
        let statusResult = await h.send(.update, "apps", "v1", "deployments", namespace: "default", name: "d",
                                        subresource: "status", body: status)
        #expect(statusResult.code == 200)
        #expect(statusResult.body[path: ["status", "replicas"]] == 3)
        #expect(statusResult.body[path: ["spec", "replicas"]] == 3)
        #expect(statusResult.body.metadata.generation == 2)
        // An empty resourceVersion updates unconditionally.
        var unconditional = statusResult.body
        unconditional.metadata.resourceVersion = nil
        unconditional.metadata.labels = ["x": "y"]
        let forced = await h.send(.update, "apps", "v1", "deployments", namespace: "default", name: "d", body: unconditional)
        #expect(forced.code == 200)
        #expect(forced.body.metadata.generation == 2)
        let missing = await h.send(.update, "apps", "v1", "deployments", namespace: "default", name: "zz",
                                   body: RegistryHarness.deployment("zz"))
        #expect(missing.code == 404)
        await h.close()
    }

    @Test func allFourPatchTypes() async throws {
        let h = try await RegistryHarness()
        _ = await h.send(.create, "apps", "v1", "deployments", namespace: "default", body: RegistryHarness.deployment("d"))
        func patch(_ body: JSONValue, _ type: String, query: [String: String] = [:]) async -> (code: Int, body: JSONValue) {
            await h.send(.patch, "apps", "v1", "deployments", namespace: "default", name: "d", query: query, body: body,
                         contentType: type)
        }
        let merge = await patch(["metadata": ["labels": ["tier": "fe"]]], "application/merge-patch+json")
        #expect(merge.code == 200)
        #expect(merge.body.metadata.labels["tier"] == "fe")
        #expect(merge.body.metadata.generation == 1)
        let json = await patch([["op": "replace", "path": "/spec/replicas", "value": 4]], "application/json-patch+json")
        #expect(json.body[path: ["spec", "replicas"]] == 4)
        #expect(json.body.metadata.generation == 2)
        let smp = await patch(["spec": ["template": ["spec": ["containers": [["name": "c", "image": "nginx:2"]]]]]],
                              "application/strategic-merge-patch+json")
        #expect(smp.code == 200)
        let containers = smp.body[path: ["spec", "template", "spec", "containers"]]?.array ?? []
        #expect(containers.count == 1 && containers.first?["image"] == "nginx:2")
        let apply = await patch(["apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "d"],
                                 "spec": ["replicas": 2]], "application/apply-patch+yaml", query: ["fieldManager": "t"])
        #expect(apply.code == 200)
        #expect(apply.body[path: ["spec", "replicas"]] == 2)
        let unsupported = await patch(["spec": [:]], "text/plain")
        #expect(unsupported.code == 415)
        let failedTest = await patch([["op": "test", "path": "/spec/replicas", "value": 9]], "application/json-patch+json")
        #expect(failedTest.code == 422)
        let stale = await patch(["metadata": ["resourceVersion": "1"]], "application/merge-patch+json")
        #expect(stale.code == 409)
        let missing = await h.send(.patch, "apps", "v1", "deployments", namespace: "default", name: "nope",
                                   body: ["spec": [:]], contentType: "application/merge-patch+json")
        #expect(missing.code == 404)
        var applyCreate = RegistryHarness.deployment("new")
        applyCreate.metadata.name = "new"
        let created = await h.send(.patch, "apps", "v1", "deployments", namespace: "default", name: "new",
                                   query: ["fieldManager": "t"], body: applyCreate, contentType: "application/apply-patch+yaml")
        #expect(created.code == 201)
        await h.close()
    }

    @Test func podPatchAndBuiltins() async throws {
        let h = try await RegistryHarness()
        _ = await h.send(.create, resource: "pods", namespace: "default", body: RegistryHarness.pod("p"))
        let patched = await h.send(.patch, resource: "pods", namespace: "default", name: "p",
                                   body: ["metadata": ["annotations": ["a": "b"]]],
                                   contentType: "application/strategic-merge-patch+json")
        #expect(patched.body.metadata.annotations["a"] == "b")
        let statusPatch = await h.send(.patch, resource: "pods", namespace: "default", name: "p", subresource: "status",
                                       body: ["status": ["phase": "Running"]], contentType: "application/merge-patch+json")
        #expect(statusPatch.body[path: ["status", "phase"]] == "Running")
        let namespaces = await h.send(.list, resource: "namespaces")
        let names = (namespaces.body["items"]?.array ?? []).compactMap { $0.metadata.name }
        #expect(Set(names) == ["default", "kube-system", "kube-public", "kube-node-lease"])
        let critical = await h.send(.get, "scheduling.k8s.io", "v1", "priorityclasses", name: "system-node-critical")
        #expect(critical.body["value"] == 2_000_001_000)
        try await h.registry.bootstrap()  // idempotent
        await h.close()
    }
}
