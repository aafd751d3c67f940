/// How long an item waits before it is retried (client-go's `workqueue.TypedRateLimiter`).
public protocol RateLimiter<Item>: Sendable {
    associatedtype Item: Hashable & Sendable
    /// The delay for the next retry of `item`; counts the attempt.
    func when(_ item: Item) -> Duration
    /// Clears the item's failure history (call after it was processed successfully).
    func forget(_ item: Item)
    /// How many times the item has been retried since it was last forgotten.
    func numRequeues(_ item: Item) -> Int
}

/// Per-item exponential backoff: `base * 2^failures`, capped at `maximum`. client-go's controller default is
/// 5 ms .. 1000 s, so a persistently failing object is retried ever more rarely while others are unaffected.
public final class ItemExponentialFailureRateLimiter<Item: Hashable & Sendable>: RateLimiter {
    public let base: Duration
    public let maximum: Duration
    private let failures = LockedValue<[Item: Int]>([:])

    public init(base: Duration = .milliseconds(5), maximum: Duration = .seconds(1000)) {
        self.base = base
        self.maximum = maximum
    }

    public func when(_ item: Item) -> Duration {
        let exponent = failures.withLock { counts -> Int in
            let current = counts[item, default: 0]
            counts[item] = current + 1
            return current
        }
        return Self.backoff(base: base, maximum: maximum, exponent: exponent)
    }

    /// `base * 2^exponent` in integer nanoseconds, saturating at `maximum` instead of overflowing.
    static func backoff(base: Duration, maximum: Duration, exponent: Int) -> Duration {
        let baseNanos = base.components.seconds * 1_000_000_000 + base.components.attoseconds / 1_000_000_000
        guard exponent < 62, baseNanos > 0 else { return baseNanos > 0 ? maximum : .zero }
        let (scaled, overflow) = baseNanos.multipliedReportingOverflow(by: Int64(1) << Int64(exponent))
        if overflow { return maximum }
        return min(.nanoseconds(scaled), maximum)
    }

    public func forget(_ item: Item) { failures.withLock { _ = $0.removeValue(forKey: item) } }

    public func numRequeues(_ item: Item) -> Int { failures.withLock { $0[item, default: 0] } }
}

/// An overall token bucket (`qps` sustained, `burst` at once) shared by all items: it keeps a mass failure (the
/// API server down, every key failing) from turning into a retry storm. Items are not tracked individually.
public final class BucketRateLimiter<Item: Hashable & Sendable>: RateLimiter {
    public let qps: Double
    public let burst: Int
    private let now: @Sendable () -> ContinuousClock.Instant
    private let bucket: LockedValue<Bucket>

    private struct Bucket: Sendable {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    /// - Parameters:
    ///   - now: the clock (injectable so tests need not sleep).
    public init(qps: Double = 10, burst: Int = 100, now: @escaping @Sendable () -> ContinuousClock.Instant = { .now }) {
        self.qps = qps
        self.burst = burst
        self.now = now
        bucket = LockedValue(Bucket(tokens: Double(burst), updated: now()))
    }

    /// Reserves a token: zero while the bucket has some, else the time until the reserved one refills.
    public func when(_ item: Item) -> Duration {
        let instant = now()
        return bucket.withLock { bucket in
            let elapsed = (instant - bucket.updated).seconds
            bucket.tokens = min(Double(burst), bucket.tokens + max(0, elapsed) * qps)
            bucket.updated = instant
            bucket.tokens -= 1
            return bucket.tokens >= 0 ? .zero : .seconds(-bucket.tokens / qps)
        }
    }

    public func forget(_ item: Item) {}

    public func numRequeues(_ item: Item) -> Int { 0 }
}

/// The longest delay of several limiters (client-go's `MaxOfRateLimiter`).
public final class MaxOfRateLimiter<Item: Hashable & Sendable>: RateLimiter {
    private let limiters: [any RateLimiter<Item>]

    public init(_ limiters: [any RateLimiter<Item>]) { self.limiters = limiters }

    public func when(_ item: Item) -> Duration {
        limiters.map { $0.when(item) }.max() ?? .zero
    }

    public func forget(_ item: Item) { for limiter in limiters { limiter.forget(item) } }

    public func numRequeues(_ item: Item) -> Int { limiters.map { $0.numRequeues(item) }.max() ?? 0 }
}

extension MaxOfRateLimiter {
    /// client-go's `DefaultTypedControllerRateLimiter`: per-item exponential 5 ms .. 1000 s, and overall
    /// 10 qps with a burst of 100.
    public static func defaultController() -> MaxOfRateLimiter<Item> {
        MaxOfRateLimiter([
            ItemExponentialFailureRateLimiter<Item>(base: .milliseconds(5), maximum: .seconds(1000)),
            BucketRateLimiter<Item>(qps: 10, burst: 100),
        ])
    }
}
