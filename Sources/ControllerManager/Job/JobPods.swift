import KubeAPI

/// The names and pod-level rules the job controller shares with its pods: the tracking finalizer, completion
/// indexes, what counts as a failure, when a pod finished, and the pods it creates from the template.
public enum JobPods {
    /// Keeps a finished pod around until the controller has counted it (upstream `batch.JobTrackingFinalizer`).
    public static let trackingFinalizer = "batch.kubernetes.io/job-tracking"
    /// The completion index of an Indexed Job's pod, as annotation and label.
    public static let completionIndexKey = "batch.kubernetes.io/job-completion-index"
    /// The environment variable that carries the index into every container.
    public static let completionIndexEnv = "JOB_COMPLETION_INDEX"
    /// Upstream `names.MaxGeneratedNameLength`: 63 minus the 5 random characters.
    public static let maxGeneratedNameLength = 58

    /// Whether the pod still carries the tracking finalizer (it has not been counted yet).
    /// - Parameters:
    ///   - pod: a pod.
    public static func hasTrackingFinalizer(_ pod: JSONValue) -> Bool {
        pod.metadata.finalizers.contains(trackingFinalizer)
    }

    /// The pod's completion index, nil when absent or not a non-negative integer (upstream `getCompletionIndex`).
    /// - Parameters:
    ///   - pod: a pod.
    public static func completionIndex(_ pod: JSONValue) -> Int? {
        guard let text = pod.metadata.annotations[completionIndexKey], let index = Int(text), index >= 0 else { return nil }
        return index
    }

    /// The index when it is a valid one for a Job with `completions`.
    /// - Parameters:
    ///   - pod: a pod.
    ///   - completions: `spec.completions`.
    static func validIndex(_ pod: JSONValue, completions: Int?) -> Int? {
        guard let index = completionIndex(pod), index < (completions ?? 0) else { return nil }
        return index
    }

    /// Upstream `isPodFailed`: phase Failed, or (unless only failed pods are replaced) deleted before it succeeded,
    /// which is how an orphaned or evicted pod that never reached a phase is counted.
    /// - Parameters:
    ///   - pod: a pod.
    ///   - job: its Job.
    public static func isFailed(_ pod: JSONValue, job: JobView) -> Bool {
        let phase = PodView(pod).phase
        if phase == "Failed" { return true }
        if job.onlyReplacesFailedPods { return false }
        return pod.metadata.isBeingDeleted && phase != "Succeeded"
    }

    /// Being deleted but not yet terminal (upstream `IsPodTerminating`).
    /// - Parameters:
    ///   - pod: a pod.
    public static func isTerminating(_ pod: JSONValue) -> Bool {
        !PodView(pod).isTerminal && pod.metadata.isBeingDeleted
    }

    /// When the pod finished (upstream `getFinishedTime`): the latest container finish when every container has one,
    /// else when Ready turned False, else the deletion time less the grace period, else its creation.
    /// - Parameters:
    ///   - pod: a finished pod.
    public static func finishedTime(_ pod: JSONValue) -> KubeTime {
        let statuses = pod[path: ["status", "containerStatuses"]]?.array ?? []
        let finishes = statuses.map { JobView.time($0[path: ["state", "terminated", "finishedAt"]]) }
        if !finishes.isEmpty, finishes.allSatisfy({ $0 != nil }), let latest = finishes.compactMap({ $0 }).max() { return latest }
        let ready = PodView(pod).readyCondition
        if ready?["status"]?.string == "False", let time = JobView.time(ready?["lastTransitionTime"]) { return time }
        if let deleted = pod.metadata.deletionTimestamp {
            return deleted.adding(seconds: -(pod.metadata.deletionGracePeriodSeconds ?? 0))
        }
        return pod.metadata.creationTimestamp ?? KubeTime(seconds: 0)
    }

    /// The merge patch that takes the tracking finalizer off a pod, nil when it has none (upstream
    /// `removeTrackingFinalizerPatch`).
    /// - Parameters:
    ///   - pod: a pod.
    public static func removeFinalizer(_ pod: JSONValue) -> ControllerAction? {
        guard hasTrackingFinalizer(pod) else { return nil }
        return .patch(ObjectRef(pod, kind: .pod), .strategicMerge,
                      ["metadata": ["$deleteFromPrimitiveList/finalizers": [.string(trackingFinalizer)]]])
    }

    /// The finalizer removal for a pod no running Job will count (upstream `syncOrphanPod`): it has no controller,
    /// or its controlling Job is gone (or replaced by a namesake) or finished. Pods of other controllers, of Jobs
    /// another controller manages, and of running Jobs are left alone.
    /// - Parameters:
    ///   - pod: a pod with the tracking finalizer.
    ///   - owner: the Job named by the pod's controller reference, if the cache has one by that name.
    public static func orphanFinalizerRemoval(_ pod: JSONValue, owner: JSONValue?) -> ControllerAction? {
        guard hasTrackingFinalizer(pod) else { return nil }
        if let ref = ControllerRef.of(pod) {
            guard ref.kind == ResourceKind.job.kind, ref.apiVersion == ResourceKind.job.apiVersion else { return nil }
            if let owner, owner.metadata.uid == ref.uid {
                let job = JobView(owner)
                if job.externalManager != nil || !job.isFinished { return nil }
            }
        }
        return removeFinalizer(pod)
    }

    /// The pod the Job creates (upstream `manageJob`): the template with the controller reference and the tracking
    /// finalizer; for an Indexed Job also the index annotation and label, `JOB_COMPLETION_INDEX` in every container
    /// (read from the label through the downward API), hostname `<job>-<index>` and generateName `<job>-<index>-`.
    /// - Parameters:
    ///   - job: the Job.
    ///   - index: the completion index, for Indexed Jobs.
    public static func pod(for job: JSONValue, index: Int?) -> JSONValue {
        let template = job[path: ["spec", "template"]] ?? .emptyObject
        var pod = PodTemplate.pod(from: template, owner: job, ownerKind: .job)
        var meta = pod.metadata
        if !meta.finalizers.contains(trackingFinalizer) { meta.finalizers.append(trackingFinalizer) }
        if let index {
            let name = job.metadata.name ?? ""
            meta.annotations[completionIndexKey] = String(index)
            meta.labels[completionIndexKey] = String(index)
            meta.generateName = generateName(job: name, index: index)
            pod[path: ["spec", "hostname"]] = .string("\(name)-\(index)")
            for field in ["initContainers", "containers"] {
                guard let containers = pod[path: ["spec", field]]?.array else { continue }
                pod[path: ["spec", field]] = .array(containers.map(withIndexEnvironment))
            }
        }
        pod.metadata = meta
        return pod
    }

    /// "<job>-<index>-", the job name cut short when the prefix would leave no room for the random suffix
    /// (upstream `podGenerateNameWithIndex`).
    /// - Parameters:
    ///   - job: the Job's name.
    ///   - index: the completion index.
    public static func generateName(job: String, index: Int) -> String {
        let suffix = "-\(index)-"
        let prefix = job + suffix
        guard prefix.utf8.count > maxGeneratedNameLength else { return prefix }
        return String(decoding: job.utf8.prefix(maxGeneratedNameLength - suffix.utf8.count), as: UTF8.self) + suffix
    }

    private static func withIndexEnvironment(_ container: JSONValue) -> JSONValue {
        var env = container["env"]?.array ?? []
        guard !env.contains(where: { $0["name"]?.string == completionIndexEnv }) else { return container }
        env.append(["name": .string(completionIndexEnv),
                    "valueFrom": ["fieldRef": ["fieldPath": .string("metadata.labels['\(completionIndexKey)']")]]])
        var result = container
        result["env"] = .array(env)
        return result
    }
}
