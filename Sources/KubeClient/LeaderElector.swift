import KubeAPI

/// Leader election over a `coordination.k8s.io/v1` Lease, with client-go's algorithm:
///
/// - a candidate takes the Lease when nobody holds it, or when the holder's record has not changed for the
///   record's `leaseDurationSeconds` as measured on the candidate's own clock (not by comparing timestamps
///   written by another machine, so clock skew does not matter);
/// - taking it from someone else increments `leaseTransitions` and sets `acquireTime`; every write carries the
///   Lease's resourceVersion, so of two candidates racing only one update wins;
/// - the leader renews every `retryPeriod`; if it cannot renew for `renewDeadline` it stops leading (before
///   others may take over, since `renewDeadline < leaseDuration`).
///
/// `run()` returns when leadership is lost or the task is cancelled; the work given to `onStartedLeading` is
/// cancelled at that moment. Like client-go, a process should exit (or start a new elector) after losing.
public final class LeaderElector: Sendable {
    public struct Callbacks: Sendable {
        /// The leader's work; runs in its own task, cancelled when leadership ends.
        public var onStartedLeading: @Sendable () async -> Void
        /// Called once after leading ends (not if this candidate never led).
        public var onStoppedLeading: @Sendable () -> Void
        /// Called when a different holder is observed (including this candidate).
        public var onNewLeader: @Sendable (String) -> Void

        public init(onStartedLeading: @escaping @Sendable () async -> Void, onStoppedLeading: @escaping @Sendable () -> Void = {},
                    onNewLeader: @escaping @Sendable (String) -> Void = { _ in }) {
            self.onStartedLeading = onStartedLeading
            self.onStoppedLeading = onStoppedLeading
            self.onNewLeader = onNewLeader
        }
    }

    public let config: LeaderElectionConfig
    private let client: RESTClient
    private let callbacks: Callbacks
    private let observed = LockedValue(Observation())

    /// The last Lease spec this candidate saw and when (on the monotonic clock) it last changed.
    private struct Observation: Sendable {
        var spec: JSONValue?
        var changedAt = ContinuousClock.now
        var leader = ""
    }

    static let leases = APIResourceInfo(group: "coordination.k8s.io", version: "v1", kind: "Lease", plural: "leases",
                                        namespaced: true, verbs: ["create", "get", "update"])

    /// - Throws: `ClientConfigError` when the timings violate client-go's invariants.
    public init(client: RESTClient, config: LeaderElectionConfig, callbacks: Callbacks) throws {
        try config.validate()
        self.client = client
        self.config = config
        self.callbacks = callbacks
    }

    /// Whether this candidate holds the Lease, as of its last successful read or write.
    public var isLeader: Bool { observed.withLock { $0.leader == config.identity } }

    /// The holder last observed ("" when none).
    public var leader: String { observed.withLock { $0.leader } }

    /// Campaigns until elected, leads until renewal fails, then returns. Cancelling the calling task stops both
    /// (and releases the Lease when `releaseOnCancel`).
    public func run() async {
        guard await acquire() else { return }
        let work = Task { await callbacks.onStartedLeading() }
        await renewWhileLeading()
        work.cancel()
        if Task.isCancelled && config.releaseOnCancel {
            // The calling task is cancelled, and so would be requests made from it: release from a fresh task.
            await Task { await self.release() }.value
        }
        observed.withLock { if $0.leader == config.identity { $0.leader = "" } }
        callbacks.onStoppedLeading()
    }

    /// Tries every retryPeriod (jittered) until the Lease is ours; false when cancelled first.
    private func acquire() async -> Bool {
        while !Task.isCancelled {
            if await tryAcquireOrRenew() { return true }
            do {
                try await Task.sleep(for: config.retryPeriod.jittered(by: LeaderElectionConfig.jitter))
            } catch {
                return false
            }
        }
        return false
    }

    /// Renews every retryPeriod; returns when a renewal could not succeed within renewDeadline, or on cancel.
    private func renewWhileLeading() async {
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: config.retryPeriod)
            } catch {
                return
            }
            let deadline = ContinuousClock.now + config.renewDeadline
            var renewed = false
            while !renewed && ContinuousClock.now < deadline && !Task.isCancelled {
                renewed = await tryAcquireOrRenew(timeout: deadline - ContinuousClock.now)
                if !renewed { try? await Task.sleep(for: min(config.retryPeriod, max(.zero, deadline - ContinuousClock.now))) }
            }
            if !renewed { return }
        }
    }

    /// One attempt: create the Lease, or update it if it is ours or has expired. True when we hold it after.
    func tryAcquireOrRenew(timeout: Duration? = nil) async -> Bool {
        let timeout = min(timeout ?? config.renewDeadline, config.renewDeadline)
        let now = KubeTime.now().rfc3339Micro
        let leaseSeconds = Int64(config.leaseDuration.components.seconds)
        let path: String
        do {
            path = try ResourcePath.make(Self.leases, namespace: config.namespace, name: config.name)
        } catch {
            return false
        }
        let current: JSONValue
        do {
            current = try await client.requestJSON(method: "GET", path: path, timeout: timeout)
        } catch let error as KubeClientError where error.isNotFound {
            let lease: JSONValue = [
                "apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
                "metadata": ["name": .string(config.name), "namespace": .string(config.namespace)],
                "spec": [
                    "holderIdentity": .string(config.identity), "leaseDurationSeconds": .integer(leaseSeconds),
                    "acquireTime": .string(now), "renewTime": .string(now), "leaseTransitions": 0,
                ],
            ]
            guard let created = try? await client.requestJSON(
                method: "POST", path: ResourcePath.make(Self.leases, namespace: config.namespace), body: lease, timeout: timeout)
            else { return false }
            observe(created["spec"])
            return true
        } catch {
            return false
        }

        let spec = current["spec"] ?? .emptyObject
        let changedAt = observe(spec)
        let holder = spec["holderIdentity"]?.string ?? ""
        let recordDuration = Duration.seconds(spec["leaseDurationSeconds"]?.int64 ?? leaseSeconds)
        if !holder.isEmpty && holder != config.identity && ContinuousClock.now < changedAt + recordDuration {
            return false  // held by someone else, and they renewed recently enough
        }
        var desired = spec
        desired["holderIdentity"] = .string(config.identity)
        desired["leaseDurationSeconds"] = .integer(leaseSeconds)
        desired["renewTime"] = .string(now)
        if holder != config.identity {
            desired["acquireTime"] = .string(now)
            desired["leaseTransitions"] = .integer((spec["leaseTransitions"]?.int64 ?? 0) + 1)
        }
        var updated = current
        updated["spec"] = desired
        guard let written = try? await client.requestJSON(method: "PUT", path: path, body: updated, timeout: timeout) else {
            return false  // most often a conflict: another candidate wrote first
        }
        observe(written["spec"])
        return true
    }

    /// Records a Lease spec; returns when it last changed on our clock.
    @discardableResult
    private func observe(_ spec: JSONValue?) -> ContinuousClock.Instant {
        let (changedAt, newLeader) = observed.withLock { observation -> (ContinuousClock.Instant, String?) in
            if observation.spec != spec {
                observation.spec = spec
                observation.changedAt = .now
            }
            let holder = spec?["holderIdentity"]?.string ?? ""
            defer { observation.leader = holder }
            return (observation.changedAt, holder != observation.leader && !holder.isEmpty ? holder : nil)
        }
        if let newLeader { callbacks.onNewLeader(newLeader) }
        return changedAt
    }

    /// Gives the Lease up: no holder, a one-second duration, so the next candidate need not wait.
    private func release() async {
        guard let path = try? ResourcePath.make(Self.leases, namespace: config.namespace, name: config.name),
              var lease = try? await client.requestJSON(method: "GET", path: path, timeout: config.renewDeadline),
              lease[path: ["spec", "holderIdentity"]]?.string == config.identity
        else { return }
        let now = KubeTime.now().rfc3339Micro
        lease[path: ["spec", "holderIdentity"]] = ""
        lease[path: ["spec", "leaseDurationSeconds"]] = 1
        lease[path: ["spec", "renewTime"]] = .string(now)
        lease[path: ["spec", "acquireTime"]] = .string(now)
        if let written = try? await client.requestJSON(method: "PUT", path: path, body: lease, timeout: config.renewDeadline) {
            observe(written["spec"])
        }
    }
}
