/// Exponential backoff with jitter between failed attempts of a long-running loop (the reflector's list/watch,
/// client-go's 800 ms → 30 s), so a server outage is not answered with a reconnect storm.
struct RetryBackoff: Sendable {
    let initial: Duration
    let maximum: Duration
    private var current: Duration?

    init(initial: Duration = .milliseconds(800), maximum: Duration = .seconds(30)) {
        self.initial = initial
        self.maximum = maximum
    }

    /// The wait before the next attempt; each call doubles it up to `maximum`.
    mutating func next() -> Duration {
        let base = current.map { min($0 * 2, maximum) } ?? initial
        current = base
        return base.jittered(by: 0.2)
    }

    /// After a success the next failure starts from `initial` again.
    mutating func reset() { current = nil }
}

extension Duration {
    /// This duration stretched by a random factor in [1, 1 + fraction] (client-go's `wait.Jitter`), so many
    /// clients started together spread out.
    func jittered(by fraction: Double) -> Duration {
        self * (1 + Double.random(in: 0...fraction))
    }

    /// The duration in seconds as a Double.
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
