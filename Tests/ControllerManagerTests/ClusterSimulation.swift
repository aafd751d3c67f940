import KubeAPI
import Testing
@testable import ControllerManager

/// A tiny in-memory API and kubelet that runs the plans of several controllers against each other until
/// nothing changes: checks that the decisions converge (and stay put) the way a real cluster would.
struct FakeCluster {
    struct Failure: Error, CustomStringConvertible { var description: String }

    var objects: [String: JSONValue] = [:]
    var now = Fixtures.now
    var counter = 0
    var collectGarbage = false

    static func key(_ kind: String, _ namespace: String?, _ name: String) -> String { "\(kind)/\(namespace ?? "")/\(name)" }

    func list(_ kind: String) -> [JSONValue] {
        objects.filter { $0.key.hasPrefix(kind + "/") }.sorted { $0.key < $1.key }.map(\.value)
    }

    func get(_ kind: String, _ name: String, namespace: String? = "default") -> JSONValue? { objects[Self.key(kind, namespace, name)] }

    mutating func apply(_ action: ControllerAction) throws {
        switch action {
        case .create(var object):
            counter += 1
            var meta = object.metadata
            if meta.name == nil { meta.name = (meta.generateName ?? "") + String(counter, radix: 36) }
            meta.uid = "uid-\(counter)"
            meta.creationTimestamp = now
            meta.generation = 1
            meta.resourceVersion = String(counter)
            object.metadata = meta
            let key = Self.key(object.kind ?? "", meta.namespace, meta.name ?? "")
            guard objects[key] == nil else { throw Failure(description: "\(key) already exists") }
            objects[key] = object
        case .update(var object):
            let key = Self.key(object.kind ?? "", object.metadata.namespace, object.metadata.name ?? "")
            guard let old = objects[key] else { throw Failure(description: "\(key) not found") }
            guard old.metadata.resourceVersion == object.metadata.resourceVersion else { throw Failure(description: "\(key) conflict") }
            object["status"] = old["status"]
            if object["spec"] != old["spec"] { object.metadata.generation = (old.metadata.generation ?? 0) + 1 }
            bump(&object)
            objects[key] = object
        case .updateStatus(var object):
            let key = Self.key(object.kind ?? "", object.metadata.namespace, object.metadata.name ?? "")
            guard let old = objects[key] else { throw Failure(description: "\(key) not found") }
            guard old.metadata.resourceVersion == object.metadata.resourceVersion else { throw Failure(description: "\(key) status conflict") }
            object["spec"] = old["spec"]
            bump(&object)
            objects[key] = object
        case .patch(let ref, let type, let patch):
            let key = Self.key(ref.kind.kind, ref.namespace, ref.name)
            guard let old = objects[key] else { throw Failure(description: "\(key) not found") }
            var patched = type == .merge ? MergePatch.apply(patch, to: old)
                : try StrategicMergePatch.apply(patch, to: old, schema: GeneratedPatchSchema.shared)
            bump(&patched)
            objects[key] = patched
        case .delete(let ref, _, _):
            objects[Self.key(ref.kind.kind, ref.namespace, ref.name)] = nil
        case .deleteCollection, .updateSubresource:
            throw Failure(description: "not simulated")
        }
    }

    mutating func bump(_ object: inout JSONValue) {
        counter += 1
        object.metadata.resourceVersion = String(counter)
    }

    /// Schedules, starts and readies every pod.
    mutating func kubelet() {
        for (key, var pod) in objects where key.hasPrefix("Pod/") && pod[path: ["status", "phase"]]?.string != "Running" {
            pod[path: ["spec", "nodeName"]] = .string(DaemonPods.targetNodeName(pod) ?? "n1")
            pod["status"] = ["phase": "Running", "podIP": "10.0.0.1",
                             "conditions": [["type": "Ready", "status": "True", "lastTransitionTime": .string(now.rfc3339)]]]
            objects[key] = pod
        }
    }

    /// One round of the deployment and replica set controllers; returns how many actions ran.
    mutating func round() throws -> Int {
        var count = 0
        for deployment in list("Deployment") {
            let plan = DeploymentSync().plan(deployment: deployment, replicaSets: list("ReplicaSet"), pods: list("Pod"), now: now)
            for action in plan.actions { try apply(action) }
            count += plan.actions.count
        }
        for rs in list("ReplicaSet") {
            let plan = ReplicaSetSync().plan(replicaSet: rs, pods: list("Pod"), now: now)
            for action in plan.actions { try apply(action) }
            count += plan.actions.count
        }
        for ds in list("DaemonSet") {
            let plan = DaemonSetSync().plan(daemonSet: ds, nodes: list("Node"), pods: list("Pod"), revisions: list("ControllerRevision"), now: now)
            for action in plan.actions { try apply(action) }
            count += plan.actions.count
        }
        if collectGarbage {
            let kinds: [(String, ResourceKind)] = [("Pod", .pod), ("ReplicaSet", .replicaSet), ("Deployment", .deployment),
                                                   ("DaemonSet", .daemonSet), ("ControllerRevision", .controllerRevision)]
            let snapshot = kinds.flatMap { name, kind in list(name).map { KindedObject(kind, $0) } }
            let actions = GarbageCollection(objects: snapshot).plan()
            for action in actions { try apply(action) }
            count += actions.count
        }
        kubelet()
        now = now.adding(seconds: 5)
        return count
    }

    /// Rounds until one changes nothing.
    mutating func settle(limit: Int = 40) throws -> Int {
        for attempt in 1...limit where try round() == 0 { return attempt }
        throw Failure(description: "did not settle in \(limit) rounds")
    }
}

struct ClusterSimulationTests {
    @Test func deploymentRolloutsConvergeAndStayPut() throws {
        var cluster = FakeCluster()
        try cluster.apply(.create(DeploymentFixtures.deployment(replicas: 3, image: "web:v1")))
        _ = try cluster.settle()
        var d = try #require(cluster.get("Deployment", "web"))
        #expect(cluster.list("Pod").count == 3)
        #expect(d["status"]?["updatedReplicas"] == 3 && d["status"]?["availableReplicas"] == 3 && d["status"]?["replicas"] == 3)
        #expect(d[path: ["status", "observedGeneration"]] == d[path: ["metadata", "generation"]])
        #expect(DeploymentFixtures.condition(d, "Progressing")?["reason"] == "NewReplicaSetAvailable")
        #expect(DeploymentFixtures.condition(d, "Available")?["status"] == "True")
        #expect(d.metadata.annotations["deployment.kubernetes.io/revision"] == "1")

        // A new image rolls out: a second ReplicaSet takes over, the first ends at zero.
        d[path: ["spec", "template", "spec", "containers"]] = [["name": "c", "image": "web:v2"]]
        try cluster.apply(.update(d))
        _ = try cluster.settle()
        d = try #require(cluster.get("Deployment", "web"))
        let sets = cluster.list("ReplicaSet")
        #expect(sets.count == 2)
        #expect(sets.map { $0[path: ["spec", "replicas"]]?.int ?? -1 }.sorted() == [0, 3])
        #expect(d.metadata.annotations["deployment.kubernetes.io/revision"] == "2")
        #expect(d["status"]?["updatedReplicas"] == 3 && d["status"]?["replicas"] == 3 && d["status"]?["availableReplicas"] == 3)
        let newHash = sets.first { $0[path: ["spec", "replicas"]] == 3 }?.metadata.labels["pod-template-hash"]
        #expect(cluster.list("Pod").allSatisfy { $0.metadata.labels["pod-template-hash"] == newHash })
        #expect(cluster.list("Pod").allSatisfy { $0[path: ["spec", "containers"]]?[0]?["image"] == "web:v2" })

        // kubectl rollout undo puts the old template back: the first ReplicaSet returns as revision 3.
        d[path: ["spec", "template", "spec", "containers"]] = [["name": "c", "image": "web:v1"]]
        try cluster.apply(.update(d))
        _ = try cluster.settle()
        d = try #require(cluster.get("Deployment", "web"))
        #expect(cluster.list("ReplicaSet").count == 2)
        #expect(d.metadata.annotations["deployment.kubernetes.io/revision"] == "3")
        #expect(cluster.list("Pod").allSatisfy { $0[path: ["spec", "containers"]]?[0]?["image"] == "web:v1" })
        #expect(try cluster.round() == 0, "a settled cluster stays put")

        // Scaling down goes through the one active ReplicaSet.
        d[path: ["spec", "replicas"]] = 1
        try cluster.apply(.update(d))
        _ = try cluster.settle()
        #expect(cluster.list("Pod").count == 1)
        #expect(cluster.get("Deployment", "web")?["status"]?["replicas"] == 1)
    }

    @Test func recreateDeploymentsNeverRunTwoVersions() throws {
        var cluster = FakeCluster()
        try cluster.apply(.create(DeploymentFixtures.deployment(replicas: 2, image: "web:v1", strategy: "Recreate")))
        _ = try cluster.settle()
        var d = try #require(cluster.get("Deployment", "web"))
        d[path: ["spec", "template", "spec", "containers"]] = [["name": "c", "image": "web:v2"]]
        try cluster.apply(.update(d))
        for _ in 0..<20 {
            let images = Set(cluster.list("Pod").compactMap { $0[path: ["spec", "containers"]]?[0]?["image"]?.string })
            #expect(images.count <= 1, "old and new pods never overlap")
            if try cluster.round() == 0 { break }
        }
        #expect(cluster.list("Pod").count == 2)
        #expect(cluster.list("Pod").allSatisfy { $0[path: ["spec", "containers"]]?[0]?["image"] == "web:v2" })
    }

    @Test func daemonSetsRollAcrossNodesAndTheirPodsAreCollectedWithThem() throws {
        var cluster = FakeCluster()
        cluster.collectGarbage = true
        for name in ["a", "b", "c"] {
            try cluster.apply(.create(["apiVersion": "v1", "kind": "Node", "metadata": ["name": .string(name)]]))
        }
        try cluster.apply(.create(DaemonSetTests.daemonSet(maxUnavailable: 1)))
        _ = try cluster.settle()
        #expect(cluster.list("Pod").compactMap { $0[path: ["spec", "nodeName"]]?.string }.sorted() == ["a", "b", "c"])
        var ds = try #require(cluster.get("DaemonSet", "agent", namespace: "kube-system"))
        ds[path: ["spec", "template", "spec", "containers"]] = [["name": "agent", "image": "agent:v2"]]
        try cluster.apply(.update(ds))
        var rounds = 0
        while try cluster.round() > 0 {
            rounds += 1
            #expect(rounds < 40)
            let running = cluster.list("Pod").filter { $0[path: ["status", "phase"]] == "Running" }.count
            #expect(running >= 2, "maxUnavailable 1 of 3 nodes")
        }
        ds = try #require(cluster.get("DaemonSet", "agent", namespace: "kube-system"))
        #expect(ds["status"]?["updatedNumberScheduled"] == 3 && ds["status"]?["numberAvailable"] == 3)
        #expect(ds[path: ["status", "observedGeneration"]] == ds[path: ["metadata", "generation"]], "kubectl rollout status waits for this")
        #expect(cluster.list("Pod").allSatisfy { $0[path: ["spec", "containers"]]?[0]?["image"] == "agent:v2" })
        #expect(cluster.list("ControllerRevision").count == 2)

        // Deleting the DaemonSet in the background leaves its pods and revisions to the garbage collector.
        try cluster.apply(.delete(ObjectRef(ds, kind: .daemonSet)))
        _ = try cluster.settle()
        #expect(cluster.list("Pod").isEmpty && cluster.list("ControllerRevision").isEmpty)
    }

    @Test func zeroSurgeRollsOnePodAtATimeAndPausingHoldsTheRollout() throws {
        var cluster = FakeCluster()
        try cluster.apply(.create(DeploymentFixtures.deployment(replicas: 4, image: "web:v1", maxSurge: 0, maxUnavailable: 0)))
        _ = try cluster.settle()
        var d = try #require(cluster.get("Deployment", "web"))
        d[path: ["spec", "paused"]] = true
        d[path: ["spec", "template", "spec", "containers"]] = [["name": "c", "image": "web:v2"]]
        try cluster.apply(.update(d))
        _ = try cluster.settle()
        #expect(cluster.list("ReplicaSet").count == 1, "paused: no new ReplicaSet")
        d = try #require(cluster.get("Deployment", "web"))
        #expect(DeploymentFixtures.condition(d, "Progressing")?["reason"] == "DeploymentPaused")
        d[path: ["spec", "paused"]] = false
        try cluster.apply(.update(d))
        var rounds = 0
        while try cluster.round() > 0 {
            rounds += 1
            #expect(rounds < 40)
            #expect(cluster.list("Pod").count <= 4, "maxSurge 0: never more pods than replicas")
        }
        #expect(cluster.list("Pod").allSatisfy { $0[path: ["spec", "containers"]]?[0]?["image"] == "web:v2" })
        d = try #require(cluster.get("Deployment", "web"))
        #expect(DeploymentFixtures.condition(d, "Progressing")?["reason"] == "NewReplicaSetAvailable")
    }
}
