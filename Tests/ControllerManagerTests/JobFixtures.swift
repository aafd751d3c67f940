import KubeAPI
@testable import ControllerManager

/// Jobs and their pods as the API server and kubelet would show them.
enum JobFixtures {
    static let uid = "job-uid"

    /// A Job with a server-generated selector and template labels.
    static func job(_ name: String = "pi", completions: Int? = 1, parallelism: Int = 1, backoffLimit: Int = 6,
                    mode: String = "NonIndexed", suspend: Bool = false, activeDeadlineSeconds: Int64? = nil,
                    restartPolicy: String = "Never", status: JSONValue? = nil) -> JSONValue {
        var job: JSONValue = [
            "apiVersion": "batch/v1", "kind": "Job",
            "metadata": ["name": .string(name), "namespace": "default", "uid": .string(uid), "resourceVersion": "1"],
            "spec": ["parallelism": .integer(Int64(parallelism)), "backoffLimit": .integer(Int64(backoffLimit)),
                     "completionMode": .string(mode), "suspend": .bool(suspend), "podReplacementPolicy": "TerminatingOrFailed",
                     "selector": ["matchLabels": ["batch.kubernetes.io/controller-uid": .string(uid)]],
                     "template": ["metadata": ["labels": ["batch.kubernetes.io/controller-uid": .string(uid),
                                                          "batch.kubernetes.io/job-name": .string(name)]],
                                  "spec": ["restartPolicy": .string(restartPolicy),
                                           "containers": [["name": "c", "image": "busybox"]]]]],
        ]
        if let completions { job[path: ["spec", "completions"]] = .integer(Int64(completions)) }
        if let activeDeadlineSeconds { job[path: ["spec", "activeDeadlineSeconds"]] = .integer(activeDeadlineSeconds) }
        if let status { job["status"] = status }
        return job
    }

    /// A pod of `job` in `phase`, carrying the tracking finalizer unless told otherwise.
    static func pod(_ name: String, of job: JSONValue = job(), phase: String = "Running", ready: Bool = false,
                    index: Int? = nil, finalizer: Bool = true, deleting: Bool = false, createdAgo: Int64 = 600,
                    restarts: Int = 0) -> JSONValue {
        var pod = Fixtures.pod(name, labels: ["batch.kubernetes.io/controller-uid": uid, "batch.kubernetes.io/job-name": "pi"],
                               phase: phase, ready: ready, createdAgo: createdAgo, owner: Fixtures.ownerRef(job, kind: .job),
                               restarts: restarts, deleting: deleting)
        if finalizer { pod.metadata.finalizers = [JobPods.trackingFinalizer] }
        if let index { pod.metadata.annotations[JobPods.completionIndexKey] = String(index) }
        return pod
    }

    static func condition(_ job: JSONValue, _ type: String) -> JSONValue? {
        JobView(job).conditions.first { $0["type"]?.string == type }
    }

    static func conditionTypes(_ status: JSONValue?) -> [String] {
        (status?["conditions"]?.array ?? []).compactMap { $0["type"]?.string }
    }

    static func createdPods(_ plan: JobPlan) -> [JSONValue] {
        plan.creations.compactMap { if case .create(let pod) = $0 { pod } else { nil } }
    }

    /// A sync whose finalizer removals all go through: the plan and the status as it ends up stored.
    static func sync(_ job: JSONValue, pods: [JSONValue], sync: JobSync = JobSync(), pending: Set<String> = [],
                     now: KubeTime = Fixtures.now) -> (plan: JobPlan, status: JSONValue?, events: [ControllerEvent]) {
        let plan = sync.plan(job: job, pods: pods, pendingFinalizerRemovals: pending, now: now)
        let done = sync.finish(plan, removed: Set(plan.finalizerRemovals.map(\.uid)), now: now)
        return (plan, done.status ?? plan.flush ?? job["status"], plan.events + done.events)
    }
}

/// The job controller, its pods' finalizers and a kubelet that runs each pod to the phase `outcome` picks, all in a
/// `FakeCluster`: deletes of pods with finalizers only mark them, as the API server does.
struct JobCluster {
    var cluster = FakeCluster()
    var backoff = JobBackoff()
    /// The phase a running pod ends in, nil to keep it running.
    var outcome: (JSONValue) -> String?
    var maxActive = 0

    init(outcome: @escaping (JSONValue) -> String?) { self.outcome = outcome }

    var job: JSONValue? { cluster.get("Job", "pi") }

    /// Creates `job` and runs the cluster until nothing changes.
    static func run(_ job: JSONValue, outcome: @escaping (JSONValue) -> String?) throws -> JobCluster {
        var sim = JobCluster(outcome: outcome)
        var job = job
        job["status"] = nil
        try sim.cluster.apply(.create(job))
        try sim.settle()
        return sim
    }

    /// One sync of every Job and one kubelet pass; answers how many API calls the sync made (a sync waiting for a
    /// back-off to pass counts as one, so `settle` waits it out).
    mutating func round() throws -> Int {
        var calls = 0
        for job in cluster.list("Job") {
            let sync = JobSync()
            let plan = sync.plan(job: job, pods: cluster.list("Pod"), backoff: backoff, now: cluster.now)
            for action in plan.claim + plan.deletions + plan.creations { try apply(action) }
            calls += plan.claim.count + plan.deletions.count + plan.creations.count
            var stored = job
            if let flush = plan.flush {
                stored["status"] = flush
                try cluster.apply(.updateStatus(stored))
                guard let written = cluster.get("Job", job.metadata.name ?? "") else { throw FakeCluster.Failure(description: "job gone") }
                stored = written
                calls += 1
            }
            backoff = plan.backoff
            for removal in plan.finalizerRemovals { try apply(removal.action) }
            calls += plan.finalizerRemovals.count
            if plan.requeueAfterSeconds != nil { calls += 1 }
            let done = sync.finish(plan, removed: Set(plan.finalizerRemovals.map(\.uid)), now: cluster.now)
            if let status = done.status {
                stored["status"] = status
                try cluster.apply(.updateStatus(stored))
                calls += 1
            }
        }
        kubelet()
        maxActive = max(maxActive, cluster.list("Pod").filter { PodView($0).isActive }.count)
        cluster.now = cluster.now.adding(seconds: 5)
        return calls
    }

    /// Rounds until one makes no call.
    mutating func settle(limit: Int = 80) throws {
        for _ in 0..<limit where try round() == 0 { return }
        throw FakeCluster.Failure(description: "did not settle in \(limit) rounds")
    }

    /// The API server's side of a delete and of a finalizer patch: a pod with finalizers is only marked, and goes
    /// once the last finalizer is off.
    mutating func apply(_ action: ControllerAction) throws {
        switch action {
        case .delete(let ref, _, _) where ref.kind == .pod:
            let key = FakeCluster.key("Pod", ref.namespace, ref.name)
            guard var pod = cluster.objects[key] else { return }
            if pod.metadata.finalizers.isEmpty {
                cluster.objects[key] = nil
            } else {
                pod[path: ["metadata", "deletionTimestamp"]] = .string(cluster.now.rfc3339)
                cluster.objects[key] = pod
            }
        case .patch(let ref, _, _) where ref.kind == .pod:
            guard cluster.objects[FakeCluster.key("Pod", ref.namespace, ref.name)] != nil else { return }
            try cluster.apply(action)
            let key = FakeCluster.key("Pod", ref.namespace, ref.name)
            if let pod = cluster.objects[key], pod.metadata.isBeingDeleted, pod.metadata.finalizers.isEmpty { cluster.objects[key] = nil }
        default:
            try cluster.apply(action)
        }
    }

    /// Pending pods start; running ones end as `outcome` says; deleted ones stop (phase Failed) and go once no
    /// finalizer holds them.
    mutating func kubelet() {
        for (key, var pod) in cluster.objects where key.hasPrefix("Pod/") {
            let phase = PodView(pod).phase
            if pod.metadata.isBeingDeleted {
                if pod.metadata.finalizers.isEmpty { cluster.objects[key] = nil; continue }
                if phase != "Succeeded" { pod[path: ["status", "phase"]] = "Failed" }
            } else if phase == "Pending" || phase.isEmpty {
                pod["status"] = ["phase": "Running", "conditions": [["type": "Ready", "status": "True",
                                                                       "lastTransitionTime": .string(cluster.now.rfc3339)]]]
            } else if phase == "Running", let end = outcome(pod) {
                pod["status"] = ["phase": .string(end), "conditions": [["type": "Ready", "status": "False",
                                                                          "lastTransitionTime": .string(cluster.now.rfc3339)]]]
            }
            cluster.objects[key] = pod
        }
    }
}
