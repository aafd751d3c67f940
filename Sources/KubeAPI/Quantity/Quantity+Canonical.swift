extension Quantity {
    /// The canonical text upstream serialises: no fractional digits, the largest suffix that loses no precision,
    /// and the remembered format (binary amounts below 1024 or with fractions fall back to decimal SI).
    public var canonicalString: String {
        if isZero { return "0" }
        let sign = negative ? "-" : ""
        if format == .binarySI, magnitudeCompare(Quantity(1024)) >= 0, exponent >= 0 {
            var number = magnitude
            number.multiplyByPowerOfTen(exponent)
            var power = 0
            while power < 6 && !number.isZero && number.remainder(dividingBy: 1024) == 0 {
                number.divide(by: 1024)
                power += 1
            }
            return sign + number.decimalString + Self.binarySuffixes[power].suffix
        }
        // Decimal: move the exponent down to a multiple of three, widening the mantissa.
        var mantissa = magnitude
        var power = exponent
        while power % 3 != 0 {
            mantissa.multiply(by: 10)
            power -= 1
        }
        let suffix: String
        if format == .decimalExponent {
            suffix = power == 0 ? "" : "e\(power)"
        } else if let entry = Self.decimalSuffixes.first(where: { $0.exponent == power }) {
            suffix = entry.suffix
        } else {
            suffix = "e\(power)"  // beyond Exa: upstream has no suffix; an exponent keeps the value intact
        }
        return sign + mantissa.decimalString + suffix
    }

    public var description: String { canonicalString }
}

/// Equality and ordering by amount; the format does not take part (`1Ki` == `1024`), as upstream `Cmp` behaves.
extension Quantity: Hashable, Comparable {
    public static func == (lhs: Quantity, rhs: Quantity) -> Bool {
        lhs.negative == rhs.negative && lhs.exponent == rhs.exponent && lhs.magnitude == rhs.magnitude
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(negative)
        hasher.combine(exponent)
        hasher.combine(magnitude)
    }

    public static func < (lhs: Quantity, rhs: Quantity) -> Bool { lhs.compare(rhs) < 0 }

    /// -1, 0 or 1 as `self` is less than, equal to or greater than `other`.
    /// - Parameters:
    ///   - other: the quantity to compare with.
    public func compare(_ other: Quantity) -> Int {
        if sign != other.sign { return sign < other.sign ? -1 : 1 }
        let byMagnitude = magnitudeCompare(other)
        return negative ? -byMagnitude : byMagnitude
    }
}

/// Exact arithmetic. The result keeps the left operand's format unless it was zero, as upstream `Add` does.
extension Quantity {
    public static func + (lhs: Quantity, rhs: Quantity) -> Quantity {
        let common = min(lhs.exponent, rhs.exponent)
        var left = lhs.magnitude
        var right = rhs.magnitude
        left.multiplyByPowerOfTen(lhs.exponent - common)
        right.multiplyByPowerOfTen(rhs.exponent - common)
        let format = lhs.isZero ? rhs.format : lhs.format
        if lhs.negative == rhs.negative {
            return Quantity(negative: lhs.negative, magnitude: left + right, exponent: common, format: format)
        }
        if left >= right {
            return Quantity(negative: lhs.negative, magnitude: left - right, exponent: common, format: format)
        }
        return Quantity(negative: rhs.negative, magnitude: right - left, exponent: common, format: format)
    }

    public static prefix func - (operand: Quantity) -> Quantity {
        Quantity(negative: !operand.negative, magnitude: operand.magnitude, exponent: operand.exponent, format: operand.format)
    }

    public static func - (lhs: Quantity, rhs: Quantity) -> Quantity { lhs + -rhs }

    public static func += (lhs: inout Quantity, rhs: Quantity) { lhs = lhs + rhs }

    public static func -= (lhs: inout Quantity, rhs: Quantity) { lhs = lhs - rhs }
}

/// On the wire a quantity is a JSON string in canonical form; numbers are accepted on input as upstream does.
extension Quantity: Codable {
    /// Decodes a string or number.
    /// - Parameters:
    ///   - decoder: the decoder.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            try self.init(parsing: text)
        } else if let integer = try? container.decode(Int64.self) {
            self.init(integer)
        } else {
            try self.init(parsing: JSONSerializer.formatFloat(try container.decode(Double.self)))
        }
    }

    /// Encodes the canonical string.
    /// - Parameters:
    ///   - encoder: the encoder.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(canonicalString)
    }

    /// Reads a quantity from a JSON string or number, keeping integer and float text exact.
    /// - Parameters:
    ///   - json: the value.
    public init(json: JSONValue) throws(QuantityParseError) {
        switch json {
        case .string(let s): try self.init(parsing: s)
        case .integer(let i): self.init(i)
        case .bigInteger(let s): try self.init(parsing: s)
        case .float(let d): try self.init(parsing: JSONSerializer.formatFloat(d))
        default: throw QuantityParseError(input: json.jsonString, reason: "a quantity must be a string or a number")
        }
    }

    /// The canonical string as JSON.
    public var json: JSONValue { .string(canonicalString) }
}
