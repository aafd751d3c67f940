/// The half-open byte range `[lower, upper)` of keys that start with a prefix, so prefix scans can use the
/// `(key, id)` index (SQLite compares TEXT bytewise with the default BINARY collation).
struct KeyRange: Sendable {
    var lower: [UInt8]
    /// `nil` when no upper bound exists (empty prefix, or a prefix of only 0xFF bytes).
    var upper: [UInt8]?

    init(prefix: String) {
        lower = Array(prefix.utf8)
        var bound = lower
        // The smallest byte string greater than every string with this prefix: bump the last byte that can be bumped.
        while let last = bound.last {
            if last < 0xFF {
                bound[bound.count - 1] = last + 1
                upper = bound
                return
            }
            bound.removeLast()
        }
        upper = nil
    }

    /// Byte-wise prefix test, matching what the SQL range selects (`String.hasPrefix` compares characters).
    static func key(_ key: String, hasPrefix prefix: String) -> Bool {
        key.utf8.starts(with: prefix.utf8)
    }
}
