/// A set of completion indexes kept as sorted, non-adjacent closed intervals, written the way an Indexed Job's
/// `status.completedIndexes` is: "1,3-5,7,8" (upstream `orderedIntervals`; two adjacent indexes are written with a
/// comma, three or more as a range).
public struct IndexIntervals: Sendable, Hashable, CustomStringConvertible {
    /// The intervals, ascending, never touching.
    public private(set) var intervals: [ClosedRange<Int>] = []

    /// No indexes.
    public init() {}

    /// Parses the status text, dropping indexes at or past `completions` and skipping malformed pieces, as upstream's
    /// `parseIndexesFromString` does (a scaled-down Job keeps only its valid indexes).
    /// - Parameters:
    ///   - text: "0-2,4" or "".
    ///   - completions: `spec.completions`.
    public init(parsing text: String, completions: Int) {
        for piece in text.split(separator: ",", omittingEmptySubsequences: true) {
            let bounds = piece.split(separator: "-", omittingEmptySubsequences: false)
            guard let first = Int(bounds[0]), first >= 0 else { continue }
            if first >= completions { break }
            var last = first
            if bounds.count > 1 {
                guard let end = Int(bounds[1]) else { continue }
                last = min(end, completions - 1)
            }
            guard last >= first else { continue }
            insert(first...last)
        }
    }

    /// The indexes given, in any order.
    /// - Parameters:
    ///   - indexes: the indexes.
    public init(_ indexes: some Sequence<Int>) {
        for index in indexes { insert(index...index) }
    }

    /// How many indexes the set holds.
    public var count: Int { intervals.reduce(0) { $0 + $1.count } }

    /// Whether `index` is in the set.
    /// - Parameters:
    ///   - index: a completion index.
    public func contains(_ index: Int) -> Bool { intervals.contains { $0.contains(index) } }

    /// The set with `other`'s indexes added.
    /// - Parameters:
    ///   - other: more indexes.
    public func union(_ other: IndexIntervals) -> IndexIntervals {
        var result = self
        for interval in other.intervals { result.insert(interval) }
        return result
    }

    /// Adds an interval, merging it with any it overlaps or touches.
    /// - Parameters:
    ///   - interval: the indexes to add.
    public mutating func insert(_ interval: ClosedRange<Int>) {
        var merged = interval
        var kept: [ClosedRange<Int>] = []
        for existing in intervals {
            if existing.upperBound + 1 < merged.lowerBound || merged.upperBound + 1 < existing.lowerBound {
                kept.append(existing)
            } else {
                merged = min(existing.lowerBound, merged.lowerBound)...max(existing.upperBound, merged.upperBound)
            }
        }
        kept.append(merged)
        intervals = kept.sorted { $0.lowerBound < $1.lowerBound }
    }

    /// The `count` lowest indexes below `limit` that are not in the set (upstream `firstPendingIndexes`).
    /// - Parameters:
    ///   - count: how many to find.
    ///   - limit: `spec.completions`.
    public func firstMissing(_ count: Int, below limit: Int) -> [Int] {
        var result: [Int] = []
        var candidate = 0
        for interval in intervals + [limit...limit] where result.count < count {
            while candidate < min(interval.lowerBound, limit), result.count < count {
                result.append(candidate)
                candidate += 1
            }
            candidate = max(candidate, interval.upperBound + 1)
        }
        return result
    }

    public var description: String {
        intervals.map { interval in
            switch interval.count {
            case 1: "\(interval.lowerBound)"
            case 2: "\(interval.lowerBound),\(interval.upperBound)"
            default: "\(interval.lowerBound)-\(interval.upperBound)"
            }
        }.joined(separator: ",")
    }
}
