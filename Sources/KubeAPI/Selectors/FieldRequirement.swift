/// One `field op value` clause.
public struct FieldRequirement: Sendable, Hashable, CustomStringConvertible {
    /// The comparison.
    public enum Operator: String, Sendable, Hashable {
        /// `field=value`.
        case equals = "="
        /// `field==value` (same meaning as `=`).
        case doubleEquals = "=="
        /// `field!=value`.
        case notEquals = "!="
    }

    /// The dotted field path, e.g. "spec.nodeName".
    public var field: String
    /// The comparison.
    public var op: Operator
    /// The unescaped value.
    public var value: String

    /// Creates a clause.
    /// - Parameters:
    ///   - field: the field path.
    ///   - op: the comparison.
    ///   - value: the value (unescaped).
    public init(field: String, _ op: Operator, _ value: String) {
        self.field = field
        self.op = op
        self.value = value
    }

    public var description: String {
        var escaped = ""
        for character in value {
            if character == "\\" || character == "," || character == "=" { escaped.append("\\") }
            escaped.append(character)
        }
        return field + op.rawValue + escaped
    }
}
