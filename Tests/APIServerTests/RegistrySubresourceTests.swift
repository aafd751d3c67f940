import KubeAPI
import Testing
@testable import APIServer

/// The scale and binding subresources, and `fieldValidation`.
@Suite("Registry subresources and field validation")
struct RegistrySubresourceTests {
    static func deployment(_ name: String, replicas: Int64 = 1) -> JSONValue {
        ["apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": .string(name)],
         "spec": ["replicas": .integer(replicas), "selector": ["matchLabels": ["app": .string(name)]],
                  "template": ["metadata": ["labels": ["app": .string(name)]],
                               "spec": ["containers": [["name": "c", "image": "busybox"]]]]]]
    }

    @Test func scaleReadsAndWritesTheParentsReplicas() async throws {
        let h = try await RegistryHarness()
        defer { Task { await h.close() } }
        #expect(await h.send(.create, "apps", "v1", "deployments", namespace: "default", body: Self.deployment("web")).code == 201)
        let scale = await h.send(.get, "apps", "v1", "deployments", namespace: "default", name: "web", subresource: "scale")
        #expect(scale.code == 200)
        #expect(scale.body["kind"]?.string == "Scale")
        #expect(scale.body[path: ["status", "selector"]]?.string == "app=web")
        let patched = await h.send(.patch, "apps", "v1", "deployments", namespace: "default", name: "web", subresource: "scale",
                                   body: ["spec": ["replicas": 4]], contentType: "application/merge-patch+json")
        #expect(patched.code == 200)
        #expect(patched.body[path: ["spec", "replicas"]]?.int64 == 4)
        let parent = await h.send(.get, "apps", "v1", "deployments", namespace: "default", name: "web")
        #expect(parent.body[path: ["spec", "replicas"]]?.int64 == 4)
        #expect(parent.body.metadata.generation == 2)
        let negative = await h.send(.update, "apps", "v1", "deployments", namespace: "default", name: "web", subresource: "scale",
                                    body: ["apiVersion": "autoscaling/v1", "kind": "Scale", "metadata": ["name": "web"], "spec": ["replicas": -1]])
        #expect(negative.code == 422)
        let stale = await h.send(.update, "apps", "v1", "deployments", namespace: "default", name: "web", subresource: "scale",
                                 body: ["apiVersion": "autoscaling/v1", "kind": "Scale",
                                        "metadata": ["name": "web", "resourceVersion": "1"], "spec": ["replicas": 2]])
        #expect(stale.code == 409)
    }

    @Test func bindingAssignsANodeOnce() async throws {
        let h = try await RegistryHarness()
        defer { Task { await h.close() } }
        let pod: JSONValue = ["metadata": ["name": "p"], "spec": ["containers": [["name": "c", "image": "busybox"]]]]
        #expect(await h.send(.create, resource: "pods", namespace: "default", body: pod).code == 201)
        let binding: JSONValue = ["apiVersion": "v1", "kind": "Binding", "metadata": ["name": "p"],
                                  "target": ["apiVersion": "v1", "kind": "Node", "name": "node1"]]
        let bind = await h.send(.create, resource: "pods", namespace: "default", name: "p", subresource: "binding", body: binding)
        #expect(bind.code == 201, "\(bind.body)")
        let bound = await h.send(.get, resource: "pods", namespace: "default", name: "p")
        #expect(bound.body[path: ["spec", "nodeName"]]?.string == "node1")
        #expect(bound.body[path: ["status", "conditions"]]?.array?.first?["type"]?.string == "PodScheduled")
        let again = await h.send(.create, resource: "pods", namespace: "default", name: "p", subresource: "binding", body: binding)
        #expect(again.code == 409)
    }

    @Test func fieldValidationStrictWarnIgnore() async throws {
        let h = try await RegistryHarness()
        defer { Task { await h.close() } }
        func configMap(_ name: String) -> JSONValue {
            ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": .string(name), "bogus": 1], "data": ["a": "b"], "extra": true]
        }
        let strict = await h.send(.create, resource: "configmaps", namespace: "default", query: ["fieldValidation": "Strict"], body: configMap("s"))
        #expect(strict.code == 400)
        #expect(strict.body["message"]?.string == "strict decoding error: unknown field \"metadata.bogus\", unknown field \"extra\"")
        let request = APIRequest(verb: .create, group: "", version: "v1", resource: "configmaps", namespace: "default",
                                 body: configMap("w").jsonBytes, contentType: "application/json", user: .anonymous)
        guard case .object(let code, let body, let headers) = await h.registry.handle(request) else {
            Issue.record("not an object response")
            return
        }
        #expect(code == 201)
        #expect(body["extra"] == nil && body.metadata.fields["bogus"] == nil)
        #expect(headers.map(\.1) == ["299 - \"unknown field \\\"metadata.bogus\\\"\"", "299 - \"unknown field \\\"extra\\\"\""])
        let ignored = await h.send(.create, resource: "configmaps", namespace: "default", query: ["fieldValidation": "Ignore"], body: configMap("i"))
        #expect(ignored.code == 201)
        #expect(await h.send(.create, resource: "configmaps", namespace: "default", query: ["fieldValidation": "Loose"], body: configMap("x")).code == 400)
    }

    @Test func unknownFieldsAreFoundInListsAndMaps() {
        var pod: JSONValue = ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": "p", "labels": ["a": "b"]],
                              "spec": ["containers": [["name": "c", "image": "i", "nope": 1]], "nodeSelector": ["k": "v"]]]
        let found = UnknownFields.prune(&pod, type: "io.k8s.api.core.v1.Pod")
        #expect(found == ["spec.containers[0].nope"])
        #expect(pod[path: ["spec", "nodeSelector", "k"]]?.string == "v")
    }
}

@Suite("Registry secrets")
struct RegistrySecretTests {
    @Test func stringDataIsMergedIntoData() async throws {
        let h = try await RegistryHarness()
        defer { Task { await h.close() } }
        let secret: JSONValue = ["metadata": ["name": "s"], "data": ["a": "eA==", "b": "eQ=="], "stringData": ["b": "hello"]]
        let created = await h.send(.create, resource: "secrets", namespace: "default", body: secret)
        #expect(created.code == 201)
        #expect(created.body["stringData"] == nil)
        #expect(created.body[path: ["data", "a"]]?.string == "eA==")
        #expect(created.body[path: ["data", "b"]]?.string == "aGVsbG8=")
    }
}

@Suite("events.k8s.io and core events are one resource")
struct RegistryEventsTests {
    @Test func bothAPIsSeeTheSameEvents() async throws {
        let h = try await RegistryHarness()
        defer { Task { await h.close() } }
        let modern: JSONValue = ["apiVersion": "events.k8s.io/v1", "kind": "Event", "metadata": ["name": "e1"],
                                 "eventTime": "2026-11-26T10:00:00.000000Z", "reportingController": "kubeadm-swift/test",
                                 "reportingInstance": "i", "action": "Testing", "reason": "Tested", "type": "Normal", "note": "hello",
                                 "regarding": ["kind": "Pod", "name": "p", "namespace": "default"]]
        let created = await h.send(.create, "events.k8s.io", "v1", "events", namespace: "default", body: modern)
        #expect(created.code == 201, "\(created.body)")
        #expect(created.body["note"]?.string == "hello" && created.body["apiVersion"]?.string == "events.k8s.io/v1")
        let core = await h.send(.get, resource: "events", namespace: "default", name: "e1")
        #expect(core.body["message"]?.string == "hello")
        #expect(core.body[path: ["involvedObject", "name"]]?.string == "p")
        #expect(core.body["reportingComponent"]?.string == "kubeadm-swift/test")
        let legacy: JSONValue = ["metadata": ["name": "e2"], "message": "from core", "reason": "Old", "type": "Warning",
                                 "involvedObject": ["kind": "Node", "name": "n1"]]
        #expect(await h.send(.create, resource: "events", namespace: "default", body: legacy).code == 201)
        let list = await h.send(.list, "events.k8s.io", "v1", "events", namespace: "default")
        #expect(list.body["apiVersion"]?.string == "events.k8s.io/v1")
        #expect(Set((list.body["items"]?.array ?? []).compactMap { $0["note"]?.string }) == ["hello", "from core"])
        let selected = await h.send(.list, "events.k8s.io", "v1", "events", namespace: "default", query: ["fieldSelector": "regarding.name=n1"])
        #expect((selected.body["items"]?.array ?? []).compactMap { $0.metadata.name } == ["e2"])
        let patched = await h.send(.patch, "events.k8s.io", "v1", "events", namespace: "default", name: "e1", body: ["note": "changed"],
                                   contentType: "application/merge-patch+json")
        #expect(patched.body["note"]?.string == "changed")
        #expect(await h.send(.get, resource: "events", namespace: "default", name: "e1").body["message"]?.string == "changed")
    }
}

@Suite("autoscaling/v1 HPAs are the stored v2 objects")
struct RegistryAutoscalingV1Tests {
    @Test func v1SeesTheCPUTargetOfTheV2Object() async throws {
        let h = try await RegistryHarness()
        defer { Task { await h.close() } }
        // What `kubectl autoscale deployment web --min=1 --max=3 --cpu-percent=50` sends.
        let v1: JSONValue = ["apiVersion": "autoscaling/v1", "kind": "HorizontalPodAutoscaler", "metadata": ["name": "web"],
                             "spec": ["scaleTargetRef": ["apiVersion": "apps/v1", "kind": "Deployment", "name": "web"],
                                      "minReplicas": 1, "maxReplicas": 3, "targetCPUUtilizationPercentage": 50]]
        let created = await h.send(.create, "autoscaling", "v1", "horizontalpodautoscalers", namespace: "default", body: v1)
        #expect(created.code == 201, "\(created.body)")
        #expect(created.body["apiVersion"] == "autoscaling/v1" && created.body[path: ["spec", "targetCPUUtilizationPercentage"]] == 50)
        #expect(created.body[path: ["spec", "metrics"]] == nil)
        let v2 = await h.send(.get, "autoscaling", "v2", "horizontalpodautoscalers", namespace: "default", name: "web")
        #expect(v2.body[path: ["spec", "metrics"]] == [["type": "Resource", "resource": ["name": "cpu", "target": ["type": "Utilization", "averageUtilization": 50]]]])

        let patched = await h.send(.patch, "autoscaling", "v1", "horizontalpodautoscalers", namespace: "default", name: "web",
                                   body: ["spec": ["targetCPUUtilizationPercentage": 70]], contentType: "application/merge-patch+json")
        #expect(patched.body[path: ["spec", "targetCPUUtilizationPercentage"]] == 70, "\(patched.body)")
        let list = await h.send(.list, "autoscaling", "v1", "horizontalpodautoscalers", namespace: "default")
        #expect(list.body["apiVersion"] == "autoscaling/v1")
        #expect(list.body[path: ["items"]]?.array?.first?[path: ["spec", "targetCPUUtilizationPercentage"]] == 70)
        let jsonPatch = await h.send(.patch, "autoscaling", "v1", "horizontalpodautoscalers", namespace: "default", name: "web",
                                     body: [["op": "replace", "path": "/spec/maxReplicas", "value": 4]], contentType: "application/json-patch+json")
        #expect(jsonPatch.code == 415)
    }
}

@Suite("server-side apply bodies")
struct RegistryApplyYAMLTests {
    @Test func yamlApplyConfigurationsCreateAndUpdate() async throws {
        let h = try await RegistryHarness()
        defer { Task { await h.close() } }
        let yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: y\ndata:\n  a: \"1\"\n"
        let request = APIRequest(verb: .patch, group: "", version: "v1", resource: "configmaps", namespace: "default", name: "y",
                                 query: ["fieldManager": "test"], body: Array(yaml.utf8), contentType: "application/apply-patch+yaml",
                                 user: .anonymous)
        guard case .object(let code, let body, _) = await h.registry.handle(request) else { Issue.record("no object"); return }
        #expect(code == 201)
        #expect(body[path: ["data", "a"]]?.string == "1")
        var bad = request
        bad.body = Array("a: [\n".utf8)
        guard case .object(let badCode, _, _) = await h.registry.handle(bad) else { return }
        #expect(badCode == 400)
    }
}
