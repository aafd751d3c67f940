/// One clause of a label selector.
public struct LabelRequirement: Sendable, Hashable, CustomStringConvertible {
    /// The comparison.
    public enum Operator: String, Sendable, Hashable, CaseIterable {
        /// `key=value`.
        case equals = "="
        /// `key==value` (same meaning as `=`).
        case doubleEquals = "=="
        /// `key!=value`; also true when the label is absent.
        case notEquals = "!="
        /// `key in (a,b)`.
        case `in` = "in"
        /// `key notin (a,b)`; also true when the label is absent.
        case notIn = "notin"
        /// `key`: the label is present.
        case exists = "exists"
        /// `!key`: the label is absent.
        case doesNotExist = "!"
        /// `key>n`: the value is an integer greater than n.
        case greaterThan = "gt"
        /// `key<n`: the value is an integer less than n.
        case lessThan = "lt"
    }

    /// The label key.
    public private(set) var key: String
    /// The comparison.
    public private(set) var op: Operator
    /// The values, sorted and de-duplicated (empty for exists / does-not-exist).
    public private(set) var values: [String]

    /// Creates a requirement, validating key, values and their count as upstream `NewRequirement` does.
    /// - Parameters:
    ///   - key: a label key (qualified name).
    ///   - op: the comparison.
    ///   - values: the values; exactly one for equality and gt/lt, at least one for in/notin, none for exists.
    public init(key: String, _ op: Operator, _ values: [String] = []) throws(SelectorParseError) {
        let keyErrors = MetadataValidation.qualifiedNameErrors(key)
        if !keyErrors.isEmpty {
            throw SelectorParseError("key: Invalid value: \"\(key)\": " + keyErrors.joined(separator: "; "))
        }
        switch op {
        case .in, .notIn:
            if values.isEmpty { throw SelectorParseError("values: Invalid value: []: for 'in', 'notin' operators, values set can't be empty") }
        case .equals, .doubleEquals, .notEquals:
            if values.count != 1 { throw SelectorParseError("values: Invalid value: \(values): exact-match compatibility requires one single value") }
        case .exists, .doesNotExist:
            if !values.isEmpty { throw SelectorParseError("values: Invalid value: \(values): values set must be empty for exists and does not exist") }
        case .greaterThan, .lessThan:
            if values.count != 1 { throw SelectorParseError("values: Invalid value: \(values): for 'Gt', 'Lt' operators, exactly one value is required") }
            if Int64(values[0]) == nil { throw SelectorParseError("values[0]: Invalid value: \"\(values[0])\": for 'Gt', 'Lt' operators, the value must be an integer") }
        }
        if op != .greaterThan && op != .lessThan {
            for (index, value) in values.enumerated() {
                let errors = MetadataValidation.labelValueErrors(value)
                if !errors.isEmpty {
                    throw SelectorParseError("values[\(index)][\(key)]: Invalid value: \"\(value)\": " + errors.joined(separator: "; "))
                }
            }
        }
        self.key = key
        self.op = op
        self.values = Array(Set(values)).sorted()
    }

    /// Whether a label set satisfies this clause. `!=` and `notin` hold when the label is absent.
    /// - Parameters:
    ///   - labels: the object's labels.
    public func matches(_ labels: some LabelLookup) -> Bool {
        let value = labels.labelValue(key)
        switch op {
        case .equals, .doubleEquals, .in:
            guard let value else { return false }
            return values.contains(value)
        case .notEquals, .notIn:
            guard let value else { return true }
            return !values.contains(value)
        case .exists:
            return value != nil
        case .doesNotExist:
            return value == nil
        case .greaterThan, .lessThan:
            guard let value, let actual = Int64(value), let bound = values.first.flatMap({ Int64($0) }) else { return false }
            return op == .greaterThan ? actual > bound : actual < bound
        }
    }

    /// The query-string form of this clause.
    public var description: String {
        switch op {
        case .exists: key
        case .doesNotExist: "!" + key
        case .in: key + " in (" + values.joined(separator: ",") + ")"
        case .notIn: key + " notin (" + values.joined(separator: ",") + ")"
        case .greaterThan: key + ">" + (values.first ?? "")
        case .lessThan: key + "<" + (values.first ?? "")
        case .equals, .doubleEquals, .notEquals: key + op.rawValue + (values.first ?? "")
        }
    }
}
