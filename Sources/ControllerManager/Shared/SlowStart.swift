/// Upstream `slowStartBatch`: creates go out in batches of 1, 2, 4, ... (capped by what remains) and the caller
/// stops after the first batch with a failure, so a quota error costs one request rather than hundreds.
public enum SlowStart {
    /// The initial batch size (upstream `controller.SlowStartInitialBatchSize`).
    public static let initialBatchSize = 1

    /// The batch sizes for `count` calls.
    /// - Parameters:
    ///   - count: how many calls in total.
    ///   - initial: the first batch size.
    public static func batches(_ count: Int, initial: Int = initialBatchSize) -> [Int] {
        var sizes: [Int] = []
        var remaining = count
        var size = min(remaining, initial)
        while size > 0 {
            sizes.append(size)
            remaining -= size
            size = min(2 * size, remaining)
        }
        return sizes
    }

    /// Splits actions into slow-start batches.
    /// - Parameters:
    ///   - actions: the calls, in order.
    public static func batched<T>(_ actions: [T]) -> [[T]] {
        var start = 0
        return batches(actions.count).map { size in
            defer { start += size }
            return Array(actions[start..<start + size])
        }
    }
}
