/// Why a string is not a quantity; the messages match upstream's `ErrFormatWrong` / `ErrSuffix`.
public struct QuantityParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The rejected text.
    public var input: String
    /// Upstream's error text.
    public var reason: String

    public var description: String { "quantity \"\(input)\": \(reason)" }

    static func formatWrong(_ input: String) -> QuantityParseError {
        QuantityParseError(input: input, reason: "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'")
    }
}

extension Quantity {
    /// Decimal SI suffixes and their powers of ten; also used in reverse for printing.
    static let decimalSuffixes: [(suffix: String, exponent: Int)] = [
        ("n", -9), ("u", -6), ("m", -3), ("", 0), ("k", 3), ("M", 6), ("G", 9), ("T", 12), ("P", 15), ("E", 18),
    ]
    /// Binary SI suffixes and their powers of two.
    static let binarySuffixes: [(suffix: String, exponent: Int)] = [
        ("", 0), ("Ki", 10), ("Mi", 20), ("Gi", 30), ("Ti", 40), ("Pi", 50), ("Ei", 60),
    ]

    private static let suffixCharacters = Set("eEinumkKMGTP".utf8)

    /// Parses a quantity such as `100m`, `1.5Gi`, `-2k`, `129e6` or `.5`.
    /// - Parameters:
    ///   - text: the quantity.
    public init(parsing text: String) throws(QuantityParseError) {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty else { throw QuantityParseError(input: text, reason: "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'") }
        var position = 0
        var negative = false
        if bytes[0] == UInt8(ascii: "-") || bytes[0] == UInt8(ascii: "+") {
            negative = bytes[0] == UInt8(ascii: "-")
            position = 1
        }
        func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        let integerStart = position
        while position < bytes.count && isDigit(bytes[position]) { position += 1 }
        let integerDigits = bytes[integerStart..<position]
        var fractionDigits = bytes[position..<position]
        if position < bytes.count && bytes[position] == UInt8(ascii: ".") {
            position += 1
            let fractionStart = position
            while position < bytes.count && isDigit(bytes[position]) { position += 1 }
            fractionDigits = bytes[fractionStart..<position]
        }
        guard !integerDigits.isEmpty || !fractionDigits.isEmpty else { throw .formatWrong(text) }
        // Suffix: letters from the suffix alphabet, then an optional sign and digits (for exponents).
        let suffixStart = position
        while position < bytes.count && Self.suffixCharacters.contains(bytes[position]) { position += 1 }
        if position < bytes.count && (bytes[position] == UInt8(ascii: "-") || bytes[position] == UInt8(ascii: "+")) {
            position += 1
        }
        while position < bytes.count && isDigit(bytes[position]) { position += 1 }
        guard position == bytes.count else { throw .formatWrong(text) }
        let suffix = String(decoding: bytes[suffixStart...], as: UTF8.self)

        let (base, power, format) = try Self.interpret(suffix: suffix, input: text)
        guard var magnitude = BigUInt(decimalDigits: String(decoding: integerDigits + fractionDigits, as: UTF8.self)) else {
            throw .formatWrong(text)
        }
        var exponent = -fractionDigits.count
        if base == 10 {
            exponent += power
        } else {
            for _ in 0..<(power / 10) { magnitude.multiply(by: 1024) }
        }
        // Round non-zero values up to whole nano units: asking for some resource must never yield none.
        if exponent < -9 {
            var roundUp = false
            for _ in 0..<(-9 - exponent) where magnitude.divide(by: 10) != 0 { roundUp = true }
            if roundUp { magnitude = magnitude + BigUInt(1) }
            exponent = -9
        }
        var result = Quantity(negative: negative, magnitude: magnitude, exponent: exponent, format: format)
        if format == .binarySI {
            let cap = Quantity(Int64.max)
            if result.magnitudeCompare(cap) > 0 {
                result = Quantity(negative: negative, magnitude: cap.magnitude, exponent: 0, format: .binarySI)
            }
            // Fractions of one byte cannot be written in binary suffixes.
            if !result.isZero && result.magnitudeCompare(Quantity(1)) < 0 { result.format = .decimalSI }
        }
        self = result
    }

    private static func interpret(suffix: String, input: String) throws(QuantityParseError) -> (base: Int, power: Int, Format) {
        if let entry = decimalSuffixes.first(where: { $0.suffix == suffix }) { return (10, entry.exponent, .decimalSI) }
        if let entry = binarySuffixes.first(where: { $0.suffix == suffix }) { return (2, entry.exponent, .binarySI) }
        if suffix.count > 1, suffix.first == "e" || suffix.first == "E", let power = Int(suffix.dropFirst()),
           abs(power) < 1_000_000
        {
            return (10, power, .decimalExponent)
        }
        throw QuantityParseError(input: input, reason: "unable to parse quantity's suffix")
    }

    /// Compares absolute values.
    func magnitudeCompare(_ other: Quantity) -> Int {
        let common = min(exponent, other.exponent)
        var left = magnitude
        var right = other.magnitude
        left.multiplyByPowerOfTen(exponent - common)
        right.multiplyByPowerOfTen(other.exponent - common)
        return left < right ? -1 : (left == right ? 0 : 1)
    }
}
