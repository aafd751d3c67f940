import Foundation

/// An instant as Kubernetes writes it: RFC 3339 in UTC (`2026-11-26T16:34:55Z`).
///
/// `metav1.Time` serialises with whole seconds and `metav1.MicroTime` with exactly six fractional digits; both
/// accept any RFC 3339 input, including numeric offsets such as `+02:00` (the Python client sends `+00:00`), and are
/// normalised to UTC. Stored as seconds plus nanoseconds since the Unix epoch so comparisons are exact.
public struct KubeTime: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Whole seconds since 1970-01-01T00:00:00Z (negative before).
    public var seconds: Int64
    /// Nanoseconds within the second, 0..<1_000_000_000.
    public var nanoseconds: Int32

    /// Creates an instant.
    /// - Parameters:
    ///   - seconds: seconds since the Unix epoch.
    ///   - nanoseconds: the sub-second part; normalised into 0..<1e9.
    public init(seconds: Int64, nanoseconds: Int32 = 0) {
        let carry = Int64(nanoseconds).floorDiv(1_000_000_000)
        self.seconds = seconds + carry
        self.nanoseconds = Int32(Int64(nanoseconds) - carry * 1_000_000_000)
    }

    /// Creates an instant from a Foundation date (microsecond precision, which is what `Date` reliably carries).
    /// - Parameters:
    ///   - date: the date.
    public init(_ date: Date) {
        let micros = (date.timeIntervalSince1970 * 1_000_000).rounded()
        let whole = Int64(micros).floorDiv(1_000_000)
        self.init(seconds: whole, nanoseconds: Int32((Int64(micros) - whole * 1_000_000) * 1000))
    }

    /// The current time.
    public static func now() -> KubeTime { KubeTime(Date()) }

    /// The same instant as a Foundation date.
    public var date: Date { Date(timeIntervalSince1970: Double(seconds) + Double(nanoseconds) / 1e9) }

    /// This instant truncated to whole seconds, which is what a `metav1.Time` field keeps after a round trip.
    public var truncatedToSeconds: KubeTime { KubeTime(seconds: seconds) }

    /// This instant truncated to microseconds (`metav1.MicroTime`).
    public var truncatedToMicroseconds: KubeTime { KubeTime(seconds: seconds, nanoseconds: nanoseconds / 1000 * 1000) }

    /// Adds a number of seconds (may be negative).
    /// - Parameters:
    ///   - interval: seconds to add.
    public func adding(seconds interval: Int64) -> KubeTime { KubeTime(seconds: seconds + interval, nanoseconds: nanoseconds) }

    public static func < (lhs: KubeTime, rhs: KubeTime) -> Bool {
        (lhs.seconds, lhs.nanoseconds) < (rhs.seconds, rhs.nanoseconds)
    }

    /// `metav1.Time` form: `2026-11-26T16:34:55Z`.
    public var rfc3339: String { format(fractionDigits: 0) }
    /// `metav1.MicroTime` form: `2026-11-26T16:34:55.123456Z`.
    public var rfc3339Micro: String { format(fractionDigits: 6) }
    /// Go's `RFC3339Nano` form, trailing zeros of the fraction dropped (used for log timestamps).
    public var rfc3339Nano: String {
        var text = format(fractionDigits: 9)
        guard nanoseconds != 0 else { return format(fractionDigits: 0) }
        text.removeLast()  // Z
        while text.last == "0" { text.removeLast() }
        return text + "Z"
    }

    public var description: String { rfc3339 }

    private func format(fractionDigits: Int) -> String {
        let days = seconds.floorDiv(86_400)
        let secondOfDay = Int(seconds - days * 86_400)
        let (year, month, day) = Self.civil(fromDays: days)
        var text = Self.pad(year, 4) + "-" + Self.pad(month, 2) + "-" + Self.pad(day, 2) + "T"
        text += Self.pad(secondOfDay / 3600, 2) + ":" + Self.pad(secondOfDay / 60 % 60, 2) + ":" + Self.pad(secondOfDay % 60, 2)
        if fractionDigits > 0 {
            var divisor = 1
            for _ in 0..<(9 - fractionDigits) { divisor *= 10 }
            text += "." + Self.pad(Int(nanoseconds) / divisor, fractionDigits)
        }
        return text + "Z"
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value.magnitude)
        let padded = String(repeating: "0", count: max(0, width - digits.count)) + digits
        return value < 0 ? "-" + padded : padded
    }

    /// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's `civil_from_days`).
    static func civil(fromDays days: Int64) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = z.floorDiv(146_097)
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        return (Int(year), Int(month), Int(day))
    }

    /// A proleptic Gregorian date to days since 1970-01-01 (`days_from_civil`).
    static func days(fromYear year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = y.floorDiv(400)
        let yoe = y - era * 400
        let m = Int64(month)
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}

extension Int64 {
    /// Division rounding toward negative infinity, needed for instants before 1970.
    func floorDiv(_ divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
