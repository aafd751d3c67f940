import KubeAPI
import Testing
@testable import ControllerManager

struct ReplicaSetTests {
    let sync = ReplicaSetSync()
    let now = Fixtures.now

    @Test func slowStartBatchesDouble() {
        #expect(SlowStart.batches(0) == [])
        #expect(SlowStart.batches(1) == [1])
        #expect(SlowStart.batches(10) == [1, 2, 4, 3])
        #expect(SlowStart.batches(15) == [1, 2, 4, 8])
        #expect(SlowStart.batched(Array(1...7)) == [[1], [2, 3], [4, 5, 6, 7]])
    }

    @Test func scaleUpCreatesPodsFromTheTemplateInSlowStartBatches() throws {
        let rs = Fixtures.replicaSet(replicas: 5)
        let existing = Fixtures.pod("web-a", owner: Fixtures.ownerRef(rs))
        let plan = sync.plan(replicaSet: rs, pods: [existing], now: now)
        #expect(plan.createBatches.map(\.count) == [1, 2, 1])
        guard case .create(let pod) = try #require(plan.createBatches.first?.first) else { Issue.record("not a create"); return }
        #expect(pod.metadata.generateName == "web-")
        #expect(pod.metadata.namespace == "default")
        #expect(pod.metadata.labels == ["app": "web"])
        #expect(pod.kind == "Pod")
        let ref = try #require(pod.metadata.ownerReferences.first)
        #expect(ref == OwnerReference(apiVersion: "apps/v1", kind: "ReplicaSet", name: "web", uid: "rs-uid", controller: true, blockOwnerDeletion: true))
        #expect(pod[path: ["spec", "containers"]]?[0]?["image"] == "busybox")
        #expect(plan.deletions.isEmpty)
        #expect(plan.status["replicas"] == 1)
    }

    @Test func burstReplicasCapsOneSync() {
        let plan = ReplicaSetSync(burstReplicas: 10).plan(replicaSet: Fixtures.replicaSet(replicas: 100), pods: [], now: now)
        #expect(plan.createBatches.map(\.count) == [1, 2, 4, 3])
    }

    @Test func unsatisfiedExpectationsOnlyReportStatus() {
        let plan = sync.plan(replicaSet: Fixtures.replicaSet(replicas: 3), pods: [], expectationsSatisfied: false, now: now)
        #expect(plan.createBatches.isEmpty)
        #expect(plan.statusUpdate != nil, "observedGeneration 1 is new")
    }

    @Test func claimAdoptsMatchingOrphansAndReleasesNonMatchingPods() throws {
        let rs = Fixtures.replicaSet(replicas: 2)
        let orphan = Fixtures.pod("orphan")
        let strayed = Fixtures.pod("strayed", labels: ["app": "other"], owner: Fixtures.ownerRef(rs))
        let foreign = Fixtures.pod("foreign", owner: OwnerReference(apiVersion: "apps/v1", kind: "ReplicaSet", name: "x", uid: "x", controller: true))
        let deletingOrphan = Fixtures.pod("gone", deleting: true)
        let otherNamespace = Fixtures.pod("elsewhere", namespace: "kube-system")
        let failed = Fixtures.pod("failed", phase: "Failed", owner: Fixtures.ownerRef(rs))
        let plan = sync.plan(replicaSet: rs, pods: [orphan, strayed, foreign, deletingOrphan, otherNamespace, failed], now: now)
        #expect(Fixtures.names(plan.ownedPods) == ["orphan"])
        #expect(plan.claim.count == 2)
        guard case .patch(let adoptRef, .strategicMerge, let adopt) = plan.claim[0],
              case .patch(let releaseRef, .strategicMerge, let release) = plan.claim[1] else {
            Issue.record("expected two patches"); return
        }
        #expect(adoptRef.name == "orphan" && releaseRef.name == "strayed")
        #expect(adopt == ["metadata": ["ownerReferences": [["apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web", "uid": "rs-uid",
                                                            "controller": true, "blockOwnerDeletion": true]],
                                       "uid": "uid-orphan"]])
        #expect(release == ["metadata": ["ownerReferences": [["$patch": "delete", "uid": "rs-uid"]], "uid": "uid-strayed"]])
        #expect(plan.createBatches.map(\.count) == [1], "one adopted, one more needed")
    }

    @Test func deletingReplicaSetNeitherAdoptsNorReleasesNorScales() {
        var rs = Fixtures.replicaSet(replicas: 1)
        rs[path: ["metadata", "deletionTimestamp"]] = Fixtures.time(0)
        let strayed = Fixtures.pod("strayed", labels: ["app": "other"], owner: Fixtures.ownerRef(rs))
        let owned = Fixtures.pod("owned", owner: Fixtures.ownerRef(rs))
        let owned2 = Fixtures.pod("owned2", owner: Fixtures.ownerRef(rs))
        let plan = sync.plan(replicaSet: rs, pods: [Fixtures.pod("orphan"), strayed, owned, owned2], now: now)
        #expect(plan.claim.isEmpty)
        #expect(plan.deletions.isEmpty)
        #expect(Fixtures.names(plan.ownedPods) == ["owned", "owned2"])
    }

    /// Upstream's TestSortingActivePods order, one rule per step.
    @Test func scaleDownDeletesTheLeastUsefulPodsFirst() {
        let rs = Fixtures.replicaSet(replicas: 0)
        let ref = Fixtures.ownerRef(rs)
        let pods = [
            Fixtures.pod("old-ready", readyFor: 20_000, createdAgo: 30_000, owner: ref),
            Fixtures.pod("unscheduled", node: nil, phase: "Pending", ready: false, owner: ref),
            Fixtures.pod("pending", phase: "Pending", ready: false, owner: ref),
            Fixtures.pod("unknown", phase: "Unknown", ready: false, owner: ref),
            Fixtures.pod("not-ready", ready: false, owner: ref),
            Fixtures.pod("cheap", readyFor: 20_000, createdAgo: 30_000, owner: ref,
                         annotations: ["controller.kubernetes.io/pod-deletion-cost": "-10"]),
            Fixtures.pod("recently-ready", readyFor: 10, createdAgo: 30_000, owner: ref),
            Fixtures.pod("restarting", readyFor: 20_000, createdAgo: 30_000, owner: ref, restarts: 5),
            Fixtures.pod("young", readyFor: 20_000, createdAgo: 1_000, owner: ref),
        ]
        let sorted = PodDeletionOrder.sorted(pods, ranks: Array(repeating: 0, count: pods.count), now: now)
        #expect(Fixtures.names(sorted) == ["unscheduled", "pending", "unknown", "not-ready", "cheap", "recently-ready",
                                           "restarting", "young", "old-ready"])
        let plan = ReplicaSetSync().plan(replicaSet: Fixtures.replicaSet(replicas: 7), pods: pods, now: now)
        #expect(Fixtures.deletedNames(plan.deletions) == ["unscheduled", "pending"])
    }

    @Test func doubledUpNodesLosePodsFirstAndLogScaleBucketsTieOnUID() {
        let rs = Fixtures.replicaSet(replicas: 2)
        let ref = Fixtures.ownerRef(rs)
        let a = Fixtures.pod("a", node: "n1", owner: ref)
        let b = Fixtures.pod("b", node: "n2", owner: ref)
        let c = Fixtures.pod("c", node: "n2", owner: ref)
        let plan = sync.plan(replicaSet: rs, pods: [a, b, c], now: now)
        #expect(Fixtures.deletedNames(plan.deletions) == ["b"], "n2 has two pods; b and c tie on everything else, so input order decides")
        // Ready 3600 s and 3000 s ago share the 2^41..2^42 ns bucket, so the uid decides rather than the time.
        let older = Fixtures.pod("z-older", readyFor: 3600, owner: ref)
        let newer = Fixtures.pod("y-newer", readyFor: 3000, owner: ref)
        #expect(Fixtures.names(PodDeletionOrder.sorted([older, newer], ranks: [0, 0], now: now)) == ["y-newer", "z-older"])
        #expect(Fixtures.names(PodDeletionOrder.sorted([newer, older], ranks: [0, 0], now: nil)) == ["y-newer", "z-older"])
        let muchNewer = Fixtures.pod("z-new", readyFor: 10, owner: ref)
        #expect(Fixtures.names(PodDeletionOrder.sorted([older, muchNewer], ranks: [0, 0], now: now)) == ["z-new", "z-older"])
    }

    @Test func statusCountsReadyAvailableAndFullyLabeledPods() {
        var rs = Fixtures.replicaSet(replicas: 3, labels: ["app": "web"], minReadySeconds: 60, generation: 4)
        rs[path: ["spec", "template", "metadata", "labels", "tier"]] = "fe"
        let ref = Fixtures.ownerRef(rs)
        let pods = [
            Fixtures.pod("full", labels: ["app": "web", "tier": "fe"], readyFor: 120, owner: ref),
            Fixtures.pod("fresh", labels: ["app": "web", "tier": "fe"], readyFor: 30, owner: ref),
            Fixtures.pod("partial", labels: ["app": "web"], ready: false, owner: ref),
        ]
        let plan = sync.plan(replicaSet: rs, pods: pods, now: now)
        #expect(plan.status == ["replicas": 3, "fullyLabeledReplicas": 2, "readyReplicas": 2, "availableReplicas": 1, "observedGeneration": 4])
        #expect(plan.requeueAfterSeconds == nil, "ready (2) differs from desired (3)")
        guard case .updateStatus(let written) = plan.statusUpdate else { Issue.record("status must be written"); return }
        #expect(written["status"] == plan.status)
        var steady = rs
        steady["status"] = plan.status
        #expect(sync.plan(replicaSet: steady, pods: pods, now: now).statusUpdate == nil)
    }

    @Test func minReadySecondsRequeuesWhenReadyButNotAvailable() {
        let rs = Fixtures.replicaSet(replicas: 1, minReadySeconds: 60)
        let plan = sync.plan(replicaSet: rs, pods: [Fixtures.pod("p", readyFor: 5, owner: Fixtures.ownerRef(rs))], now: now)
        #expect(plan.requeueAfterSeconds == 60)
    }

    @Test func replicaFailureConditionComesAndGoes() {
        let rs = Fixtures.replicaSet(replicas: 2)
        let failed = ReplicaSetStatus.calculate(replicaSet: rs, pods: [], manageError: "pods \"web-\" is forbidden: exceeded quota", now: now)
        #expect(failed["conditions"] == [["type": "ReplicaFailure", "status": "True", "lastTransitionTime": .string(now.rfc3339),
                                          "reason": "FailedCreate", "message": "pods \"web-\" is forbidden: exceeded quota"]])
        var withCondition = rs
        withCondition["status"] = failed
        let later = ReplicaSetStatus.calculate(replicaSet: withCondition, pods: [], manageError: "another", now: now.adding(seconds: 5))
        #expect(later["conditions"] == failed["conditions"], "an existing failure condition is kept as is")
        #expect(ReplicaSetStatus.calculate(replicaSet: withCondition, pods: [], manageError: nil, now: now)["conditions"] == nil)
    }

    @Test func templateWithoutLabelsCreatesNothing() {
        var rs = Fixtures.replicaSet(replicas: 2)
        rs[path: ["spec", "template", "metadata", "labels"]] = nil
        #expect(sync.plan(replicaSet: rs, pods: [], now: now).createBatches.isEmpty)
    }
}

struct ControllerExpectationsTests {
    @Test func syncsWaitForTheirOwnWritesOrTheTimeout() {
        let now = Fixtures.now
        var expectations = ControllerExpectations()
        #expect(expectations.satisfied("default/web", now: now))
        expectations.expectCreations("default/web", count: 2, now: now)
        #expect(!expectations.satisfied("default/web", now: now))
        expectations.creationObserved("default/web")
        expectations.creationObserved("default/web")
        #expect(expectations.satisfied("default/web", now: now))
        expectations.expectDeletions("default/web", podKeys: ["default/a"], now: now)
        expectations.deletionObserved("default/web", podKey: "default/unrelated")
        #expect(!expectations.satisfied("default/web", now: now))
        #expect(expectations.satisfied("default/web", now: now.adding(seconds: 301)), "expired")
        expectations.deletionObserved("default/web", podKey: "default/a")
        expectations.deletionObserved("default/web", podKey: "default/a")
        #expect(expectations.satisfied("default/web", now: now))
    }
}

struct EventRoutingTests {
    @Test func podEventsWakeTheirControllerOrTheReplicaSetsThatCouldAdoptThem() {
        let web = Fixtures.replicaSet("web", uid: "web-uid")
        let api = Fixtures.replicaSet("api", uid: "api-uid", labels: ["app": "api"])
        let owned = Fixtures.pod("p", owner: Fixtures.ownerRef(web))
        #expect(EventRouting.keys(for: owned, ownerKind: "ReplicaSet", owners: [web, api]) == ["default/web"])
        #expect(EventRouting.keys(for: Fixtures.pod("orphan"), ownerKind: "ReplicaSet", owners: [web, api]) == ["default/web"])
        var stale = Fixtures.replicaSet("web", uid: "new-uid")
        stale[path: ["metadata", "generation"]] = 2
        #expect(EventRouting.keys(for: owned, ownerKind: "ReplicaSet", owners: [stale]).isEmpty, "a namesake is not the owner")
        let moved = Fixtures.pod("p", owner: Fixtures.ownerRef(api))
        #expect(EventRouting.keys(for: moved, previous: owned, ownerKind: "ReplicaSet", owners: [web, api]) == ["default/web", "default/api"])
        #expect(EventRouting.keys(for: owned, ownerKind: "DaemonSet", owners: [web]).isEmpty)
    }
}
