import Foundation
import KubeAPI
import Testing
@testable import KubeClient

/// CRUD, errors, paging and subresources against a real in-process API server over HTTPS.
@Suite("REST client")
struct RESTClientTests {
    @Test func kubeconfigClientReachesTheServerWithItsCertificate() async throws {
        let cluster = try await TestCluster()
        let client = try RESTClient(kubeconfig: try cluster.writeKubeconfig(), component: "kubelet")
        let version = try await client.requestJSON(method: "GET", path: "/version")
        #expect(version["gitVersion"]?.string?.hasPrefix("v") == true)
        let review = try await client.requestJSON(
            method: "POST", path: "/apis/authentication.k8s.io/v1/selfsubjectreviews",
            body: ["apiVersion": "authentication.k8s.io/v1", "kind": "SelfSubjectReview"])
        #expect(review[path: ["status", "userInfo", "username"]]?.string == "kubernetes-admin")
        #expect(review[path: ["status", "userInfo", "groups"]]?.array?.contains("system:masters") == true)
        #expect(cluster.faults.seenUserAgents.allSatisfy { $0 == "kubeadm-swift/kubelet" })
        await client.shutdown()
        await cluster.stop()
    }

    @Test func createGetUpdateStatusPatchDelete() async throws {
        let cluster = try await TestCluster()
        let client = try cluster.client()
        let configMaps = try R.configMaps
        let created = try await client.create(configMaps, Fixture.configMap("app", data: ["a": "1"]))
        #expect(created.metadata.uid != nil && created.metadata.resourceVersion != nil)

        var fetched = try await client.get(configMaps, namespace: "default", name: "app")
        #expect(fetched["data"]?["a"] == "1")
        fetched["data"]?["b"] = "2"
        let updated = try await client.update(configMaps, fetched)
        #expect(updated["data"]?["b"] == "2")

        let merged = try await client.patch(configMaps, namespace: "default", name: "app", ["data": ["c": "3"]], type: .merge)
        #expect(merged["data"]?["c"] == "3" && merged["data"]?["a"] == "1")
        let jsonPatched = try await client.patch(configMaps, namespace: "default", name: "app",
                                                 [["op": "remove", "path": "/data/a"]], type: .json)
        #expect(jsonPatched["data"]?["a"] == nil)
        let strategic = try await client.patch(configMaps, namespace: "default", name: "app", ["data": ["d": "4"]])
        #expect(strategic["data"]?["d"] == "4")
        let applied = try await client.patch(
            configMaps, namespace: "default", name: "app",
            ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "app", "namespace": "default"], "data": ["e": "5"]],
            type: .apply, options: WriteOptions(fieldManager: "tests", force: true))
        #expect(applied["data"]?["e"] == "5")
        await #expect(throws: KubeClientError.self) {
            _ = try await client.patch(configMaps, namespace: "default", name: "app", [:], type: .apply)
        }

        // Status: a Node's status is written through the subresource only.
        let nodes = try R.nodes
        var node = try await client.create(nodes, ["apiVersion": "v1", "kind": "Node", "metadata": ["name": "n1"]])
        node[path: ["status", "phase"]] = "Running"
        let withStatus = try await client.updateStatus(nodes, node)
        #expect(withStatus[path: ["status", "phase"]] == "Running")
        let statusPatched = try await client.patch(nodes, name: "n1", ["status": ["phase": "Pending"]], type: .merge, subresource: "status")
        #expect(statusPatched[path: ["status", "phase"]] == "Pending")

        // Delete with preconditions: a wrong UID is a conflict, the right one deletes.
        let current = try await client.get(configMaps, namespace: "default", name: "app")
        let wrongUID = await #expect(throws: KubeClientError.self) {
            try await client.delete(configMaps, namespace: "default", name: "app", options: DeleteOptions(preconditionUID: "nope"))
        }
        #expect(wrongUID?.isConflict == true)
        try await client.delete(configMaps, namespace: "default", name: "app",
                                options: DeleteOptions(gracePeriodSeconds: 0, preconditionUID: current.metadata.uid,
                                                       preconditionResourceVersion: current.metadata.resourceVersion,
                                                       propagationPolicy: .background))
        let gone = await #expect(throws: KubeClientError.self) { try await client.get(configMaps, namespace: "default", name: "app") }
        #expect(gone?.isNotFound == true)
        await cluster.stop()
    }

    /// Each error check matches exactly its own Status reason.
    @Test func errorsMapToTheirChecks() async throws {
        let cluster = try await TestCluster()
        let client = try cluster.client()
        let configMaps = try R.configMaps
        let missing = await #expect(throws: KubeClientError.self) { try await client.get(configMaps, namespace: "default", name: "none") }
        #expect(missing?.isNotFound == true && missing?.isConflict == false && missing?.status?.code == 404)

        let first = try await client.create(configMaps, Fixture.configMap("dup"))
        let duplicate = await #expect(throws: KubeClientError.self) { try await client.create(configMaps, Fixture.configMap("dup")) }
        #expect(duplicate?.isAlreadyExists == true && duplicate?.isConflict == false && duplicate?.status?.code == 409)

        _ = try await client.patch(configMaps, namespace: "default", name: "dup", ["data": ["x": "y"]], type: .merge)
        let stale = await #expect(throws: KubeClientError.self) { try await client.update(configMaps, first) }
        #expect(stale?.isConflict == true && stale?.isAlreadyExists == false)

        let invalid = await #expect(throws: KubeClientError.self) {
            try await client.create(configMaps, Fixture.configMap("Not_Valid"))
        }
        #expect(invalid?.isInvalid == true && invalid?.status?.code == 422)

        let revision = try await cluster.store.currentRevision()
        try await cluster.store.compact(revision)
        let expired = await #expect(throws: KubeClientError.self) {
            try await client.list(configMaps, namespace: "default", options: ListOptions(resourceVersion: "1", resourceVersionMatch: "Exact"))
        }
        #expect(expired?.isGone == true)

        // Mistakes caught before sending.
        let noNamespace = await #expect(throws: KubeClientError.self) { try await client.get(configMaps, name: "dup") }
        #expect(noNamespace?.status == nil)
        await #expect(throws: KubeClientError.self) { try await client.get(R.nodes, namespace: "default", name: "n") }

        // The checks as a table, for Status values no server sent here.
        let table: [(APIStatus, KeyPath<KubeClientError, Bool>)] = [
            (APIStatus(code: 410, reason: "Expired", message: ""), \.isGone),
            (APIStatus(code: 410, reason: "Gone", message: ""), \.isGone),
            (APIStatus(code: 404, reason: "", message: ""), \.isNotFound),
            (APIStatus(code: 409, reason: "", message: ""), \.isConflict),
            (APIStatus(code: 403, reason: "Forbidden", message: ""), \.isForbidden),
            (APIStatus(code: 429, reason: "TooManyRequests", message: ""), \.isTooManyRequests),
        ]
        for (status, check) in table { #expect(KubeClientError.api(status)[keyPath: check], "\(status)") }
        #expect(!KubeClientError.api(APIStatus(code: 409, reason: "AlreadyExists", message: "")).isConflict)
        #expect(!KubeClientError.invalidRequest("x").isNotFound)
        await cluster.stop()
    }

    @Test func listPagingAndSelectors() async throws {
        let cluster = try await TestCluster()
        let client = try cluster.client()
        let configMaps = try R.configMaps
        for index in 0..<7 {
            _ = try await client.create(configMaps, Fixture.configMap("cm-\(index)", labels: ["tier": index % 2 == 0 ? "web" : "db"]))
        }
        let page = try await client.list(configMaps, namespace: "default", options: ListOptions(limit: 3))
        #expect(page.items.count == 3 && page.continueToken != nil && !page.resourceVersion.isEmpty)
        var names: [String] = []
        var options = ListOptions(limit: 3)
        repeat {
            let next = try await client.list(configMaps, namespace: "default", options: options)
            names += next.items.compactMap { $0.metadata.name }
            options.continueToken = next.continueToken
        } while options.continueToken != nil
        #expect(names.filter { $0.hasPrefix("cm-") } == (0..<7).map { "cm-\($0)" })

        let all = try await client.listAll(configMaps, namespace: "default", options: ListOptions(limit: 2))
        #expect(all.items.filter { $0.metadata.name?.hasPrefix("cm-") == true }.count == 7 && all.continueToken == nil)
        let web = try await client.list(configMaps, namespace: "default", options: ListOptions(labelSelector: "tier in (web)"))
        #expect(web.items.compactMap { $0.metadata.name } == ["cm-0", "cm-2", "cm-4", "cm-6"])
        let notWeb = try await client.list(configMaps, namespace: "default", options: ListOptions(labelSelector: "tier!=web,tier"))
        #expect(notWeb.items.count == 3)
        let byName = try await client.list(configMaps, options: ListOptions(fieldSelector: "metadata.name=cm-5"))
        #expect(byName.items.compactMap { $0.metadata.namespace } == ["default"])
        await cluster.stop()
    }

    @Test func subresourcePostBindsAPod() async throws {
        let cluster = try await TestCluster()
        let client = try cluster.client()
        let pods = try R.pods
        _ = try await client.create(pods, Fixture.pod("web"))
        let binding: JSONValue = ["apiVersion": "v1", "kind": "Binding", "metadata": ["name": "web"],
                                  "target": ["apiVersion": "v1", "kind": "Node", "name": "node-1"]]
        _ = try await client.create(pods, namespace: "default", name: "web", subresource: "binding", binding)
        let bound = try await client.get(pods, namespace: "default", name: "web")
        #expect(bound[path: ["spec", "nodeName"]] == "node-1")
        let again = await #expect(throws: KubeClientError.self) {
            try await client.create(pods, namespace: "default", name: "web", subresource: "binding", binding)
        }
        #expect(again?.isConflict == true)
        await cluster.stop()
    }

    @Test func typedModelsRoundTrip() async throws {
        let cluster = try await TestCluster()
        let client = try cluster.client()
        var configMap = CoreV1.ConfigMap()
        configMap.metadata = MetaV1.ObjectMeta(name: "typed", namespace: "default")
        configMap.data = ["k": "v"]
        let created = try await client.create(configMap)
        #expect(created.metadata?.uid != nil)
        let fetched = try await client.get(CoreV1.ConfigMap.self, namespace: "default", name: "typed")
        #expect(fetched.data?["k"] == "v")
        let listed = try await client.list(CoreV1.ConfigMap.self, namespace: "default")
        #expect(listed.contains { $0.metadata?.name == "typed" })
        await cluster.stop()
    }

    /// Requests reuse pooled keep-alive connections, concurrent ones stay within the limit, and a request that
    /// outlives its timeout fails without poisoning the pool.
    @Test func poolReuseAndTimeouts() async throws {
        let cluster = try await TestCluster()
        let client = try cluster.client(requestTimeout: .milliseconds(500), maxConnections: 2)
        for _ in 0..<5 { _ = try await client.requestJSON(method: "GET", path: "/version") }
        #expect(await client.pool.idleCount == 1)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<8 { group.addTask { _ = try await client.requestJSON(method: "GET", path: "/version") } }
            try await group.waitForAll()
        }
        #expect(await client.pool.idleCount <= 2)

        cluster.faults.stall("/api/v1/namespaces/default/configmaps/slow")
        let slow = await #expect(throws: KubeClientError.self) {
            try await client.get(R.configMaps, namespace: "default", name: "slow")
        }
        guard case .timedOut = slow else {
            Issue.record("expected a timeout, got \(String(describing: slow))")
            return
        }
        _ = try await client.requestJSON(method: "GET", path: "/version")
        await cluster.stop()
    }

    @Test func queryEncodingEscapesSelectors() {
        #expect(QueryEncoding.encode([("labelSelector", "app in (a,b),x!=y"), ("limit", "5")])
            == "?labelSelector=app%20in%20%28a%2Cb%29%2Cx%21%3Dy&limit=5")
        #expect(QueryEncoding.encode([]) == "")
    }

    @Test func resourcePaths() throws {
        #expect(try ResourcePath.make(R.pods, namespace: "kube-system", name: "etcd-cp", subresource: "status")
            == "/api/v1/namespaces/kube-system/pods/etcd-cp/status")
        #expect(try ResourcePath.make(R.pods, namespace: nil) == "/api/v1/pods")
        #expect(try ResourcePath.make(R.deployments, namespace: "default") == "/apis/apps/v1/namespaces/default/deployments")
        let clusterRoles = try R.info("rbac.authorization.k8s.io", "v1", "clusterroles")
        #expect(try ResourcePath.make(clusterRoles, namespace: nil, name: "system:node:w1")
            == "/apis/rbac.authorization.k8s.io/v1/clusterroles/system:node:w1")
        #expect(try ResourcePath.make(R.nodes, namespace: nil, name: "a/b?c") == "/api/v1/nodes/a%2Fb%3Fc")
        #expect(throws: KubeClientError.self) { try ResourcePath.make(R.pods, namespace: nil, name: "x") }
        #expect(throws: KubeClientError.self) { try ResourcePath.make(R.nodes, namespace: "default") }
        #expect(throws: KubeClientError.self) { try ResourcePath.make(R.nodes, namespace: nil, name: "") }
    }
}
