import KubeAPI

/// The READY, STATUS and RESTARTS of a pod, computed the way upstream's pod printer does.
///
/// STATUS starts from `status.reason` or the phase, then the first init container that has not finished decides it
/// ("Init:1/2", "Init:CrashLoopBackOff", "Init:ExitCode:1"); once initialised, the first app container (in spec
/// order) that is waiting or terminated with a reason decides it ("CrashLoopBackOff", "Completed", "ExitCode:1").
/// A pod with a deletion timestamp that has not finished reads "Terminating" ("Unknown" when its node was lost).
/// READY counts ready running app containers plus started, ready sidecars (restartable init containers), over the
/// app containers plus sidecars. RESTARTS sums restart counts, with the newest last-termination time for "(5m ago)".
struct PodSummary: Sendable {
    private(set) var readyContainers = 0
    private(set) var totalContainers = 0
    private(set) var reason = ""
    private(set) var restarts: Int64 = 0
    /// When a container last terminated before its restart; nil when none did.
    private(set) var lastRestart: KubeTime?

    init(_ pod: JSONValue) {
        let spec = pod["spec"]
        let status = pod["status"]
        let phase = TableCells.string(status?["phase"])
        reason = phase
        if let podReason = status?["reason"]?.string, !podReason.isEmpty { reason = podReason }
        let conditions = TableCells.array(status?["conditions"])
        if conditions.contains(where: { $0["type"]?.string == "PodScheduled" && $0["reason"]?.string == "SchedulingGated" }) {
            reason = "SchedulingGated"
        }

        let initSpecs = TableCells.array(spec?["initContainers"])
        let sidecars = Set(initSpecs.filter { $0["restartPolicy"]?.string == "Always" }.compactMap { $0["name"]?.string })
        totalContainers = TableCells.array(spec?["containers"]).count + sidecars.count

        var sidecarRestarts: Int64 = 0
        var lastSidecarRestart: KubeTime?
        var initializing = false
        for (index, container) in TableCells.array(status?["initContainerStatuses"]).enumerated() {
            let count = TableCells.integer(container["restartCount"])
            let terminatedAt = TableCells.time(container[path: ["lastState", "terminated", "finishedAt"]])
            restarts += count
            lastRestart = Self.later(lastRestart, terminatedAt)
            let isSidecar = sidecars.contains(TableCells.string(container["name"]))
            if isSidecar {
                sidecarRestarts += count
                lastSidecarRestart = Self.later(lastSidecarRestart, terminatedAt)
            }
            let terminated = container[path: ["state", "terminated"]]
            let waitingReason = TableCells.string(container[path: ["state", "waiting", "reason"]])
            if let terminated, TableCells.integer(terminated["exitCode"]) == 0 { continue }
            if isSidecar, container["started"]?.bool == true {
                if container["ready"]?.bool == true { readyContainers += 1 }
                continue
            }
            if let terminated {
                reason = "Init:" + Self.terminationReason(terminated)
            } else if !waitingReason.isEmpty && waitingReason != "PodInitializing" {
                reason = "Init:" + waitingReason
            } else {
                reason = "Init:\(index)/\(initSpecs.count)"
            }
            initializing = true
            break
        }

        let initialized = conditions.first { $0["type"]?.string == "Initialized" }?["status"]?.string == "True"
        if !initializing || initialized {
            restarts = sidecarRestarts
            lastRestart = lastSidecarRestart
            var hasRunning = false
            for container in TableCells.array(status?["containerStatuses"]).reversed() {
                restarts += TableCells.integer(container["restartCount"])
                lastRestart = Self.later(lastRestart, TableCells.time(container[path: ["lastState", "terminated", "finishedAt"]]))
                let state = container["state"]
                let waitingReason = TableCells.string(state?["waiting"]?["reason"])
                if state?["waiting"] != nil && !waitingReason.isEmpty {
                    reason = waitingReason
                } else if let terminated = state?["terminated"] {
                    reason = Self.terminationReason(terminated)
                } else if container["ready"]?.bool == true && state?["running"] != nil {
                    hasRunning = true
                    readyContainers += 1
                }
            }
            // A pod whose containers mostly completed but one still runs is Running (or NotReady), not Completed.
            if reason == "Completed" && hasRunning {
                let ready = conditions.contains { $0["type"]?.string == "Ready" && $0["status"]?.string == "True" }
                reason = ready ? "Running" : "NotReady"
            }
        }

        if pod.metadata.isBeingDeleted {
            if status?["reason"]?.string == "NodeLost" {
                reason = "Unknown"
            } else if phase != "Failed" && phase != "Succeeded" {
                reason = "Terminating"
            }
        }
    }

    /// A terminated state's reason, else "Signal:N" or "ExitCode:N".
    private static func terminationReason(_ terminated: JSONValue) -> String {
        if let reason = terminated["reason"]?.string, !reason.isEmpty { return reason }
        let signal = TableCells.integer(terminated["signal"])
        return signal != 0 ? "Signal:\(signal)" : "ExitCode:\(TableCells.integer(terminated["exitCode"]))"
    }

    private static func later(_ a: KubeTime?, _ b: KubeTime?) -> KubeTime? {
        guard let a else { return b }
        guard let b else { return a }
        return max(a, b)
    }
}
