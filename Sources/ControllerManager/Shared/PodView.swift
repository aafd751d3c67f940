import KubeAPI

/// Read-only facts about a Pod held as JSON, with upstream's `podutil` meanings.
public struct PodView: Sendable {
    /// The pod.
    public let object: JSONValue

    /// Wraps a pod.
    /// - Parameters:
    ///   - object: the pod.
    public init(_ object: JSONValue) { self.object = object }

    /// `status.phase`, "" when unset (a pod not yet seen by a kubelet).
    public var phase: String { object[path: ["status", "phase"]]?.string ?? "" }
    /// `spec.nodeName`, "" when unscheduled.
    public var nodeName: String { object[path: ["spec", "nodeName"]]?.string ?? "" }
    /// `metadata.name`.
    public var name: String { object.metadata.name ?? "" }
    /// `metadata.uid`.
    public var uid: String { object.metadata.uid ?? "" }

    /// Succeeded or Failed: the pod will never run again.
    public var isTerminal: Bool { phase == "Succeeded" || phase == "Failed" }

    /// Upstream `controller.IsPodActive`: not terminal and not being deleted. Controllers count only these.
    public var isActive: Bool { !isTerminal && !object.metadata.isBeingDeleted }

    /// The `Ready` condition, if the kubelet reported one.
    public var readyCondition: JSONValue? {
        object[path: ["status", "conditions"]]?.array?.first { $0["type"]?.string == "Ready" }
    }

    /// Upstream `podutil.IsPodReady`: the Ready condition is True.
    public var isReady: Bool { readyCondition?["status"]?.string == "True" }

    /// When the pod last became ready; nil when not ready or the time is missing.
    public var readySince: KubeTime? {
        guard isReady, let text = readyCondition?["lastTransitionTime"]?.string else { return nil }
        return try? KubeTime(rfc3339: text)
    }

    /// Upstream `podutil.IsPodAvailable`: ready, and (unless `minReadySeconds` is 0) ready for strictly longer
    /// than `minReadySeconds`.
    /// - Parameters:
    ///   - minReadySeconds: how long readiness must have lasted.
    ///   - now: the current time.
    public func isAvailable(minReadySeconds: Int, now: KubeTime) -> Bool {
        guard isReady else { return false }
        if minReadySeconds == 0 { return true }
        guard let since = readySince else { return false }
        return since.adding(seconds: Int64(minReadySeconds)) < now
    }

    /// The largest restart count of the regular containers, then of the restartable (sidecar) init containers:
    /// upstream compares regular restarts first and sidecar restarts only on a tie.
    public var maxRestarts: (regular: Int, sidecar: Int) {
        let regular = (object[path: ["status", "containerStatuses"]]?.array ?? [])
            .map { $0["restartCount"]?.int ?? 0 }.max() ?? 0
        let sidecars = Set((object[path: ["spec", "initContainers"]]?.array ?? [])
            .filter { $0["restartPolicy"]?.string == "Always" }.compactMap { $0["name"]?.string })
        let sidecar = (object[path: ["status", "initContainerStatuses"]]?.array ?? [])
            .filter { sidecars.contains($0["name"]?.string ?? "") }
            .map { $0["restartCount"]?.int ?? 0 }.max() ?? 0
        return (regular, sidecar)
    }

    /// `controller.kubernetes.io/pod-deletion-cost` as an int32; 0 when absent or not a valid int32 (upstream
    /// ignores the parse error the same way).
    public var deletionCost: Int32 {
        object.metadata.annotations["controller.kubernetes.io/pod-deletion-cost"].flatMap { Int32($0) } ?? 0
    }
}
