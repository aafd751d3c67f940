/// Bridges between the generated `IntOrString` and lossless JSON, plus the percentage arithmetic controllers need
/// for `maxSurge`/`maxUnavailable` (upstream `intstr.GetScaledValueFromIntOrPercent`).
extension IntOrString {
    /// Reads an integer or string JSON value; nil for other types or integers outside `Int32`.
    /// - Parameters:
    ///   - json: the value.
    public init?(json: JSONValue) {
        switch json {
        case .integer(let i):
            guard let narrow = Int32(exactly: i) else { return nil }
            self = .int(narrow)
        case .string(let s):
            self = .string(s)
        default:
            return nil
        }
    }

    /// The value as JSON.
    public var json: JSONValue {
        switch self {
        case .int(let i): .integer(Int64(i))
        case .string(let s): .string(s)
        }
    }

    /// Why an `IntOrString` cannot be scaled.
    public struct ScalingError: Error, Sendable, Hashable, CustomStringConvertible {
        public var description: String
    }

    /// The absolute value: an integer as is, or a percentage ("25%") of `total`, rounded up or down.
    /// - Parameters:
    ///   - total: the 100% amount.
    ///   - roundUp: round a fractional result up (maxSurge) rather than down (maxUnavailable).
    public func scaledValue(total: Int, roundUp: Bool) throws(ScalingError) -> Int {
        switch self {
        case .int(let i):
            return Int(i)
        case .string(let s):
            guard s.hasSuffix("%"), let percent = Int(s.dropLast()) else {
                throw ScalingError(description: "invalid value for IntOrString: invalid type: string is not a percentage")
            }
            let product = percent * total
            if roundUp {
                return product >= 0 ? (product + 99) / 100 : product / 100
            }
            return product >= 0 ? product / 100 : (product - 99) / 100
        }
    }
}
