/// The timing and identity of a leader election (client-go's `LeaderElectionConfig`, with the defaults
/// kube-scheduler and kube-controller-manager use).
public struct LeaderElectionConfig: Sendable {
    /// Where the Lease lives; components use kube-system.
    public var namespace: String
    /// The Lease name, e.g. "kube-scheduler".
    public var name: String
    /// This candidate's identity, unique per process (components use `<hostname>_<uuid>`).
    public var identity: String
    /// How long a holder's claim stays valid after its last renewal, as seen by the others.
    public var leaseDuration: Duration
    /// How long the leader keeps retrying a failed renewal before it gives up leadership.
    public var renewDeadline: Duration
    /// How often candidates try to acquire and the leader renews.
    public var retryPeriod: Duration
    /// On cancellation, clear the Lease so another candidate takes over at once instead of after
    /// `leaseDuration`. Only safe when the leader's work stops with the cancellation.
    public var releaseOnCancel: Bool

    public init(namespace: String = "kube-system", name: String, identity: String, leaseDuration: Duration = .seconds(15),
                renewDeadline: Duration = .seconds(10), retryPeriod: Duration = .seconds(2), releaseOnCancel: Bool = false) {
        self.namespace = namespace
        self.name = name
        self.identity = identity
        self.leaseDuration = leaseDuration
        self.renewDeadline = renewDeadline
        self.retryPeriod = retryPeriod
        self.releaseOnCancel = releaseOnCancel
    }

    /// client-go's `JitterFactor`: retries wait between 1 and 1.2 retry periods.
    static let jitter = 0.2

    /// client-go's checks: a leader must give up (renewDeadline) before others may take over (leaseDuration),
    /// and must be able to retry at least once within its deadline.
    func validate() throws {
        func invalid(_ message: String) -> ClientConfigError {
            ClientConfigError(source: "leader election \(namespace)/\(name)", field: "", message: message)
        }
        guard !identity.isEmpty else { throw invalid("identity is empty") }
        guard !name.isEmpty else { throw invalid("the lease name is empty") }
        guard leaseDuration > renewDeadline else { throw invalid("leaseDuration must be greater than renewDeadline") }
        guard renewDeadline > retryPeriod * (1 + Self.jitter) else {
            throw invalid("renewDeadline must be greater than retryPeriod*\(1 + Self.jitter)")
        }
        guard leaseDuration >= .seconds(1) else { throw invalid("leaseDuration must be at least 1 second (the Lease counts whole seconds)") }
    }
}
