/// `resource.Quantity`: an exact decimal amount with the suffix style it was written in (`100m`, `1.5Gi`, `129e6`).
///
/// Values are held exactly as ±magnitude × 10^exponent (magnitude arbitrary precision), so `0.1 + 0.2` is `300m`
/// and large binary amounts never lose digits. Parsing follows upstream: non-zero values are rounded up to whole
/// nano units, binary-suffixed values are capped at 2^63-1, and `String`/`description` print the canonical form
/// upstream serialises (`1.5Gi` → `1536Mi`, `1000m` → `1`, `0.1` → `100m`, `1e3` → `1e3`).
public struct Quantity: Sendable, CustomStringConvertible {
    /// How a quantity prints, remembered from how it was written.
    public enum Format: String, Sendable, Hashable {
        /// Powers of ten with SI suffixes: `m`, `k`, `M`, ...
        case decimalSI = "DecimalSI"
        /// Powers of 1024: `Ki`, `Mi`, ...
        case binarySI = "BinarySI"
        /// Scientific exponents: `e3`, `E-6`.
        case decimalExponent = "DecimalExponent"
    }

    var negative: Bool
    var magnitude: BigUInt
    /// Power of ten applied to `magnitude`; after `normalize()` the magnitude has no factor of ten left.
    var exponent: Int
    /// The print style.
    public var format: Format

    init(negative: Bool, magnitude: BigUInt, exponent: Int, format: Format) {
        self.negative = negative
        self.magnitude = magnitude
        self.exponent = exponent
        self.format = format
        normalize()
    }

    /// An integer quantity.
    /// - Parameters:
    ///   - value: the amount.
    ///   - format: the print style.
    public init(_ value: Int64, format: Format = .decimalSI) {
        self.init(negative: value < 0, magnitude: BigUInt(value.magnitude), exponent: 0, format: format)
    }

    /// A quantity of `value` × 10^`scale`, e.g. `Quantity(value: 100, scale: -3)` is `100m`.
    /// - Parameters:
    ///   - value: the unscaled amount.
    ///   - scale: the power of ten.
    ///   - format: the print style.
    public init(value: Int64, scale: Int, format: Format = .decimalSI) {
        self.init(negative: value < 0, magnitude: BigUInt(value.magnitude), exponent: scale, format: format)
    }

    /// Zero.
    public static var zero: Quantity { Quantity(0) }

    /// Whether the amount is zero.
    public var isZero: Bool { magnitude.isZero }
    /// -1, 0 or 1.
    public var sign: Int { magnitude.isZero ? 0 : (negative ? -1 : 1) }

    mutating func normalize() {
        if magnitude.isZero {
            negative = false
            exponent = 0
            return
        }
        while magnitude.remainder(dividingBy: 10) == 0 {
            magnitude.divide(by: 10)
            exponent += 1
        }
    }

    /// The amount as an integer, rounded up (away from zero) to the next whole unit as upstream `Value()` does;
    /// nil if it does not fit in `Int64`.
    public var value: Int64? { scaledValue(scale: 0) }

    /// The amount in thousandths (`MilliValue()`), rounded up; nil if it does not fit.
    public var milliValue: Int64? { scaledValue(scale: -3) }

    /// The amount in units of 10^`scale`, rounded away from zero; nil if it does not fit in `Int64`.
    /// - Parameters:
    ///   - scale: the power of ten of one unit (0 for whole units, -3 for milli-units).
    public func scaledValue(scale: Int) -> Int64? {
        var units = magnitude
        if exponent >= scale {
            units.multiplyByPowerOfTen(exponent - scale)
        } else {
            var roundUp = false
            for _ in 0..<(scale - exponent) where units.divide(by: 10) != 0 { roundUp = true }
            if roundUp { units = units + BigUInt(1) }
        }
        guard let raw = units.uint64 else { return nil }
        if negative {
            return raw <= UInt64(Int64.max) + 1 ? Int64(truncatingIfNeeded: 0 &- raw) : nil
        }
        return raw <= UInt64(Int64.max) ? Int64(raw) : nil
    }

    /// The amount as a `Double` (approximate), for ratios and display.
    public var doubleValue: Double {
        let base = Double(magnitude.decimalString) ?? 0
        var scaled = base
        if exponent > 0 {
            for _ in 0..<exponent { scaled *= 10 }
        } else if exponent < 0 {
            for _ in 0..<(-exponent) { scaled /= 10 }
        }
        return negative ? -scaled : scaled
    }
}
