/// The checks whose errors the user downgraded to warnings (`--ignore-preflight-errors`).
///
/// Names are matched case-insensitively, as kubeadm lower-cases them; `all` ignores every check.
public struct IgnoreSet: Sendable, Equatable {
    /// The lower-cased names.
    public let names: Set<String>

    /// Nothing ignored.
    public static let none = IgnoreSet(validated: [])

    /// - Parameter names: check names, each possibly a comma list (`["Port-6443,Swap", "NumCPU"]`), so CLI
    ///   flag values and config-file entries can be passed together unsplit.
    /// - Throws: `IgnoreSetError.allWithOthers` if `all` is combined with individual names.
    public init(_ names: [String]) throws {
        let split = names
            .flatMap { $0.split(separator: ",") }
            .map { $0.trimmingWhitespace().lowercased() }
            .filter { !$0.isEmpty }
        let set = Set(split)
        if set.contains("all") && set.count > 1 { throw IgnoreSetError.allWithOthers }
        self.init(validated: set)
    }

    private init(validated names: Set<String>) {
        self.names = names
    }

    /// Whether `all` was given.
    public var ignoresAll: Bool { names.contains("all") }

    /// Whether errors of the check named `checkName` are downgraded to warnings.
    /// - Parameter checkName: a check's `name`, in any case.
    public func ignores(_ checkName: String) -> Bool {
        ignoresAll || names.contains(checkName.lowercased())
    }
}

/// Why an ignore list is invalid.
public enum IgnoreSetError: Error, Equatable, CustomStringConvertible {
    /// `all` was combined with individual check names, which is ambiguous.
    case allWithOthers

    public var description: String {
        switch self {
        case .allWithOthers: "don't specify individual checks if 'all' is used"
        }
    }
}
