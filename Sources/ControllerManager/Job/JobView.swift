import KubeAPI

/// Read-only facts about a batch/v1 Job held as JSON, with the API's defaults for fields a client left out (the
/// job, cronjob and ttl-after-finished controllers all read Jobs through this).
public struct JobView: Sendable {
    /// The reserved `spec.managedBy` value of this controller (upstream `batch.JobControllerName`).
    public static let controllerName = "kubernetes.io/job-controller"

    /// The Job.
    public let object: JSONValue

    /// Wraps a Job.
    /// - Parameters:
    ///   - object: the Job.
    public init(_ object: JSONValue) { self.object = object }

    private func spec(_ field: String) -> JSONValue? {
        guard let value = object[path: ["spec", field]], !value.isNull else { return nil }
        return value
    }

    /// `spec.completions`; nil means work-queue semantics (done once any pod succeeded and none is active).
    public var completions: Int? { spec("completions")?.int }
    /// `spec.parallelism`, 1 when unset.
    public var parallelism: Int { spec("parallelism")?.int ?? 1 }
    /// `spec.backoffLimit`, 6 when unset.
    public var backoffLimit: Int { spec("backoffLimit")?.int ?? 6 }
    /// `spec.completionMode`, "NonIndexed" when unset.
    public var completionMode: String { spec("completionMode")?.string ?? "NonIndexed" }
    /// Indexed completion mode: one pod per index 0..<completions.
    public var isIndexed: Bool { completionMode == "Indexed" }
    /// `spec.suspend`.
    public var isSuspended: Bool { spec("suspend")?.bool ?? false }
    /// `spec.activeDeadlineSeconds`.
    public var activeDeadlineSeconds: Int64? { spec("activeDeadlineSeconds")?.int64 }
    /// `spec.ttlSecondsAfterFinished`.
    public var ttlSecondsAfterFinished: Int64? { spec("ttlSecondsAfterFinished")?.int64 }
    /// `spec.podReplacementPolicy`, "TerminatingOrFailed" when unset.
    public var podReplacementPolicy: String { spec("podReplacementPolicy")?.string ?? "TerminatingOrFailed" }
    /// `spec.template.spec.restartPolicy`.
    public var restartPolicy: String { object[path: ["spec", "template", "spec", "restartPolicy"]]?.string ?? "" }
    /// `spec.managedBy` when another controller owns the Job (upstream `managedByExternalController`).
    public var externalManager: String? {
        guard let manager = spec("managedBy")?.string, manager != Self.controllerName else { return nil }
        return manager
    }

    /// Only pods that reached phase Failed are replaced (upstream `onlyReplaceFailedPods`; pod failure policies,
    /// which also imply it, are not supported).
    public var onlyReplacesFailedPods: Bool { podReplacementPolicy == "Failed" }

    /// `status.conditions`.
    public var conditions: [JSONValue] { object[path: ["status", "conditions"]]?.array ?? [] }

    /// The first condition of a type whose status is "True".
    /// - Parameters:
    ///   - type: the condition type ("Complete", "Failed", "FailureTarget", ...).
    public func trueCondition(_ type: String) -> JSONValue? {
        conditions.first { $0["type"]?.string == type && $0["status"]?.string == "True" }
    }

    /// The Complete or Failed condition that is True: the Job is finished and nothing will change it again
    /// (upstream `IsJobFinished` / `getFinishedStatus`).
    public var finishedCondition: JSONValue? {
        conditions.first { ["Complete", "Failed"].contains($0["type"]?.string ?? "") && $0["status"]?.string == "True" }
    }

    /// Complete or Failed.
    public var isFinished: Bool { finishedCondition != nil }
    /// Finished with the Complete condition.
    public var isSucceeded: Bool { finishedCondition?["type"]?.string == "Complete" }
    /// "Complete" or "Failed" once finished.
    public var finishedType: String? { finishedCondition?["type"]?.string }

    /// When the Job finished: the finishing condition's `lastTransitionTime` (upstream `jobFinishTime`).
    public var finishTime: KubeTime? { Self.time(finishedCondition?["lastTransitionTime"]) }
    /// `status.startTime`.
    public var startTime: KubeTime? { Self.time(object[path: ["status", "startTime"]]) }
    /// `status.completionTime`.
    public var completionTime: KubeTime? { Self.time(object[path: ["status", "completionTime"]]) }

    static func time(_ value: JSONValue?) -> KubeTime? {
        value?.string.flatMap { try? KubeTime(rfc3339: $0) }
    }
}
