import Foundation
import KubeAPI
import Synchronization
import Testing
@testable import KubeClient

/// What one candidate went through.
final class CandidateLog: Sendable {
    private let state = Mutex<(started: Int, stopped: Int, workCancelled: Bool)>((0, 0, false))
    var started: Int { state.withLock { $0.started } }
    var stopped: Int { state.withLock { $0.stopped } }
    var workCancelled: Bool { state.withLock { $0.workCancelled } }

    func callbacks() -> LeaderElector.Callbacks {
        LeaderElector.Callbacks(
            onStartedLeading: {
                self.state.withLock { $0.started += 1 }
                while !Task.isCancelled { try? await Task.sleep(for: .milliseconds(20)) }
                self.state.withLock { $0.workCancelled = true }
            },
            onStoppedLeading: { self.state.withLock { $0.stopped += 1 } })
    }
}

@Suite("Leader election")
struct LeaderElectorTests {
    static func config(_ identity: String, release: Bool = false) -> LeaderElectionConfig {
        LeaderElectionConfig(namespace: "kube-system", name: "test-controller", identity: identity, leaseDuration: .seconds(2),
                             renewDeadline: .milliseconds(1500), retryPeriod: .milliseconds(200), releaseOnCancel: release)
    }

    /// One of two candidates wins; when it stops renewing, the other takes over once the lease expires.
    @Test func secondCandidateTakesOverWhenTheLeaderStops() async throws {
        let cluster = try await TestCluster()
        let client = try cluster.client()
        let (logA, logB) = (CandidateLog(), CandidateLog())
        let a = try LeaderElector(client: client, config: Self.config("a"), callbacks: logA.callbacks())
        let b = try LeaderElector(client: client, config: Self.config("b"), callbacks: logB.callbacks())
        let runA = Task { await a.run() }
        #expect(await eventually { a.isLeader && logA.started == 1 })
        let runB = Task { await b.run() }
        try await Task.sleep(for: .milliseconds(2500))
        #expect(!b.isLeader && logB.started == 0, "a keeps renewing, so b never gets the lease")
        #expect(b.leader == "a")

        var lease = try await client.get(R.leases, namespace: "kube-system", name: "test-controller")
        #expect(lease[path: ["spec", "holderIdentity"]] == "a")
        #expect(lease[path: ["spec", "leaseDurationSeconds"]] == 2)
        #expect(lease[path: ["spec", "leaseTransitions"]] == 0)
        let renewTime = lease[path: ["spec", "renewTime"]]?.string ?? ""
        #expect(renewTime.count == "2024-01-01T00:00:00.000000Z".count, "MicroTime: \(renewTime)")

        let stoppedAt = ContinuousClock.now
        runA.cancel()  // a crashes: no release, b must wait for the lease to expire
        await runA.value
        #expect(logA.stopped == 1)
        #expect(await eventually { logA.workCancelled }, "the leader's work sees the cancellation")
        #expect(await eventually(timeout: .seconds(8)) { b.isLeader && logB.started == 1 })
        #expect(ContinuousClock.now - stoppedAt >= .milliseconds(1500), "b waited for the lease to expire")
        lease = try await client.get(R.leases, namespace: "kube-system", name: "test-controller")
        #expect(lease[path: ["spec", "holderIdentity"]] == "b")
        #expect(lease[path: ["spec", "leaseTransitions"]] == 1)
        runB.cancel()
        await runB.value
        await cluster.stop()
    }

    @Test func releaseOnCancelHandsOverAtOnce() async throws {
        let cluster = try await TestCluster()
        let client = try cluster.client()
        let a = try LeaderElector(client: client, config: Self.config("a", release: true), callbacks: CandidateLog().callbacks())
        let runA = Task { await a.run() }
        #expect(await eventually { a.isLeader })
        runA.cancel()
        await runA.value
        let lease = try await client.get(R.leases, namespace: "kube-system", name: "test-controller")
        #expect(lease[path: ["spec", "holderIdentity"]] == "")
        let b = try LeaderElector(client: client, config: Self.config("b"), callbacks: CandidateLog().callbacks())
        #expect(await b.tryAcquireOrRenew(), "a released lease is free without waiting")
        await cluster.stop()
    }

    /// The leader stops leading when it cannot renew within renewDeadline (here: the server is gone).
    @Test func leaderStepsDownWhenRenewalFails() async throws {
        let cluster = try await TestCluster()
        let client = try cluster.client(requestTimeout: .milliseconds(300))
        let log = CandidateLog()
        let a = try LeaderElector(client: client, config: Self.config("a"), callbacks: log.callbacks())
        let runA = Task { await a.run() }
        #expect(await eventually { a.isLeader })
        await cluster.stop()
        #expect(await eventually(timeout: .seconds(6)) { log.stopped == 1 })
        #expect(log.workCancelled)
        await runA.value
    }

    @Test func invalidTimingsAreRejected() throws {
        let client = try RESTClient(config: ClientConfig(server: ServerURL(host: "127.0.0.1", port: 1)), component: "test")
        var config = Self.config("a")
        config.renewDeadline = .seconds(3)
        #expect(throws: ClientConfigError.self) { try LeaderElector(client: client, config: config, callbacks: CandidateLog().callbacks()) }
        config = Self.config("a")
        config.retryPeriod = .seconds(1.4)
        #expect(throws: ClientConfigError.self) { try LeaderElector(client: client, config: config, callbacks: CandidateLog().callbacks()) }
    }
}
