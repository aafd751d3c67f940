import KubeAPI
import Testing
@testable import ControllerManager

struct DaemonSetTests {
    let sync = DaemonSetSync()
    let now = Fixtures.now

    static func node(_ name: String, labels: [String: String] = [:], taints: [JSONValue] = []) -> JSONValue {
        var labelObject: JSONValue = ["kubernetes.io/hostname": .string(name)]
        for (key, value) in labels { labelObject[key] = .string(value) }
        return ["apiVersion": "v1", "kind": "Node", "metadata": ["name": .string(name), "labels": labelObject],
                "spec": ["taints": .array(taints)]]
    }

    static func daemonSet(maxUnavailable: JSONValue = 1, maxSurge: JSONValue = 0, spec: JSONValue = .emptyObject, generation: Int64 = 1,
                          status: JSONValue = .emptyObject) -> JSONValue {
        var podSpec = spec
        podSpec["containers"] = [["name": "agent", "image": "agent:v1"]]
        return ["apiVersion": "apps/v1", "kind": "DaemonSet",
                "metadata": ["name": "agent", "namespace": "kube-system", "uid": "ds-uid", "generation": .integer(generation)],
                "spec": ["selector": ["matchLabels": ["app": "agent"]],
                         "template": ["metadata": ["labels": ["app": "agent"]], "spec": podSpec],
                         "updateStrategy": ["type": "RollingUpdate", "rollingUpdate": ["maxUnavailable": maxUnavailable, "maxSurge": maxSurge]],
                         "revisionHistoryLimit": 10],
                "status": status]
    }

    /// The revision the DaemonSet's template gets, as the controller would create it.
    static func revision(_ ds: JSONValue, number: Int64 = 1) -> JSONValue {
        var revision = DaemonSetHistory.snapshot(ds, number: number)
        revision[path: ["metadata", "uid"]] = "rev-uid"
        return revision
    }

    static func daemonPod(_ name: String, node: String, hash: String, ready: Bool = true, readyFor: Int64 = 3600, phase: String = "Running",
                          createdAgo: Int64 = 7200) -> JSONValue {
        var pod = Fixtures.pod(name, namespace: "kube-system", labels: ["app": "agent", "controller-revision-hash": hash], node: node,
                               phase: phase, ready: ready, readyFor: readyFor, createdAgo: createdAgo,
                               owner: OwnerReference(apiVersion: "apps/v1", kind: "DaemonSet", name: "agent", uid: "ds-uid",
                                                     controller: true, blockOwnerDeletion: true))
        pod[path: ["metadata", "uid"]] = .string("uid-" + name)
        return pod
    }

    static func createdNodes(_ plan: DaemonSetPlan) -> [String] {
        plan.createBatches.flatMap { $0 }.compactMap { action -> String? in
            guard case .create(let pod) = action else { return nil }
            return DaemonPods.targetNodeName(pod)
        }
    }

    @Test func taintsTolerationsAndSelectorsDecideEligibility() {
        let ds = Self.daemonSet(spec: ["nodeSelector": ["role": "worker"]])
        let cases: [(JSONValue, Bool, Bool)] = [
            (Self.node("plain", labels: ["role": "worker"]), true, true),
            (Self.node("other-role", labels: ["role": "db"]), false, false),
            (Self.node("cordoned", labels: ["role": "worker"], taints: [["key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"]]), true, true),
            (Self.node("not-ready", labels: ["role": "worker"], taints: [["key": "node.kubernetes.io/not-ready", "effect": "NoExecute"]]), true, true),
            (Self.node("memory", labels: ["role": "worker"], taints: [["key": "node.kubernetes.io/memory-pressure", "effect": "NoSchedule"]]), true, true),
            (Self.node("dedicated", labels: ["role": "worker"], taints: [["key": "dedicated", "value": "gpu", "effect": "NoSchedule"]]), false, true),
            (Self.node("evicting", labels: ["role": "worker"], taints: [["key": "dedicated", "value": "gpu", "effect": "NoExecute"]]), false, false),
            (Self.node("network", labels: ["role": "worker"], taints: [["key": "node.kubernetes.io/network-unavailable", "effect": "NoSchedule"]]), false, true),
            (Self.node("soft", labels: ["role": "worker"], taints: [["key": "x", "effect": "PreferNoSchedule"]]), true, true),
        ]
        for (node, shouldRun, shouldContinue) in cases {
            let verdict = NodeEligibility.evaluate(node: node, daemonSet: ds)
            #expect(verdict.shouldRun == shouldRun && verdict.shouldContinueRunning == shouldContinue, "\(node.metadata.name ?? "")")
        }
        let hostNetwork = Self.daemonSet(spec: ["hostNetwork": true])
        #expect(NodeEligibility.evaluate(node: Self.node("network", taints: [["key": "node.kubernetes.io/network-unavailable", "effect": "NoSchedule"]]),
                                         daemonSet: hostNetwork).shouldRun)
        let tolerant = Self.daemonSet(spec: ["tolerations": [["key": "dedicated", "operator": "Equal", "value": "gpu"]]])
        #expect(NodeEligibility.evaluate(node: Self.node("evicting", taints: [["key": "dedicated", "value": "gpu", "effect": "NoExecute"]]),
                                         daemonSet: tolerant).shouldRun)
        let affinity: JSONValue = ["nodeAffinity": ["requiredDuringSchedulingIgnoredDuringExecution": ["nodeSelectorTerms": [
            ["matchExpressions": [["key": "zone", "operator": "In", "values": ["a"]]]],
            ["matchFields": [["key": "metadata.name", "operator": "In", "values": ["special"]]]],
        ]]]]
        let pinned = Self.daemonSet(spec: ["affinity": affinity])
        #expect(NodeEligibility.evaluate(node: Self.node("n", labels: ["zone": "a"]), daemonSet: pinned).shouldRun)
        #expect(NodeEligibility.evaluate(node: Self.node("special"), daemonSet: pinned).shouldRun)
        #expect(!NodeEligibility.evaluate(node: Self.node("n", labels: ["zone": "b"]), daemonSet: pinned).shouldRun)
        #expect(!NodeEligibility.evaluate(node: Self.node("n"), daemonSet: Self.daemonSet(spec: ["nodeName": "m"])).shouldRun)
    }

    @Test func daemonTolerationsAreAddedOnceAndUpdated() {
        var spec: JSONValue = ["tolerations": [["key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300]]]
        DaemonTolerations.add(to: &spec)
        let tolerations = spec["tolerations"]?.array ?? []
        #expect(tolerations.count == 6)
        #expect(tolerations[0] == ["key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute"], "replaced: no tolerationSeconds")
        DaemonTolerations.add(to: &spec)
        #expect(spec["tolerations"]?.array?.count == 6)
    }

    @Test func createsOnePodPerEligibleNodePinnedByAffinity() throws {
        let ds = Self.daemonSet(spec: ["affinity": ["nodeAffinity": ["preferredDuringSchedulingIgnoredDuringExecution": [["weight": 1, "preference": ["matchExpressions": []]]],
                                                                     "requiredDuringSchedulingIgnoredDuringExecution": ["nodeSelectorTerms": [["matchExpressions": [["key": "kubernetes.io/os", "operator": "Exists"]]]]]]]])
        let nodes = ["a", "b", "c"].map { Self.node($0, labels: ["kubernetes.io/os": "linux"]) } + [Self.node("windowsless")]
        let plan = sync.plan(daemonSet: ds, nodes: nodes, pods: [], revisions: [], now: now)
        guard case .create(let revision) = try #require(plan.history.first) else { Issue.record("a revision is created"); return }
        let hash = TemplateHash.compute(ds[path: ["spec", "template"]] ?? .emptyObject)
        #expect(revision.metadata.name == "agent-\(hash)")
        #expect(revision["revision"] == 1)
        #expect(revision.metadata.labels == ["app": "agent", "controller-revision-hash": hash])
        #expect(revision["data"]?[path: ["spec", "template", "$patch"]] == "replace")
        #expect(plan.hash == hash)
        #expect(Self.createdNodes(plan) == ["a", "b", "c"])
        #expect(plan.createBatches.map(\.count) == [1, 2])
        guard case .create(let pod) = plan.createBatches[0][0] else { return }
        #expect(pod.metadata.generateName == "agent-")
        #expect(pod.metadata.labels["controller-revision-hash"] == hash)
        #expect(pod[path: ["spec", "affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution"]] ==
                ["nodeSelectorTerms": [["matchFields": [["key": "metadata.name", "operator": "In", "values": ["a"]]]]]])
        #expect(pod[path: ["spec", "affinity", "nodeAffinity", "preferredDuringSchedulingIgnoredDuringExecution"]] != nil)
        #expect(pod[path: ["spec", "tolerations"]]?.array?.count == 6)
        guard case .updateStatus(let written) = plan.statusUpdate else { Issue.record("status"); return }
        #expect(written["status"] == ["currentNumberScheduled": 0, "numberMisscheduled": 0, "desiredNumberScheduled": 3, "numberReady": 0,
                                      "observedGeneration": 1, "numberUnavailable": 3])
    }

    @Test func deletesDuplicatesFailedPodsAndPodsOnIneligibleOrVanishedNodes() {
        let ds = Self.daemonSet(spec: ["nodeSelector": ["role": "worker"]])
        let hash = Self.revision(ds).metadata.labels["controller-revision-hash"] ?? ""
        let nodes = [Self.node("a", labels: ["role": "worker"]), Self.node("b", labels: ["role": "worker"]), Self.node("c")]
        var unscheduledOnGone = Self.daemonPod("ghost", node: "x", hash: hash)
        unscheduledOnGone[path: ["spec", "nodeName"]] = nil
        unscheduledOnGone[path: ["spec", "affinity"]] = ["nodeAffinity": ["requiredDuringSchedulingIgnoredDuringExecution": ["nodeSelectorTerms": [
            ["matchFields": [["key": "metadata.name", "operator": "In", "values": ["gone"]]]]]]]]
        let pods = [
            Self.daemonPod("a-old", node: "a", hash: hash, createdAgo: 9000), Self.daemonPod("a-dup", node: "a", hash: hash, createdAgo: 100),
            Self.daemonPod("b-failed", node: "b", hash: hash, ready: false, phase: "Failed"),
            Self.daemonPod("c-misplaced", node: "c", hash: hash),
            unscheduledOnGone,
        ]
        let plan = sync.plan(daemonSet: ds, nodes: nodes, pods: pods, revisions: [Self.revision(ds)], now: now)
        #expect(Fixtures.deletedNames(plan.deletions) == ["a-dup", "b-failed", "c-misplaced", "ghost"])
        #expect(Self.createdNodes(plan).isEmpty, "b's replacement comes next sync, once the failed pod is gone")
        #expect(plan.failedPodNodes == ["b"])
        let backedOff = sync.plan(daemonSet: ds, nodes: nodes, pods: pods, revisions: [Self.revision(ds)], failedPodBackoff: ["b"], now: now)
        #expect(Fixtures.deletedNames(backedOff.deletions) == ["a-dup", "c-misplaced", "ghost"])
        #expect(backedOff.backedOffNodes == ["b"])
        guard case .updateStatus(let written) = plan.statusUpdate else { Issue.record("status"); return }
        #expect(written["status"]?["numberMisscheduled"] == 1)
        #expect(written["status"]?["currentNumberScheduled"] == 2)
        #expect(written["status"]?["numberReady"] == 1, "b's only pod failed")
    }

    @Test func rollingUpdateReplacesWithinMaxUnavailable() {
        let v1 = Self.daemonSet()
        let oldRevision = Self.revision(v1)
        let oldHash = oldRevision.metadata.labels["controller-revision-hash"] ?? ""
        var v2 = Self.daemonSet(maxUnavailable: "50%", generation: 2)
        v2[path: ["spec", "template", "spec", "containers"]] = [["name": "agent", "image": "agent:v2"]]
        let nodes = ["a", "b", "c", "d"].map { Self.node($0) }
        let pods = ["a", "b", "c", "d"].map { Self.daemonPod("p-\($0)", node: $0, hash: oldHash) }
        let plan = sync.plan(daemonSet: v2, nodes: nodes, pods: pods, revisions: [oldRevision], now: now)
        guard case .create(let newRevision) = plan.history.first else { Issue.record("new revision"); return }
        #expect(newRevision["revision"] == 2)
        #expect(plan.hash != oldHash)
        // 50% of 4 nodes: two old pods go at once; the manage loop recreates them next sync.
        #expect(Fixtures.deletedNames(plan.deletions) == ["p-a", "p-b"])
        #expect(plan.createBatches.isEmpty)
        // Next sync: a and b run new pods that are not ready yet, so no further old pod may go.
        let replaced = [Self.daemonPod("n-a", node: "a", hash: plan.hash, ready: false), Self.daemonPod("n-b", node: "b", hash: plan.hash, ready: false),
                        pods[2], pods[3]]
        let revisions = [oldRevision, { var r = newRevision; r[path: ["metadata", "uid"]] = "rev2"; return r }()]
        let waiting = sync.plan(daemonSet: v2, nodes: nodes, pods: replaced, revisions: revisions, now: now)
        #expect(waiting.deletions.isEmpty)
        guard case .updateStatus(let written) = waiting.statusUpdate else { Issue.record("status"); return }
        #expect(written["status"]?["updatedNumberScheduled"] == 2)
        #expect(written["status"]?["numberAvailable"] == 2)
    }

    @Test func surgeCreatesNewPodsBesideAvailableOldOnes() {
        let v1 = Self.daemonSet()
        let oldRevision = Self.revision(v1)
        let oldHash = oldRevision.metadata.labels["controller-revision-hash"] ?? ""
        var v2 = Self.daemonSet(maxUnavailable: 0, maxSurge: 1, generation: 2)
        v2[path: ["spec", "template", "spec", "containers"]] = [["name": "agent", "image": "agent:v2"]]
        let nodes = ["a", "b"].map { Self.node($0) }
        let pods = ["a", "b"].map { Self.daemonPod("p-\($0)", node: $0, hash: oldHash) }
        let plan = sync.plan(daemonSet: v2, nodes: nodes, pods: pods, revisions: [oldRevision], now: now)
        #expect(Self.createdNodes(plan) == ["a"])
        #expect(plan.deletions.isEmpty)
        // Once the surge pod on a is available, the old one there goes.
        let surged = pods + [Self.daemonPod("n-a", node: "a", hash: plan.hash, createdAgo: 60)]
        guard case .create(var current) = plan.history.first else { return }
        current[path: ["metadata", "uid"]] = "rev2"
        let next = sync.plan(daemonSet: v2, nodes: nodes, pods: surged, revisions: [oldRevision, current], now: now)
        #expect(Fixtures.deletedNames(next.deletions) == ["p-a"])
    }

    @Test func historyBeyondTheLimitIsPrunedUnlessPodsStillUseIt() {
        var ds = Self.daemonSet()
        ds[path: ["spec", "revisionHistoryLimit"]] = 1
        let current = Self.revision(ds, number: 5)
        let old = (1...3).map { n -> JSONValue in
            var revision = Self.revision(ds, number: Int64(n))
            revision[path: ["metadata", "name"]] = .string("agent-old\(n)")
            revision[path: ["metadata", "uid"]] = .string("old\(n)")
            revision[path: ["metadata", "labels", "controller-revision-hash"]] = .string("old\(n)")
            revision[path: ["data", "spec", "template", "spec", "containers"]] = [["name": "agent", "image": .string("agent:v0.\(n)")]]
            return revision
        }
        let pod = Self.daemonPod("p", node: "a", hash: "old1")
        let plan = sync.plan(daemonSet: ds, nodes: [Self.node("a")], pods: [pod], revisions: old + [current], now: now)
        #expect(Fixtures.deletedNames(plan.cleanup) == ["agent-old2", "agent-old3"], "old1 is still worn by a pod")
    }
}

struct DaemonSetHistoryTests {
    @Test func duplicateCurrentRevisionsAreMergedIntoTheNewest() {
        let ds = DaemonSetTests.daemonSet()
        var first = DaemonSetTests.revision(ds, number: 2)
        first[path: ["metadata", "name"]] = "agent-first"
        first[path: ["metadata", "labels", "controller-revision-hash"]] = "first"
        var second = DaemonSetTests.revision(ds, number: 3)
        second[path: ["metadata", "name"]] = "agent-second"
        second[path: ["metadata", "labels", "controller-revision-hash"]] = "second"
        var unlabeled = DaemonSetTests.revision(ds, number: 1)
        unlabeled[path: ["metadata", "name"]] = "agent-legacy"
        unlabeled[path: ["metadata", "labels", "controller-revision-hash"]] = nil
        unlabeled[path: ["data", "spec", "template", "spec", "containers"]] = [["name": "agent", "image": "agent:v0"]]
        let pod = DaemonSetTests.daemonPod("p", node: "a", hash: "first")
        let outcome = DaemonSetHistory.construct(ds, owned: [first, second, unlabeled], namespaceRevisions: [first, second, unlabeled], pods: [pod])
        #expect(outcome.hash == "second")
        #expect(outcome.old.map { $0.metadata.labels["controller-revision-hash"] } == ["agent-legacy"], "the name stands in for a missing hash")
        #expect(outcome.actions.contains(.patch(ObjectRef(pod, kind: .pod), .merge, ["metadata": ["labels": ["controller-revision-hash": "second"]]])))
        #expect(Fixtures.deletedNames(outcome.actions) == ["agent-first"])
    }
}
