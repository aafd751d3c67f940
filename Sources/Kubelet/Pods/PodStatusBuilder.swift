import KubeAPI

/// The status the kubelet writes for a pod (upstream `generateAPIPodStatus` and `getPhase`): phase, the standard
/// conditions, container statuses, IPs and start time. Transition times are carried over from the previous status
/// while a condition keeps its value, so an unchanged pod produces an identical status and no write.
public struct PodStatusBuilder: Sendable {
    public var pod: JSONValue
    public var initContainers: [ContainerObservation]
    public var containers: [ContainerObservation]
    public var podIPs: [String]
    public var hostIP: String
    public var startTime: KubeTime
    /// The pod's network and sandbox exist (PodReadyToStartContainers).
    public var sandboxReady: Bool

    public init(pod: JSONValue, initContainers: [ContainerObservation], containers: [ContainerObservation], podIPs: [String],
                hostIP: String, startTime: KubeTime, sandboxReady: Bool) {
        self.pod = pod; self.initContainers = initContainers; self.containers = containers; self.podIPs = podIPs
        self.hostIP = hostIP; self.startTime = startTime; self.sandboxReady = sandboxReady
    }

    var restartPolicy: String { pod[path: ["spec", "restartPolicy"]]?.string ?? "Always" }

    /// The phase by upstream's rules.
    public var phase: String {
        let initFailed = initContainers.contains { ($0.exitCode ?? 0) != 0 }
        let initDone = initContainers.allSatisfy { $0.exitCode == 0 }
        if !initDone {
            return initFailed && restartPolicy == "Never" ? "Failed" : "Pending"
        }
        let running = containers.filter(\.isRunning).count
        let waiting = containers.filter(\.isWaiting).count
        let stopped = containers.filter { $0.exitCode != nil }.count
        let succeeded = containers.filter { $0.exitCode == 0 }.count
        if waiting > 0 { return "Pending" }
        if running > 0 { return "Running" }
        if stopped > 0 && stopped == containers.count {
            if restartPolicy == "Always" { return "Running" }
            if stopped == succeeded { return "Succeeded" }
            if restartPolicy == "Never" { return "Failed" }
            return "Running"
        }
        return "Pending"
    }

    /// The whole `status`, keeping transition times from `previous` for unchanged conditions.
    public func status(previous: JSONValue?, now: KubeTime) -> JSONValue {
        let phase = phase
        let initialized = initContainers.allSatisfy { $0.exitCode == 0 }
        let containersReady = !containers.isEmpty && containers.allSatisfy(\.ready) && phase == "Running"
        let notReady = containers.filter { !$0.ready }.map(\.name).sorted()
        func condition(_ type: String, _ value: Bool, reason: String? = nil, message: String? = nil) -> JSONValue {
            let text = value ? "True" : "False"
            let before = previous?["conditions"]?.array?.first { $0["type"]?.string == type }
            let time = before?["status"]?.string == text ? (before?["lastTransitionTime"] ?? .string(now.rfc3339)) : .string(now.rfc3339)
            var entry: JSONValue = ["type": .string(type), "status": .string(text), "lastProbeTime": .null, "lastTransitionTime": time]
            if let reason, !value { entry["reason"] = .string(reason) }
            if let message, !value { entry["message"] = .string(message) }
            return entry
        }
        let unreadyMessage = "containers with unready status: [\(notReady.joined(separator: " "))]"
        let terminal = phase == "Succeeded" || phase == "Failed"
        var conditions: [JSONValue] = [
            condition("PodReadyToStartContainers", sandboxReady && !terminal),
            condition("Initialized", initialized, reason: "ContainersNotInitialized",
                      message: "containers with incomplete status: [\(initContainers.filter { $0.exitCode != 0 }.map(\.name).joined(separator: " "))]"),
            condition("Ready", containersReady, reason: terminal ? "PodCompleted" : "ContainersNotReady", message: terminal ? nil : unreadyMessage),
            condition("ContainersReady", containersReady, reason: terminal ? "PodCompleted" : "ContainersNotReady", message: terminal ? nil : unreadyMessage),
        ]
        if let scheduled = (previous?["conditions"]?.array ?? pod[path: ["status", "conditions"]]?.array ?? [])
            .first(where: { $0["type"]?.string == "PodScheduled" }) {
            conditions.append(scheduled)
        } else {
            conditions.append(condition("PodScheduled", true))
        }
        var status: JSONValue = [
            "phase": .string(phase), "conditions": .array(conditions), "hostIP": .string(hostIP),
            "hostIPs": [["ip": .string(hostIP)]],
            "startTime": previous?["startTime"] ?? .string(startTime.rfc3339),
            "containerStatuses": .array(containers.map(\.json)),
            "qosClass": .string(Self.qosClass(pod)),
        ]
        if !initContainers.isEmpty { status["initContainerStatuses"] = .array(initContainers.map(\.json)) }
        if let first = podIPs.first {
            status["podIP"] = .string(first)
            status["podIPs"] = .array(podIPs.map { ["ip": .string($0)] })
        }
        return status
    }

    /// Guaranteed when every container has equal cpu and memory requests and limits, BestEffort when none has any,
    /// Burstable otherwise (upstream `GetPodQOS`).
    public static func qosClass(_ pod: JSONValue) -> String {
        let all = (pod[path: ["spec", "initContainers"]]?.array ?? []) + (pod[path: ["spec", "containers"]]?.array ?? [])
        var anySet = false
        var guaranteed = true
        for container in all {
            let requests = container[path: ["resources", "requests"]]?.object ?? [:]
            let limits = container[path: ["resources", "limits"]]?.object ?? [:]
            if !requests.isEmpty || !limits.isEmpty { anySet = true }
            for resource in ["cpu", "memory"] {
                guard let limit = limits[resource] else { guaranteed = false; continue }
                if let request = requests[resource], request != limit { guaranteed = false }
            }
        }
        if !anySet { return "BestEffort" }
        return guaranteed ? "Guaranteed" : "Burstable"
    }
}
