import KubeAPI

/// What the kubelet knows about one container of a pod at a sync: the input of the pod's status. Kept separate from
/// the runtime's own types so status rules are testable without runc.
public struct ContainerObservation: Sendable, Equatable {
    public enum State: Sendable, Equatable {
        case waiting(reason: String, message: String?)
        case running(startedAt: KubeTime)
        case terminated(exitCode: Int32, reason: String, message: String?, startedAt: KubeTime?, finishedAt: KubeTime?)
    }

    public var name: String
    public var state: State
    /// The previous run, reported as `lastState` after a restart.
    public var lastTermination: State?
    public var restartCount: Int
    /// Readiness probe result (true when no probe is defined and the container runs).
    public var ready: Bool
    /// Startup probe passed (true when none is defined and the container runs).
    public var started: Bool
    public var image: String
    public var imageID: String
    /// `runc://<id>` once created.
    public var containerID: String?

    public init(name: String, state: State, lastTermination: State? = nil, restartCount: Int = 0, ready: Bool = false,
                started: Bool = false, image: String, imageID: String = "", containerID: String? = nil) {
        self.name = name; self.state = state; self.lastTermination = lastTermination; self.restartCount = restartCount
        self.ready = ready; self.started = started; self.image = image; self.imageID = imageID; self.containerID = containerID
    }

    var isRunning: Bool { if case .running = state { true } else { false } }
    var isWaiting: Bool { if case .waiting = state { true } else { false } }
    var exitCode: Int32? { if case .terminated(let code, _, _, _, _) = state { code } else { nil } }

    /// The API form of a state (`{"running": {"startedAt": ...}}`).
    static func json(_ state: State) -> JSONValue {
        switch state {
        case .waiting(let reason, let message):
            var body: JSONValue = ["reason": .string(reason)]
            if let message { body["message"] = .string(message) }
            return ["waiting": body]
        case .running(let startedAt):
            return ["running": ["startedAt": .string(startedAt.rfc3339)]]
        case .terminated(let code, let reason, let message, let startedAt, let finishedAt):
            var body: JSONValue = ["exitCode": .integer(Int64(code)), "reason": .string(reason)]
            if let message { body["message"] = .string(message) }
            body["startedAt"] = startedAt.map { .string($0.rfc3339) } ?? .null
            body["finishedAt"] = finishedAt.map { .string($0.rfc3339) } ?? .null
            return ["terminated": body]
        }
    }

    /// One `containerStatuses[]` entry.
    var json: JSONValue {
        var entry: JSONValue = [
            "name": .string(name), "state": Self.json(state), "lastState": lastTermination.map(Self.json) ?? .emptyObject,
            "ready": .bool(ready), "restartCount": .integer(Int64(restartCount)), "image": .string(image),
            "imageID": .string(imageID), "started": .bool(started),
        ]
        if let containerID { entry["containerID"] = .string(containerID) }
        return entry
    }
}
