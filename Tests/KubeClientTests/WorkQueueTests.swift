import Foundation
import Testing
@testable import KubeClient

@Suite("Work queue and rate limiters")
struct WorkQueueTests {
    static func noDelay() -> ItemExponentialFailureRateLimiter<String> {
        ItemExponentialFailureRateLimiter(base: .zero, maximum: .zero)
    }

    @Test func addsAreDeduplicated() async {
        let queue = WorkQueue<String>(rateLimiter: Self.noDelay())
        queue.add("a")
        queue.add("b")
        queue.add("a")
        #expect(queue.count == 2)
        #expect(await queue.get() == "a")
        #expect(await queue.get() == "b")
        #expect(queue.count == 0)
    }

    /// A key added while a worker holds it is not handed to a second worker; it comes back after `done`.
    @Test func aKeyBeingProcessedIsRequeuedOnDone() async {
        let queue = WorkQueue<String>(rateLimiter: Self.noDelay())
        queue.add("a")
        let key = await queue.get()
        queue.add("a")
        queue.add("a")
        #expect(queue.count == 0, "held by a worker: not queued yet")
        queue.done("a")
        #expect(queue.count == 1)
        #expect(await queue.get() == key)
        queue.done("a")
        #expect(queue.count == 0)
    }

    @Test func getWaitsForAnAddAndShutdownReleasesWaiters() async {
        let queue = WorkQueue<String>(rateLimiter: Self.noDelay())
        let waiter = Task { await queue.get() }
        try? await Task.sleep(for: .milliseconds(50))
        queue.add("late")
        #expect(await waiter.value == "late")
        let blocked = Task { await queue.get() }
        try? await Task.sleep(for: .milliseconds(50))
        queue.shutDown()
        #expect(await blocked.value == nil)
        queue.add("ignored")
        #expect(await queue.get() == nil)
    }

    @Test func cancelledGetReturnsNil() async {
        let queue = WorkQueue<String>(rateLimiter: Self.noDelay())
        let waiter = Task { await queue.get() }
        try? await Task.sleep(for: .milliseconds(50))
        waiter.cancel()
        #expect(await waiter.value == nil)
        queue.add("x")
        #expect(await queue.get() == "x", "the cancelled waiter did not swallow the key")
    }

    @Test func addAfterKeepsTheEarliestDeadline() async {
        let queue = WorkQueue<String>(rateLimiter: Self.noDelay())
        queue.addAfter("k", .seconds(60))
        queue.addAfter("k", .milliseconds(50))
        queue.addAfter("k", .seconds(30))
        #expect(queue.delayedCount == 1 && queue.count == 0)
        let started = ContinuousClock.now
        #expect(await queue.get() == "k")
        #expect(ContinuousClock.now - started < .seconds(5))
        #expect(queue.delayedCount == 0)
        queue.shutDown()
    }

    @Test func rateLimitedRetriesBackOffPerItem() async {
        let limiter = ItemExponentialFailureRateLimiter<String>(base: .milliseconds(5), maximum: .seconds(1000))
        let queue = WorkQueue<String>(rateLimiter: limiter)
        queue.addRateLimited("x")
        queue.addRateLimited("x")
        #expect(queue.numRequeues("x") == 2)
        #expect(await queue.get() == "x")
        queue.forget("x")
        #expect(queue.numRequeues("x") == 0)
        queue.done("x")
        queue.shutDown()
    }

    /// client-go's default: 5 ms doubling per failure, capped at 1000 s; other items are unaffected.
    @Test func exponentialBackoffMath() {
        let limiter = ItemExponentialFailureRateLimiter<String>(base: .milliseconds(5), maximum: .seconds(1000))
        let expected: [Duration] = [.milliseconds(5), .milliseconds(10), .milliseconds(20), .milliseconds(40), .milliseconds(80)]
        #expect((0..<5).map { _ in limiter.when("a") } == expected)
        #expect(limiter.when("b") == .milliseconds(5))
        #expect(limiter.numRequeues("a") == 5)
        for _ in 5..<17 { _ = limiter.when("a") }
        #expect(limiter.when("a") == .milliseconds(5 << 17), "655.36 s: still under the cap")
        #expect(limiter.when("a") == .seconds(1000), "1310.72 s is capped")
        for _ in 0..<100 { _ = limiter.when("a") }
        #expect(limiter.when("a") == .seconds(1000), "no overflow however long it fails")
        limiter.forget("a")
        #expect(limiter.when("a") == .milliseconds(5))
        #expect(ItemExponentialFailureRateLimiter<String>.backoff(base: .milliseconds(5), maximum: .seconds(1000), exponent: 70) == .seconds(1000))
    }

    @Test func tokenBucketAllowsBurstThenPaces() {
        let clock = LockedValue(ContinuousClock.now)
        let bucket = BucketRateLimiter<String>(qps: 10, burst: 100, now: { clock.withLock { $0 } })
        for index in 0..<100 { #expect(bucket.when("k\(index)") == .zero) }
        #expect(abs((bucket.when("over") - .milliseconds(100)).seconds) < 1e-6)
        #expect(abs((bucket.when("over2") - .milliseconds(200)).seconds) < 1e-6)
        clock.withLock { $0 += .seconds(60) }
        #expect(bucket.when("later") == .zero, "the bucket refilled")
    }

    @Test func defaultControllerLimiterTakesTheLonger() {
        let limiter = MaxOfRateLimiter<String>.defaultController()
        #expect(limiter.when("a") == .milliseconds(5))
        #expect(limiter.when("a") == .milliseconds(10))
        #expect(limiter.numRequeues("a") == 2)
        limiter.forget("a")
        #expect(limiter.numRequeues("a") == 0)
    }

    /// Several workers drain a queue; each key is processed once even when added many times.
    @Test func workersShareTheQueue() async {
        let queue = WorkQueue<Int>(rateLimiter: ItemExponentialFailureRateLimiter(base: .zero, maximum: .zero))
        let processed = LockedValue<[Int]>([])
        for _ in 0..<3 { for key in 0..<50 { queue.add(key) } }
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    while let key = await queue.get() {
                        processed.withLock { $0.append(key) }
                        queue.done(key)
                        if processed.withLock({ $0.count }) == 50 { queue.shutDown() }
                    }
                }
            }
        }
        #expect(processed.withLock { $0.sorted() } == Array(0..<50))
    }
}
