import KubeAPI
import Testing
@testable import APIServer

@Suite("Registry Job create rules")
struct RegistryJobTests {
    static func job(_ name: String, manualSelector: Bool? = nil, templateLabels: JSONValue? = nil) -> JSONValue {
        var job: JSONValue = ["apiVersion": "batch/v1", "kind": "Job", "metadata": ["name": .string(name)],
                              "spec": ["template": ["spec": ["restartPolicy": "Never", "containers": [["name": "c", "image": "busybox"]]]]]]
        if let manualSelector { job[path: ["spec", "manualSelector"]] = .bool(manualSelector) }
        if let templateLabels { job[path: ["spec", "template", "metadata", "labels"]] = templateLabels }
        return job
    }

    @Test func theServerSelectsAJobsPodsByItsUid() async throws {
        let h = try await RegistryHarness()
        let created = await h.send(.create, "batch", "v1", "jobs", namespace: "default", body: Self.job("pi"))
        #expect(created.code == 201)
        let uid = try #require(created.body.metadata.uid)
        let expected: JSONValue = ["batch.kubernetes.io/controller-uid": .string(uid), "batch.kubernetes.io/job-name": "pi",
                                   "controller-uid": .string(uid), "job-name": "pi"]
        #expect(created.body[path: ["spec", "template", "metadata", "labels"]] == expected)
        #expect(created.body[path: ["spec", "selector"]] == ["matchLabels": ["batch.kubernetes.io/controller-uid": .string(uid)]])
        #expect(created.body[path: ["metadata", "labels"]] == expected, "a Job without labels takes its template's")
        #expect(created.body[path: ["spec", "manualSelector"]] == false)

        // Labels the client chose stay; the generated ones are added beside them.
        let labelled = await h.send(.create, "batch", "v1", "jobs", namespace: "default",
                                    body: Self.job("labelled", templateLabels: ["app": "batch"]))
        #expect(labelled.body[path: ["spec", "template", "metadata", "labels", "app"]] == "batch")
        #expect(labelled.body[path: ["spec", "template", "metadata", "labels", "job-name"]] == "labelled")
        #expect(labelled.body[path: ["metadata", "labels"]] == ["app": "batch"])
        await h.close()
    }

    @Test func aManualSelectorIsLeftAlone() async throws {
        let h = try await RegistryHarness()
        var body = Self.job("manual", manualSelector: true, templateLabels: ["app": "x"])
        body[path: ["spec", "selector"]] = ["matchLabels": ["app": "x"]]
        let created = await h.send(.create, "batch", "v1", "jobs", namespace: "default", body: body)
        #expect(created.code == 201)
        #expect(created.body[path: ["spec", "selector"]] == ["matchLabels": ["app": "x"]])
        #expect(created.body[path: ["spec", "template", "metadata", "labels"]] == ["app": "x"])
        await h.close()
    }
}
