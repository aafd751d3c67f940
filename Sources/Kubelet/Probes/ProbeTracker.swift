/// Counts consecutive results of one probe of one container and turns them into the state the kubelet acts on:
/// upstream's worker semantics (success/failure thresholds, a result only after the initial delay).
public struct ProbeTracker: Sendable {
    public enum Kind: String, Sendable { case liveness, readiness, startup }

    public let kind: Kind
    public let spec: ProbeSpec
    private var successes = 0
    private var failures = 0
    /// The settled result: readiness starts false, liveness and startup start as "not failed".
    public private(set) var healthy: Bool
    public private(set) var lastFailure: String?
    /// True once `failureThreshold` consecutive failures were seen (a startup probe that starts unhealthy must not
    /// restart its container on the first failure, only on reaching the threshold).
    public private(set) var reachedFailureThreshold = false

    public init(kind: Kind, spec: ProbeSpec) {
        self.kind = kind
        self.spec = spec
        healthy = kind != .readiness && kind != .startup
    }

    /// Records one run; returns true when the settled result changed.
    @discardableResult
    public mutating func record(_ result: ProbeResult) -> Bool {
        let before = healthy
        switch result {
        case .success:
            successes += 1
            failures = 0
            reachedFailureThreshold = false
            if successes >= spec.successThreshold { healthy = true }
        case .failure(let reason):
            failures += 1
            successes = 0
            lastFailure = reason
            if failures >= spec.failureThreshold {
                healthy = false
                reachedFailureThreshold = true
            }
        }
        return before != healthy
    }

    /// Starts over (the container restarted).
    public mutating func reset() {
        successes = 0
        failures = 0
        reachedFailureThreshold = false
        healthy = kind != .readiness && kind != .startup
    }
}
