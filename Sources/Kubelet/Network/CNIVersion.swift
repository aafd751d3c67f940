/// CNI spec versions ("0.3.1", "1.0.0") compared numerically, as libcni's `version.GreaterThanOrEqualTo` does.
enum CNIVersion {
    /// The version our own configurations declare; plugins 1.1.1 (Debian 12) support up to it.
    static let current = "1.0.0"

    /// The spec version from which DEL receives the cached ADD result as `prevResult`.
    static let cachedResultOnDelete = "0.4.0"

    /// Whether `version` is at least `minimum`; an empty or unparsable version counts as the oldest (0.1.0),
    /// which is libcni's default for a configuration without `cniVersion`.
    static func isAtLeast(_ version: String, _ minimum: String) -> Bool {
        let lhs = parts(version), rhs = parts(minimum)
        for index in 0..<3 where lhs[index] != rhs[index] { return lhs[index] > rhs[index] }
        return true
    }

    private static func parts(_ version: String) -> [Int] {
        let numbers = version.split(separator: ".").map { Int($0) }
        guard !numbers.isEmpty, numbers.count <= 3, numbers.allSatisfy({ $0 != nil }) else { return [0, 1, 0] }
        return (numbers.compactMap { $0 } + [0, 0, 0]).prefix(3).map { $0 }
    }
}
