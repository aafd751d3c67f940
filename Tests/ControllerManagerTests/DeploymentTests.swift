import KubeAPI
import Testing
@testable import ControllerManager

struct DeploymentTests {
    typealias F = DeploymentFixtures
    let sync = DeploymentSync()
    let now = Fixtures.now

    @Test func fencepostsRoundSurgeUpAndUnavailableDown() {
        let cases: [(JSONValue?, JSONValue?, Int, Int, Int)] = [
            ("25%", "25%", 3, 1, 0), ("25%", "25%", 10, 3, 2), ("50%", "50%", 5, 3, 2), (0, 0, 5, 0, 1),
            ("0%", "0%", 5, 0, 1), (2, "10%", 10, 2, 1), (nil, nil, 4, 0, 1), ("abc", 1, 4, 0, 0),
            ("39%", "39%", 10, 4, 3), ("0%", "0%", 0, 0, 1), ("5", 1, 10, 0, 0),
        ]
        for (surge, unavailable, desired, wantSurge, wantUnavailable) in cases {
            let got = DeploymentMath.resolveFenceposts(maxSurge: surge, maxUnavailable: unavailable, desired: desired)
            #expect(got.surge == wantSurge && got.unavailable == wantUnavailable, "\(String(describing: surge))/\(String(describing: unavailable)) of \(desired)")
        }
        #expect(DeploymentMath.maxUnavailable(F.deployment(replicas: 2, maxSurge: 0, maxUnavailable: 5)) == 2, "capped at replicas")
        #expect(DeploymentMath.maxSurge(F.deployment(strategy: "Recreate")) == 0)
    }

    @Test func templateHashIsFNV32aRenderedSafely() {
        var fnv = FNV32a()
        #expect(fnv.value == 2_166_136_261)
        fnv.write(Array("a".utf8))
        #expect(fnv.value == 0xE40C_292C)
        #expect(TemplateHash.safeEncode("0123456789") == "456789bcdf")
        let template = F.template(image: "web:v1")
        let reordered: JSONValue = ["spec": ["containers": [["image": "web:v1", "name": "c"]]], "metadata": ["labels": ["app": "web"]]]
        #expect(TemplateHash.compute(template) == TemplateHash.compute(reordered))
        #expect(TemplateHash.compute(template) != TemplateHash.compute(template, collisionCount: 1))
        #expect(TemplateHash.compute(template) != TemplateHash.compute(F.template(image: "web:v2")))
        #expect(TemplateHash.compute(template).allSatisfy { "bcdfghjklmnpqrstvwxz2456789".contains($0) })
    }

    @Test func templatesCompareIgnoringTheHashLabelAndEmptyFields() {
        var withHash = F.template(image: "web:v1")
        withHash[path: ["metadata", "labels", "pod-template-hash"]] = "abc"
        withHash[path: ["metadata", "creationTimestamp"]] = .null
        withHash[path: ["spec", "volumes"]] = []
        #expect(TemplateEquality.equalIgnoringHash(withHash, F.template(image: "web:v1")))
        #expect(!TemplateEquality.equalIgnoringHash(withHash, F.template(image: "web:v2")))
        var emptyDir = F.template(image: "web:v1")
        emptyDir[path: ["spec", "volumes"]] = [["name": "v", "emptyDir": .emptyObject]]
        var noSource = F.template(image: "web:v1")
        noSource[path: ["spec", "volumes"]] = [["name": "v"]]
        #expect(!TemplateEquality.equalIgnoringHash(emptyDir, noSource), "emptyDir: {} is a set pointer in Go")
    }

    @Test func firstSyncCreatesTheNewReplicaSet() throws {
        let d = F.deployment()
        let plan = sync.plan(deployment: d, replicaSets: [], pods: [], now: now)
        let rs = try #require(F.creates(plan).first)
        let hash = TemplateHash.compute(F.template(image: "web:v1"))
        #expect(rs.metadata.name == "web-\(hash)")
        #expect(rs.metadata.labels == ["app": "web", "pod-template-hash": hash])
        #expect(rs[path: ["spec", "selector", "matchLabels"]] == ["app": "web", "pod-template-hash": .string(hash)])
        #expect(rs[path: ["spec", "template", "metadata", "labels", "pod-template-hash"]] == .string(hash))
        #expect(rs[path: ["spec", "replicas"]] == 3, "3 desired; surge 1 allows up to 4 pods in total")
        #expect(rs.metadata.annotations == ["deployment.kubernetes.io/revision": "1", "deployment.kubernetes.io/desired-replicas": "3",
                                            "deployment.kubernetes.io/max-replicas": "4"])
        #expect(rs.metadata.ownerReferences == [OwnerReference(apiVersion: "apps/v1", kind: "Deployment", name: "web", uid: "d-uid",
                                                               controller: true, blockOwnerDeletion: true)])
        let written = try #require(F.statusWrite(plan))
        #expect(written.metadata.annotations["deployment.kubernetes.io/revision"] == "1")
        #expect(written[path: ["status", "observedGeneration"]] == 1)
        #expect(written[path: ["status", "unavailableReplicas"]] == 3)
        #expect(F.condition(written, "Progressing")?["reason"] == "NewReplicaSetCreated")
        #expect(F.condition(written, "Progressing")?["message"] == .string("Created new replica set \"web-\(hash)\""))
        #expect(F.condition(written, "Available")?["reason"] == "MinimumReplicasUnavailable")
        #expect(plan.events.map(\.message) == ["Scaled up replica set web-\(hash) to 3"])
    }

    @Test func rollingUpdateSurgesThenShrinksOldWithinAvailability() throws {
        let d = F.deployment(image: "web:v2", maxSurge: 1, maxUnavailable: 0)
        let old = F.replicaSet("old", image: "web:v1", replicas: 3, revision: 1)
        // Sync 1: the new ReplicaSet starts at the one pod the surge allows; nothing old may go yet.
        let first = sync.plan(deployment: d, replicaSets: [old], pods: [], now: now)
        let created = try #require(F.creates(first).first)
        #expect(created[path: ["spec", "replicas"]] == 1)
        #expect(created.metadata.annotations["deployment.kubernetes.io/revision"] == "2")
        #expect(F.updates(first).isEmpty)
        // Sync 2: the new pod is available, so one old pod may go.
        let hash = created.metadata.labels["pod-template-hash"] ?? ""
        var newRS = created
        newRS[path: ["metadata", "uid"]] = "uid-new"
        newRS[path: ["metadata", "creationTimestamp"]] = Fixtures.time(10)
        newRS["status"] = ["replicas": 1, "readyReplicas": 1, "availableReplicas": 1]
        let second = sync.plan(deployment: d, replicaSets: [old, newRS], pods: [], now: now)
        #expect(second.actions.count == 2)
        #expect(F.updates(second)["web-old"]?[path: ["spec", "replicas"]] == 2)
        #expect(second.events.map(\.message) == ["Scaled down replica set web-old to 2 from 3"])
        #expect(F.updates(second)["web-\(hash)"] == nil)
        // Sync 3: old shrank; the new ReplicaSet may grow into the freed surge slot.
        var shrunk = old
        shrunk[path: ["spec", "replicas"]] = 2
        let third = sync.plan(deployment: d, replicaSets: [shrunk, newRS], pods: [], now: now)
        #expect(F.updates(third)["web-\(hash)"]?[path: ["spec", "replicas"]] == 2)
        #expect(F.updates(third)["web-old"] == nil, "a scale-up ends the sync")
    }

    @Test func unhealthyOldReplicasAreCleanedUpFirst() {
        let d = F.deployment(replicas: 4, image: "web:v2", maxSurge: 1, maxUnavailable: 1)
        let hash = TemplateHash.compute(F.template(image: "web:v2"))
        let newRS = F.replicaSet(hash, image: "web:v2", replicas: 1, available: 0, revision: 2, desired: 4, maxReplicas: 5, createdAgo: 10)
        let old = F.replicaSet("old", image: "web:v1", replicas: 4, available: 2, revision: 1, desired: 4, maxReplicas: 5)
        let plan = sync.plan(deployment: d, replicaSets: [old, newRS], pods: [], now: now)
        // allPods 5, minAvailable 3, new unavailable 1: at most 1 may go, and it is one of the 2 unhealthy ones.
        #expect(F.updates(plan)["web-old"]?[path: ["spec", "replicas"]] == 3)
    }

    @Test func recreateScalesOldToZeroAndWaitsForItsPods() throws {
        let d = F.deployment(replicas: 2, image: "web:v2", strategy: "Recreate")
        let old = F.replicaSet("old", image: "web:v1", replicas: 2, revision: 1, desired: 2, maxReplicas: 2)
        let first = sync.plan(deployment: d, replicaSets: [old], pods: [], now: now)
        #expect(F.updates(first)["web-old"]?[path: ["spec", "replicas"]] == 0)
        #expect(F.creates(first).isEmpty)
        var draining = old
        draining[path: ["spec", "replicas"]] = 0
        let second = sync.plan(deployment: d, replicaSets: [draining], pods: [], now: now)
        #expect(F.creates(second).isEmpty, "status.replicas is still 2")
        var drained = draining
        drained["status"] = ["replicas": 0, "observedGeneration": 1]
        let pod = Fixtures.pod("old-pod", owner: OwnerReference(apiVersion: "apps/v1", kind: "ReplicaSet", name: "web-old", uid: "uid-old", controller: true))
        #expect(F.creates(sync.plan(deployment: d, replicaSets: [drained], pods: [pod], now: now)).isEmpty, "an old pod still runs")
        var finished = pod
        finished[path: ["status", "phase"]] = "Succeeded"
        let third = sync.plan(deployment: d, replicaSets: [drained], pods: [finished], now: now)
        let created = try #require(F.creates(third).first)
        #expect(created[path: ["spec", "replicas"]] == 2)
    }

    @Test func resizingMidRolloutScalesProportionally() {
        let d = F.deployment(replicas: 15, image: "web:v2", maxSurge: 3, maxUnavailable: 2)
        let hash = TemplateHash.compute(F.template(image: "web:v2"))
        let newRS = F.replicaSet(hash, image: "web:v2", replicas: 5, revision: 2, desired: 10, maxReplicas: 13, createdAgo: 10)
        let old = F.replicaSet("old", image: "web:v1", replicas: 8, revision: 1, desired: 10, maxReplicas: 13)
        let plan = sync.plan(deployment: d, replicaSets: [old, newRS], pods: [], now: now)
        let updates = F.updates(plan)
        // 18 allowed, 13 present: 5 to add, 8*18/13 ≈ 11 for the old and the remaining 2 for the new.
        #expect(updates["web-old"]?[path: ["spec", "replicas"]] == 11)
        #expect(updates["web-\(hash)"]?[path: ["spec", "replicas"]] == 7)
        #expect(updates["web-old"]?.metadata.annotations["deployment.kubernetes.io/desired-replicas"] == "15")
        #expect(updates["web-old"]?.metadata.annotations["deployment.kubernetes.io/max-replicas"] == "18")
    }

    @Test func pausedDeploymentsDoNotRollButRecordTheCondition() throws {
        let d = F.deployment(image: "web:v2", paused: true)
        let old = F.replicaSet("old", image: "web:v1", replicas: 3, revision: 1)
        let plan = sync.plan(deployment: d, replicaSets: [old], pods: [], now: now)
        #expect(F.creates(plan).isEmpty)
        let written = try #require(F.statusWrite(plan))
        #expect(F.condition(written, "Progressing")?["reason"] == "DeploymentPaused")
        #expect(F.condition(written, "Progressing")?["status"] == "Unknown")
    }

    @Test func completedRolloutsPruneHistoryBeyondTheLimit() {
        let hash = TemplateHash.compute(F.template(image: "web:v5"))
        let status: JSONValue = ["observedGeneration": 1, "replicas": 3, "updatedReplicas": 3, "readyReplicas": 3, "availableReplicas": 3]
        let d = F.deployment(image: "web:v5", status: status, revisionHistoryLimit: 2)
        let sets = (1...4).map { F.replicaSet("r\($0)", image: "web:v\($0)", replicas: 0, revision: $0, createdAgo: Int64(1000 - $0)) }
            + [F.replicaSet(hash, image: "web:v5", replicas: 3, revision: 5, createdAgo: 10)]
        let plan = sync.plan(deployment: d, replicaSets: sets, pods: [], now: now)
        #expect(Fixtures.deletedNames(plan.actions) == ["web-r1", "web-r2"])
    }

    @Test func progressDeadlineExceededAndRequeue() throws {
        let hash = TemplateHash.compute(F.template(image: "web:v2"))
        func deployment(lastUpdateAgo: Int64) -> JSONValue {
            let progressing: JSONValue = ["type": "Progressing", "status": "True", "lastUpdateTime": Fixtures.time(lastUpdateAgo),
                                          "lastTransitionTime": Fixtures.time(lastUpdateAgo), "reason": "ReplicaSetUpdated",
                                          "message": .string("ReplicaSet \"web-\(hash)\" is progressing.")]
            let available: JSONValue = ["type": "Available", "status": "False", "lastUpdateTime": Fixtures.time(5000),
                                        "lastTransitionTime": Fixtures.time(5000), "reason": "MinimumReplicasUnavailable",
                                        "message": "Deployment does not have minimum availability."]
            let status: JSONValue = ["observedGeneration": 1, "replicas": 3, "updatedReplicas": 3, "unavailableReplicas": 3,
                                     "conditions": [progressing, available]]
            var d = F.deployment(image: "web:v2", maxSurge: 0, maxUnavailable: 0, status: status)
            d[path: ["metadata", "annotations"]] = ["deployment.kubernetes.io/revision": "1"]
            return d
        }
        let stuck = F.replicaSet(hash, image: "web:v2", replicas: 3, available: 0, revision: 1)
        let late = sync.plan(deployment: deployment(lastUpdateAgo: 700), replicaSets: [stuck], pods: [], now: now)
        let written = try #require(F.statusWrite(late))
        #expect(F.condition(written, "Progressing")?["reason"] == "ProgressDeadlineExceeded")
        #expect(F.condition(written, "Progressing")?["status"] == "False")
        #expect(F.condition(written, "Progressing")?["message"] == .string("ReplicaSet \"web-\(hash)\" has timed out progressing."))
        let early = sync.plan(deployment: deployment(lastUpdateAgo: 100), replicaSets: [stuck], pods: [], now: now)
        #expect(early.actions.isEmpty)
        #expect(early.requeueAfterSeconds == 501)
    }

    @Test func completionIsReportedAsNewReplicaSetAvailable() throws {
        let hash = TemplateHash.compute(F.template(image: "web:v2"))
        let status: JSONValue = ["observedGeneration": 1, "replicas": 3, "updatedReplicas": 3, "readyReplicas": 2, "availableReplicas": 2,
                                 "unavailableReplicas": 1]
        let d = F.deployment(image: "web:v2", status: status)
        let plan = sync.plan(deployment: d, replicaSets: [F.replicaSet(hash, image: "web:v2", replicas: 3, revision: 1)], pods: [], now: now)
        let written = try #require(F.statusWrite(plan))
        #expect(F.condition(written, "Progressing")?["reason"] == "NewReplicaSetAvailable")
        #expect(F.condition(written, "Available")?["status"] == "True")
        #expect(written["status"]?["unavailableReplicas"] == nil)
        #expect(written["status"]?["availableReplicas"] == 3)
    }

    @Test func rollbackMakesTheOldReplicaSetNewWithTheNextRevision() throws {
        let d = F.deployment(image: "web:v1")
        let v1 = F.replicaSet("v1", image: "web:v1", replicas: 0, revision: 1, createdAgo: 2000)
        let v2 = F.replicaSet("v2", image: "web:v2", replicas: 3, revision: 2, createdAgo: 1000)
        let plan = sync.plan(deployment: d, replicaSets: [v1, v2], pods: [], now: now)
        #expect(F.creates(plan).isEmpty)
        let annotations = try #require(F.updates(plan)["web-v1"]).metadata.annotations
        #expect(annotations["deployment.kubernetes.io/revision"] == "3")
        #expect(annotations["deployment.kubernetes.io/revision-history"] == "1")
    }

    @Test func hashCollisionBumpsCollisionCount() throws {
        let d = F.deployment()
        let hash = TemplateHash.compute(F.template(image: "web:v1"))
        var squatter = F.replicaSet(hash, image: "other:v9", replicas: 1, revision: 1)
        squatter[path: ["metadata", "ownerReferences"]] = nil
        squatter[path: ["metadata", "labels"]] = ["app": "other"]
        let plan = sync.plan(deployment: d, replicaSets: [squatter], pods: [], now: now)
        #expect(plan.requeue)
        #expect(F.creates(plan).isEmpty)
        #expect(try #require(F.statusWrite(plan))[path: ["status", "collisionCount"]] == 1)
        #expect(TemplateHash.compute(F.template(image: "web:v1"), collisionCount: 1) != hash)
    }

    @Test func selectorMatchingEverythingOnlyObservesTheGeneration() throws {
        var d = F.deployment(generation: 3)
        d[path: ["spec", "selector"]] = .emptyObject
        let plan = sync.plan(deployment: d, replicaSets: [], pods: [], now: now)
        #expect(plan.actions.count == 1)
        #expect(try #require(F.statusWrite(plan))[path: ["status", "observedGeneration"]] == 3)
        #expect(plan.events.first?.reason == "SelectingAll")
    }
}
