import KubeAPI

/// What a controller expects to see in its informer cache after its own creates and deletes (upstream
/// `UIDTrackingControllerExpectations`). Until they show up (or five minutes pass) a ReplicaSet or DaemonSet sync
/// only reports status, so a stale cache never makes it create or delete twice. A value type the controller
/// loop keeps behind its own lock; times are passed in so tests need no clock.
public struct ControllerExpectations: Sendable {
    /// How long an unmet expectation blocks syncs (upstream `ExpectationsTimeout`).
    public static let timeoutSeconds: Int64 = 300

    struct Record: Sendable {
        var adds: Int
        var deletes: Int
        var pendingDeletes: Set<String>
        var since: KubeTime
    }

    private var records: [String: Record] = [:]

    /// No expectations.
    public init() {}

    /// Whether the controller may act: nothing recorded, everything observed, or the record expired.
    /// - Parameters:
    ///   - key: the controller's namespace/name.
    ///   - now: the current time.
    public func satisfied(_ key: String, now: KubeTime) -> Bool {
        guard let record = records[key] else { return true }
        if record.adds <= 0 && record.deletes <= 0 { return true }
        return record.since.adding(seconds: Self.timeoutSeconds) < now
    }

    /// Records that `count` creates were sent (replacing any earlier record, as upstream's `SetExpectations`).
    /// - Parameters:
    ///   - key: the controller.
    ///   - count: creates sent.
    ///   - now: the current time.
    public mutating func expectCreations(_ key: String, count: Int, now: KubeTime) {
        records[key] = Record(adds: count, deletes: 0, pendingDeletes: [], since: now)
    }

    /// Records the pods (namespace/name) whose deletion was requested.
    /// - Parameters:
    ///   - key: the controller.
    ///   - podKeys: the pods.
    ///   - now: the current time.
    public mutating func expectDeletions(_ key: String, podKeys: [String], now: KubeTime) {
        records[key] = Record(adds: 0, deletes: podKeys.count, pendingDeletes: Set(podKeys), since: now)
    }

    /// Records creates and deletes sent in one sync (upstream `SetExpectations` with both counts).
    /// - Parameters:
    ///   - key: the controller.
    ///   - creations: creates sent.
    ///   - podKeys: the pods whose deletion was requested.
    ///   - now: the current time.
    public mutating func expect(_ key: String, creations: Int, deletions podKeys: [String], now: KubeTime) {
        records[key] = Record(adds: creations, deletes: podKeys.count, pendingDeletes: Set(podKeys), since: now)
    }

    /// A pod create was seen (or a create failed and will never be seen).
    /// - Parameters:
    ///   - key: the controller.
    public mutating func creationObserved(_ key: String) {
        records[key]?.adds -= 1
    }

    /// A pod deletion was seen (or failed); only pods this controller deleted count, once each.
    /// - Parameters:
    ///   - key: the controller.
    ///   - podKey: the pod's namespace/name.
    public mutating func deletionObserved(_ key: String, podKey: String) {
        guard records[key]?.pendingDeletes.remove(podKey) != nil else { return }
        records[key]?.deletes -= 1
    }

    /// Forgets a controller (it was deleted).
    /// - Parameters:
    ///   - key: the controller.
    public mutating func remove(_ key: String) {
        records[key] = nil
    }
}
