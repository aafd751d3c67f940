import KubeAPI
import Testing
@testable import ControllerManager

/// StatefulSetSync against the in-memory cluster: ordinal names, ordered creation and removal, claims that outlive
/// pods, rolling updates from the top ordinal down to the partition.
struct StatefulSetTests {
    static func statefulSet(replicas: Int = 3, policy: String = "OrderedReady", image: String = "web:v1",
                            partition: Int? = nil, whenScaled: String = "Retain") -> JSONValue {
        var set: JSONValue = [
            "apiVersion": "apps/v1", "kind": "StatefulSet",
            "metadata": ["name": "web", "namespace": "default"],
            "spec": ["replicas": .integer(Int64(replicas)), "serviceName": "nginx", "podManagementPolicy": .string(policy),
                     "selector": ["matchLabels": ["app": "web"]],
                     "updateStrategy": ["type": "RollingUpdate", "rollingUpdate": ["partition": .integer(Int64(partition ?? 0))]],
                     "persistentVolumeClaimRetentionPolicy": ["whenDeleted": "Retain", "whenScaled": .string(whenScaled)],
                     "template": ["metadata": ["labels": ["app": "web"]],
                                  "spec": ["containers": [["name": "c", "image": .string(image)]]]],
                     "volumeClaimTemplates": [["metadata": ["name": "www"],
                                               "spec": ["accessModes": ["ReadWriteOnce"], "resources": ["requests": ["storage": "1Gi"]]]]]],
        ]
        if partition == nil { set[path: ["spec", "updateStrategy", "rollingUpdate"]] = nil }
        return set
    }

    /// One StatefulSet sync applied to the cluster; returns the plan.
    @discardableResult
    static func sync(_ cluster: inout FakeCluster) throws -> StatefulSetPlan {
        let set = try #require(cluster.get("StatefulSet", "web"))
        let plan = StatefulSetSync().plan(set: set, pods: cluster.list("Pod"), claims: cluster.list("PersistentVolumeClaim"),
                                          revisions: cluster.list("ControllerRevision"), now: cluster.now)
        for action in plan.claim + plan.history + plan.steps + plan.cleanup { try cluster.apply(action) }
        if let status = plan.statusUpdate { try cluster.apply(status) }
        return plan
    }

    static func podNames(_ cluster: FakeCluster) -> [String] { Fixtures.names(cluster.list("Pod")).sorted() }

    /// Makes one pod Running and Ready (the kubelet's part).
    static func ready(_ cluster: inout FakeCluster, _ name: String) throws {
        var pod = try #require(cluster.get("Pod", name))
        pod["status"] = ["phase": "Running", "conditions": [["type": "Ready", "status": "True", "lastTransitionTime": .string(cluster.now.rfc3339)]]]
        cluster.objects[FakeCluster.key("Pod", "default", name)] = pod
    }

    static func start(_ set: JSONValue) throws -> FakeCluster {
        var cluster = FakeCluster()
        try cluster.apply(.create(set))
        return cluster
    }

    @Test func orderedReadyCreatesOnePodAtATimeEachAfterThePreviousIsReady() throws {
        var cluster = try Self.start(Self.statefulSet())
        try Self.sync(&cluster)
        #expect(Self.podNames(cluster) == ["web-0"])
        #expect(Fixtures.names(cluster.list("PersistentVolumeClaim")) == ["www-web-0"])
        // web-0 is Pending: nothing more happens however often the set syncs.
        for _ in 0..<3 { try Self.sync(&cluster) }
        #expect(Self.podNames(cluster) == ["web-0"])
        try Self.ready(&cluster, "web-0")
        let plan = try Self.sync(&cluster)
        #expect(Self.podNames(cluster) == ["web-0", "web-1"])
        #expect(plan.events.map(\.message).contains("create Pod web-1 in StatefulSet web successful"))
        try Self.ready(&cluster, "web-1")
        try Self.sync(&cluster)
        try Self.ready(&cluster, "web-2")
        try Self.sync(&cluster)
        #expect(Self.podNames(cluster) == ["web-0", "web-1", "web-2"])
        #expect(Fixtures.names(cluster.list("PersistentVolumeClaim")).sorted() == ["www-web-0", "www-web-1", "www-web-2"])

        let pod = try #require(cluster.get("Pod", "web-1"))
        #expect(pod[path: ["spec", "hostname"]] == "web-1")
        #expect(pod[path: ["spec", "subdomain"]] == "nginx")
        #expect(pod.metadata.labels[StatefulSetIdentity.podNameLabel] == "web-1")
        #expect(pod.metadata.labels[StatefulSetIdentity.podIndexLabel] == "1")
        #expect(pod[path: ["spec", "volumes"]] == [["name": "www", "persistentVolumeClaim": ["claimName": "www-web-1"]]])
        #expect(ControllerRef.of(pod)?.kind == "StatefulSet")
        let claim = try #require(cluster.get("PersistentVolumeClaim", "www-web-1"))
        #expect(claim.metadata.labels["app"] == "web")
        #expect(claim.metadata.ownerReferences.isEmpty)

        let set = try #require(cluster.get("StatefulSet", "web"))
        let status = try #require(set["status"])
        #expect(status["replicas"] == 3 && status["readyReplicas"] == 3 && status["updatedReplicas"] == 3 && status["currentReplicas"] == 3)
        #expect(status["currentRevision"] == status["updateRevision"])
        #expect(pod.metadata.labels[StatefulSetIdentity.revisionLabel] == status["updateRevision"]?.string)
    }

    @Test func parallelCreatesEveryPodAtOnce() throws {
        var cluster = try Self.start(Self.statefulSet(policy: "Parallel"))
        try Self.sync(&cluster)
        #expect(Self.podNames(cluster) == ["web-0", "web-1", "web-2"])
    }

    @Test func scalingDownRemovesTheHighestOrdinalFirstAndKeepsClaims() throws {
        var cluster = try Self.start(Self.statefulSet())
        for name in ["web-0", "web-1", "web-2"] {
            try Self.sync(&cluster)
            try Self.ready(&cluster, name)
        }
        var set = try #require(cluster.get("StatefulSet", "web"))
        set[path: ["spec", "replicas"]] = 1
        try cluster.apply(.update(set))
        // The deleted pod lingers while it terminates: OrderedReady waits for it before the next one.
        let plan = StatefulSetSync().plan(set: try #require(cluster.get("StatefulSet", "web")), pods: cluster.list("Pod"),
                                          claims: cluster.list("PersistentVolumeClaim"), revisions: cluster.list("ControllerRevision"), now: cluster.now)
        #expect(Fixtures.deletedNames(plan.steps) == ["web-2"])
        var terminating = try #require(cluster.get("Pod", "web-2"))
        terminating.metadata.fields["deletionTimestamp"] = .string(cluster.now.rfc3339)
        let waiting = StatefulSetSync().plan(set: try #require(cluster.get("StatefulSet", "web")),
                                             pods: cluster.list("Pod").filter { $0.metadata.name != "web-2" } + [terminating],
                                             claims: cluster.list("PersistentVolumeClaim"), revisions: cluster.list("ControllerRevision"), now: cluster.now)
        #expect(Fixtures.deletedNames(waiting.steps).isEmpty)
        #expect(waiting.waiting == "waiting for web-2 to terminate")
        try Self.sync(&cluster)
        #expect(Self.podNames(cluster) == ["web-0", "web-1"])
        try Self.sync(&cluster)
        #expect(Self.podNames(cluster) == ["web-0"])
        #expect(Fixtures.names(cluster.list("PersistentVolumeClaim")).sorted() == ["www-web-0", "www-web-1", "www-web-2"])
    }

    @Test func whenScaledDeleteHandsTheClaimToThePodBeforeDeletingIt() throws {
        var cluster = try Self.start(Self.statefulSet(replicas: 2, policy: "Parallel", whenScaled: "Delete"))
        try Self.sync(&cluster)
        var set = try #require(cluster.get("StatefulSet", "web"))
        set[path: ["spec", "replicas"]] = 1
        try cluster.apply(.update(set))
        let pod = try #require(cluster.get("Pod", "web-1"))
        try Self.sync(&cluster)
        let claim = try #require(cluster.get("PersistentVolumeClaim", "www-web-1"))
        #expect(claim.metadata.ownerReferences.map(\.uid) == [pod.metadata.uid ?? ""])
        #expect(cluster.get("Pod", "web-1") == nil)
    }

    @Test func aFailedPodIsReplacedUnderTheSameNameOnTheSameClaim() throws {
        var cluster = try Self.start(Self.statefulSet(replicas: 2))
        for name in ["web-0", "web-1"] {
            try Self.sync(&cluster)
            try Self.ready(&cluster, name)
        }
        let first = try #require(cluster.get("Pod", "web-1"))
        var failed = first
        failed[path: ["status", "phase"]] = "Failed"
        cluster.objects[FakeCluster.key("Pod", "default", "web-1")] = failed
        let plan = try Self.sync(&cluster)
        #expect(Fixtures.deletedNames(plan.steps) == ["web-1"])
        try Self.sync(&cluster)
        let second = try #require(cluster.get("Pod", "web-1"))
        #expect(second.metadata.uid != first.metadata.uid)
        #expect(second[path: ["spec", "volumes"]]?.array?.first?[path: ["persistentVolumeClaim", "claimName"]] == "www-web-1")
        #expect(cluster.list("PersistentVolumeClaim").count == 2)
    }

    @Test func rollingUpdateGoesFromTheTopOrdinalDownToThePartition() throws {
        var cluster = try Self.start(Self.statefulSet(partition: 1))
        for name in ["web-0", "web-1", "web-2"] {
            try Self.sync(&cluster)
            try Self.ready(&cluster, name)
        }
        try Self.sync(&cluster)
        let before = try #require(cluster.get("StatefulSet", "web"))
        let oldRevision = try #require(before[path: ["status", "currentRevision"]]?.string)
        var set = before
        set[path: ["spec", "template", "spec", "containers"]] = [["name": "c", "image": "web:v2"]]
        try cluster.apply(.update(set))
        var deleted: [String] = []
        for _ in 0..<8 {
            let plan = try Self.sync(&cluster)
            deleted += Fixtures.deletedNames(plan.steps)
            for name in Self.podNames(cluster) where cluster.get("Pod", name)?[path: ["status", "phase"]]?.string != "Running" {
                try Self.ready(&cluster, name)
            }
        }
        #expect(deleted == ["web-2", "web-1"])
        let images = Self.podNames(cluster).map { cluster.get("Pod", $0)?[path: ["spec", "containers"]]?.array?.first?["image"]?.string ?? "" }
        #expect(images == ["web:v1", "web:v2", "web:v2"])
        let status = try #require(cluster.get("StatefulSet", "web")?["status"])
        #expect(status["currentRevision"]?.string == oldRevision)
        #expect(status["updateRevision"]?.string != oldRevision)
        #expect(status["updatedReplicas"] == 2 && status["currentReplicas"] == 1)
        #expect(cluster.list("ControllerRevision").count == 2)
    }

    @Test func podsOfOtherSetsAndStrayNamesAreNotClaimed() throws {
        var cluster = try Self.start(Self.statefulSet(replicas: 1))
        try cluster.apply(.create(Fixtures.pod("web-abc", labels: ["app": "web"])))
        try cluster.apply(.create(Fixtures.pod("webserver-0", labels: ["app": "web"])))
        let plan = try Self.sync(&cluster)
        #expect(plan.claim.isEmpty)
        #expect(Self.podNames(cluster) == ["web-0", "web-abc", "webserver-0"])
    }
}
