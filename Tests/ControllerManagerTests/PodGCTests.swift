import KubeAPI
import Testing
@testable import ControllerManager

struct PodGCTests {
    let now = Fixtures.now

    @Test func terminatedPodsAboveTheThresholdGoEvictedThenOldestFirst() {
        var evicted = Fixtures.pod("evicted", phase: "Failed", createdAgo: 10)
        evicted[path: ["status", "reason"]] = "Evicted"
        let pods = [Fixtures.pod("new-done", phase: "Succeeded", createdAgo: 100), Fixtures.pod("old-done", phase: "Succeeded", createdAgo: 900),
                    evicted, Fixtures.pod("running", phase: "Running")]
        let actions = PodGarbageCollection(terminatedPodThreshold: 1).plan(pods: pods, nodes: [Fixtures.node("n1")], deletedNodes: [], now: now)
        #expect(Fixtures.deletedNames(actions) == ["evicted", "old-done"])
        #expect(actions.allSatisfy { if case .delete(_, _, let grace) = $0 { grace == 0 } else { false } })
    }

    @Test func podsOfDeletedNodesAreFailedThenDeleted() throws {
        let pods = [Fixtures.pod("orphan", node: "gone"), Fixtures.pod("fine", node: "n1")]
        #expect(PodGarbageCollection.missingNodes(pods: pods, nodes: [Fixtures.node("n1")]) == ["gone"])
        let actions = PodGarbageCollection().plan(pods: pods, nodes: [Fixtures.node("n1")], deletedNodes: ["gone"], now: now)
        #expect(actions.count == 2)
        guard case .updateStatus(let failed) = actions[0] else { Issue.record("status first"); return }
        #expect(failed[path: ["status", "phase"]] == "Failed")
        let condition = try #require(StatusConditions.get(failed[path: ["status", "conditions"]]?.array ?? [], "DisruptionTarget"))
        #expect(condition["reason"] == "DeletionByPodGC")
        #expect(condition["message"] == "PodGC: node no longer exists")
        #expect(Fixtures.deletedNames(actions) == ["orphan"])
    }

    @Test func terminatingPodsOnOutOfServiceNodesAndUnscheduledOnesGo() {
        var down = Fixtures.node("down")
        down[path: ["spec", "taints"]] = [["key": "node.kubernetes.io/out-of-service", "value": "nodeshutdown", "effect": "NoExecute"]]
        down[path: ["status", "conditions"]] = [["type": "Ready", "status": "Unknown"]]
        let stuck = Fixtures.pod("stuck", node: "down", deleting: true)
        let unscheduled = Fixtures.pod("unscheduled", node: nil, phase: "Pending", deleting: true)
        let draining = Fixtures.pod("draining", node: "n1", deleting: true)
        let actions = PodGarbageCollection().plan(pods: [stuck, unscheduled, draining], nodes: [down, Fixtures.node("n1")], deletedNodes: [], now: now)
        #expect(Fixtures.deletedNames(actions) == ["stuck", "unscheduled"])
    }
}

struct DisruptionBudgetTests {
    let now = Fixtures.now

    static func budget(minAvailable: JSONValue? = nil, maxUnavailable: JSONValue? = nil, status: JSONValue = .emptyObject) -> JSONValue {
        var spec: JSONValue = ["selector": ["matchLabels": ["app": "web"]]]
        if let minAvailable { spec["minAvailable"] = minAvailable }
        if let maxUnavailable { spec["maxUnavailable"] = maxUnavailable }
        return ["metadata": ["name": "web", "namespace": "default", "generation": 2], "spec": spec, "status": status]
    }

    static func workloads(replicas: Int64) -> (pods: [JSONValue], controllers: [KindedObject]) {
        let deployment: JSONValue = ["metadata": ["name": "web", "namespace": "default", "uid": "d-uid"], "spec": ["replicas": .integer(replicas)]]
        var rs = Fixtures.replicaSet(replicas: Int(replicas))
        rs[path: ["metadata", "ownerReferences"]] = [Fixtures.ownerRef(deployment, kind: .deployment).json]
        let ref = Fixtures.ownerRef(rs)
        let pods = [Fixtures.pod("a", owner: ref), Fixtures.pod("b", owner: ref), Fixtures.pod("c", ready: false, owner: ref)]
        return (pods, [KindedObject(.deployment, deployment), KindedObject(.replicaSet, rs)])
    }

    static func status(_ action: ControllerAction?) -> JSONValue? {
        if case .updateStatus(let object) = action { object["status"] } else { nil }
    }

    @Test func minAvailableAndMaxUnavailableInNumbersAndPercentages() {
        let (pods, controllers) = Self.workloads(replicas: 4)
        let cases: [(JSONValue?, JSONValue?, Int64, Int64, Int64)] = [
            // minAvailable, maxUnavailable -> expectedPods, desiredHealthy, disruptionsAllowed (2 healthy)
            (1, nil, 3, 1, 1), ("50%", nil, 4, 2, 0), ("25%", nil, 4, 1, 1), (nil, 1, 4, 3, 0), (nil, "75%", 4, 1, 1), (nil, "100%", 4, 0, 2),
        ]
        for (minAvailable, maxUnavailable, expected, desired, allowed) in cases {
            let status = Self.status(DisruptionBudgetStatus.plan(budget: Self.budget(minAvailable: minAvailable, maxUnavailable: maxUnavailable),
                                                                  pods: pods, controllers: controllers, now: now).update)
            #expect(status?["expectedPods"]?.int64 == expected && status?["desiredHealthy"]?.int64 == desired
                    && status?["disruptionsAllowed"]?.int64 == allowed && status?["currentHealthy"] == 2,
                    "\(String(describing: minAvailable)) \(String(describing: maxUnavailable))")
        }
    }

    @Test func conditionRecentEvictionsAndSteadyState() throws {
        let (pods, controllers) = Self.workloads(replicas: 3)
        let first = DisruptionBudgetStatus.plan(budget: Self.budget(minAvailable: 1), pods: pods, controllers: controllers, now: now)
        let status = try #require(Self.status(first.update))
        #expect(status["conditions"]?[0] == ["type": "DisruptionAllowed", "status": "True", "observedGeneration": 2,
                                             "lastTransitionTime": .string(now.rfc3339), "reason": "SufficientPods", "message": ""])
        #expect(DisruptionBudgetStatus.plan(budget: Self.budget(minAvailable: 1, status: status), pods: pods, controllers: controllers, now: now).update == nil)
        // A pod evicted a minute ago is not healthy for another minute; one evicted long ago counts again.
        var evicted = status
        evicted["disruptedPods"] = ["a": Fixtures.time(60), "b": Fixtures.time(600)]
        let after = DisruptionBudgetStatus.plan(budget: Self.budget(minAvailable: 1, status: evicted), pods: pods, controllers: controllers, now: now)
        let afterStatus = try #require(Self.status(after.update))
        #expect(afterStatus["currentHealthy"] == 1)
        #expect(afterStatus["disruptionsAllowed"] == 0)
        #expect(afterStatus["disruptedPods"] == ["a": Fixtures.time(60)])
        #expect(after.recheckAfterSeconds == 61)
    }

    @Test func missingControllersFailSafe() throws {
        let pods = [Fixtures.pod("a", owner: OwnerReference(apiVersion: "apps/v1", kind: "StatefulSet", name: "db", uid: "sts", controller: true))]
        let status = try #require(Self.status(DisruptionBudgetStatus.plan(budget: Self.budget(minAvailable: "50%"), pods: pods, controllers: [], now: now).update))
        #expect(status["disruptionsAllowed"] == 0)
        #expect(status["conditions"]?[0]?["reason"] == "SyncFailed")
        #expect(status["conditions"]?[0]?["message"] == "found no controllers for pod \"a\"")
    }
}

struct NamespaceDeletionTests {
    let now = Fixtures.now

    static func namespace(finalizers: [String] = ["kubernetes"]) -> JSONValue {
        ["metadata": ["name": "team-a", "deletionTimestamp": Fixtures.time(5)],
         "spec": ["finalizers": .array(finalizers.map(JSONValue.string))], "status": ["phase": "Active"]]
    }

    @Test func contentIsDeletedThenTheFinalizerDropped() throws {
        var finalizing = Fixtures.pod("held")
        finalizing[path: ["metadata", "finalizers"]] = ["example.com/hold"]
        let content = [NamespaceContent(kind: .pod, resource: "pods", objects: [Fixtures.pod("a", namespace: "team-a"), finalizing]),
                       NamespaceContent(kind: .configMap, resource: "configmaps", objects: [])]
        let busy = NamespaceDeletion.plan(namespace: Self.namespace(), content: content, now: now)
        guard case .updateStatus(let marked) = try #require(busy.actions.first) else { Issue.record("status first"); return }
        #expect(marked[path: ["status", "phase"]] == "Terminating")
        let conditions = marked[path: ["status", "conditions"]]?.array ?? []
        #expect(StatusConditions.get(conditions, "NamespaceContentRemaining")?["message"] == "Some resources are remaining: pods. has 2 resource instances")
        #expect(StatusConditions.get(conditions, "NamespaceFinalizersRemaining")?["message"]
                == "Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances")
        #expect(busy.actions.dropFirst().first == .deleteCollection(.pod, namespace: "team-a"))
        #expect(busy.requeueAfterSeconds != nil)

        let empty = NamespaceDeletion.plan(namespace: Self.namespace(finalizers: ["kubernetes", "other"]), content: [], now: now)
        guard case .updateSubresource(let finalized, "finalize") = try #require(empty.actions.last) else { Issue.record("finalize last"); return }
        #expect(finalized[path: ["spec", "finalizers"]] == ["other"])
        #expect(NamespaceDeletion.plan(namespace: Self.namespace(finalizers: []), content: [], now: now).actions.count == 1, "only the phase")
    }

    @Test func theLastFinalizerGoesAsAnEmptyListWithoutAPrecondition() throws {
        var namespace = Self.namespace()
        namespace.metadata.resourceVersion = "9"
        let plan = NamespaceDeletion.plan(namespace: namespace, content: [], now: now)
        guard case .updateSubresource(let finalized, "finalize") = try #require(plan.actions.last) else { Issue.record("finalize last"); return }
        // Absent would be defaulted back to ["kubernetes"] by the API server.
        #expect(finalized[path: ["spec", "finalizers"]] == .array([]))
        // The status write just before it moved the resourceVersion on.
        #expect(finalized.metadata.resourceVersion == nil)
    }
}
