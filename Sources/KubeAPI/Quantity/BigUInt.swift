/// A minimal arbitrary-precision unsigned integer for exact quantity arithmetic.
///
/// Quantities can exceed 64 bits (`12E` is 1.2e19; `1Ei` times a fraction needs nano precision on top), and upstream
/// falls back to big decimals in those cases, so this keeps the handful of operations `Quantity` needs: scaling by
/// small factors, addition, subtraction, comparison, division by small divisors and decimal text.
struct BigUInt: Sendable, Hashable, Comparable {
    /// Base-2^32 digits, least significant first, with no trailing zero limbs (zero is empty).
    private(set) var limbs: [UInt32]

    init(_ value: UInt64 = 0) {
        limbs = []
        if value > 0 { limbs.append(UInt32(truncatingIfNeeded: value)) }
        if value >> 32 > 0 { limbs.append(UInt32(value >> 32)) }
    }

    /// Parses decimal digits; nil if any character is not a digit.
    init?(decimalDigits text: some StringProtocol) {
        self.init()
        for byte in text.utf8 {
            guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") else { return nil }
            multiply(by: 10, adding: UInt32(byte - UInt8(ascii: "0")))
        }
    }

    var isZero: Bool { limbs.isEmpty }

    /// The value, if it fits in 64 bits.
    var uint64: UInt64? {
        switch limbs.count {
        case 0: 0
        case 1: UInt64(limbs[0])
        case 2: UInt64(limbs[1]) << 32 | UInt64(limbs[0])
        default: nil
        }
    }

    mutating func multiply(by factor: UInt32, adding addend: UInt32 = 0) {
        var carry = UInt64(addend)
        for index in limbs.indices {
            let product = UInt64(limbs[index]) * UInt64(factor) + carry
            limbs[index] = UInt32(truncatingIfNeeded: product)
            carry = product >> 32
        }
        if carry > 0 { limbs.append(UInt32(carry)) }
        normalize()
    }

    /// Multiplies by 10^count.
    mutating func multiplyByPowerOfTen(_ count: Int) {
        var remaining = count
        while remaining >= 9 {
            multiply(by: 1_000_000_000)
            remaining -= 9
        }
        var factor: UInt32 = 1
        for _ in 0..<remaining { factor *= 10 }
        if factor > 1 { multiply(by: factor) }
    }

    /// Divides in place and returns the remainder.
    @discardableResult
    mutating func divide(by divisor: UInt32) -> UInt32 {
        var remainder: UInt64 = 0
        for index in limbs.indices.reversed() {
            let current = remainder << 32 | UInt64(limbs[index])
            limbs[index] = UInt32(current / UInt64(divisor))
            remainder = current % UInt64(divisor)
        }
        normalize()
        return UInt32(remainder)
    }

    /// The remainder of division by a small divisor, without changing the value.
    func remainder(dividingBy divisor: UInt32) -> UInt32 {
        var copy = self
        return copy.divide(by: divisor)
    }

    static func + (lhs: BigUInt, rhs: BigUInt) -> BigUInt {
        var result = BigUInt()
        var carry: UInt64 = 0
        for index in 0..<max(lhs.limbs.count, rhs.limbs.count) {
            let sum = UInt64(index < lhs.limbs.count ? lhs.limbs[index] : 0)
                + UInt64(index < rhs.limbs.count ? rhs.limbs[index] : 0) + carry
            result.limbs.append(UInt32(truncatingIfNeeded: sum))
            carry = sum >> 32
        }
        if carry > 0 { result.limbs.append(UInt32(carry)) }
        result.normalize()
        return result
    }

    /// `lhs - rhs`; requires `lhs >= rhs`.
    static func - (lhs: BigUInt, rhs: BigUInt) -> BigUInt {
        precondition(lhs >= rhs, "BigUInt subtraction underflow")
        var result = lhs
        var borrow: Int64 = 0
        for index in result.limbs.indices {
            var difference = Int64(result.limbs[index]) - Int64(index < rhs.limbs.count ? rhs.limbs[index] : 0) - borrow
            borrow = 0
            if difference < 0 {
                difference += 1 << 32
                borrow = 1
            }
            result.limbs[index] = UInt32(difference)
        }
        result.normalize()
        return result
    }

    static func < (lhs: BigUInt, rhs: BigUInt) -> Bool {
        if lhs.limbs.count != rhs.limbs.count { return lhs.limbs.count < rhs.limbs.count }
        for index in lhs.limbs.indices.reversed() where lhs.limbs[index] != rhs.limbs[index] {
            return lhs.limbs[index] < rhs.limbs[index]
        }
        return false
    }

    var decimalString: String {
        if isZero { return "0" }
        var chunks: [UInt32] = []
        var copy = self
        while !copy.isZero { chunks.append(copy.divide(by: 1_000_000_000)) }
        var text = String(chunks.removeLast())
        for chunk in chunks.reversed() {
            let digits = String(chunk)
            text += String(repeating: "0", count: 9 - digits.count) + digits
        }
        return text
    }

    private mutating func normalize() {
        while limbs.last == 0 { limbs.removeLast() }
    }
}
