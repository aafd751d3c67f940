/// Semantic equality: object members compare without regard to order, so two objects that differ only in key
/// order (as a Go client and a Python client would send the same object) are equal; arrays compare in order.
extension JSONValue: Equatable {
    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.integer(let a), .integer(let b)): return a == b
        case (.bigInteger(let a), .bigInteger(let b)): return a == b
        case (.float(let a), .float(let b)): return a == b
        case (.string(let a), .string(let b)): return a == b
        case (.array(let a), .array(let b)): return a == b
        case (.object(let a), .object(let b)):
            guard a.count == b.count else { return false }
            for (key, value) in a {
                guard let other = b[key], other == value else { return false }
            }
            return true
        default: return false
        }
    }

    /// Whether the two values are equal *and* every object lists its members in the same order; used where byte
    /// identity of the serialised form matters.
    /// - Parameters:
    ///   - other: the value to compare with.
    public func isIdentical(to other: JSONValue) -> Bool {
        switch (self, other) {
        case (.array(let a), .array(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.isIdentical(to: $1) }
        case (.object(let a), .object(let b)):
            return a.count == b.count
                && zip(a, b).allSatisfy { $0.key == $1.key && $0.value.isIdentical(to: $1.value) }
        default:
            return self == other
        }
    }
}

/// Hashing consistent with the order-insensitive equality: object members are hashed independently and combined
/// with a commutative sum.
extension JSONValue: Hashable {
    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0)
        case .bool(let b): hasher.combine(1); hasher.combine(b)
        case .integer(let i): hasher.combine(2); hasher.combine(i)
        case .bigInteger(let s): hasher.combine(3); hasher.combine(s)
        case .float(let d): hasher.combine(4); hasher.combine(d)
        case .string(let s): hasher.combine(5); hasher.combine(s)
        case .array(let a):
            hasher.combine(6)
            hasher.combine(a.count)
            for element in a { hasher.combine(element) }
        case .object(let o):
            hasher.combine(7)
            var sum = 0
            for (key, value) in o {
                var member = Hasher()
                member.combine(key)
                member.combine(value)
                sum &+= member.finalize()
            }
            hasher.combine(o.count)
            hasher.combine(sum)
        }
    }
}
