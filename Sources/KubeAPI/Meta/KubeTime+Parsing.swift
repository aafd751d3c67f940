/// Why a timestamp is not RFC 3339.
public struct TimeParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The rejected text.
    public var input: String
    /// What was wrong.
    public var reason: String

    public var description: String {
        "parsing time \"\(input)\" as \"2006-01-02T15:04:05Z07:00\": \(reason)"
    }
}

extension KubeTime {
    /// Parses an RFC 3339 timestamp: `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`.
    ///
    /// Accepts lower-case `t`/`z` and up to nine fractional digits (extra digits are truncated, as Go does);
    /// the result is in UTC.
    /// - Parameters:
    ///   - text: the timestamp.
    public init(rfc3339 text: String) throws(TimeParseError) {
        let bytes = Array(text.utf8)
        func fail(_ reason: String) -> TimeParseError { TimeParseError(input: text, reason: reason) }
        func number(_ start: Int, _ count: Int, _ what: String) throws(TimeParseError) -> Int {
            guard start + count <= bytes.count else { throw fail("missing \(what)") }
            var value = 0
            for byte in bytes[start..<start + count] {
                guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") else { throw fail("bad \(what)") }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        func expect(_ position: Int, _ characters: String) throws(TimeParseError) {
            guard position < bytes.count, characters.utf8.contains(bytes[position]) else {
                throw fail("expected \(characters.map { "'\($0)'" }.joined(separator: " or ")) at offset \(position)")
            }
        }
        let year = try number(0, 4, "year")
        try expect(4, "-")
        let month = try number(5, 2, "month")
        try expect(7, "-")
        let day = try number(8, 2, "day")
        try expect(10, "Tt")
        let hour = try number(11, 2, "hour")
        try expect(13, ":")
        let minute = try number(14, 2, "minute")
        try expect(16, ":")
        let second = try number(17, 2, "second")
        guard (1...12).contains(month) else { throw fail("month out of range") }
        guard (1...Self.daysIn(month: month, year: year)).contains(day) else { throw fail("day out of range") }
        guard hour < 24 else { throw fail("hour out of range") }
        guard minute < 60 else { throw fail("minute out of range") }
        guard second < 60 else { throw fail("second out of range") }
        var position = 19
        var nanos = 0
        if position < bytes.count && bytes[position] == UInt8(ascii: ".") {
            position += 1
            var digits = 0
            while position < bytes.count, bytes[position] >= UInt8(ascii: "0"), bytes[position] <= UInt8(ascii: "9") {
                if digits < 9 { nanos = nanos * 10 + Int(bytes[position] - UInt8(ascii: "0")) }
                digits += 1
                position += 1
            }
            guard digits > 0 else { throw fail("missing fractional seconds") }
            for _ in digits..<max(digits, 9) { nanos *= 10 }
        }
        var offsetSeconds = 0
        guard position < bytes.count else { throw fail("missing time zone (Z or ±hh:mm)") }
        switch bytes[position] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            position += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            let sign = bytes[position] == UInt8(ascii: "-") ? -1 : 1
            let offsetHours = try number(position + 1, 2, "zone hour")
            try expect(position + 3, ":")
            let offsetMinutes = try number(position + 4, 2, "zone minute")
            guard offsetHours < 24, offsetMinutes < 60 else { throw fail("time zone offset out of range") }
            offsetSeconds = sign * (offsetHours * 3600 + offsetMinutes * 60)
            position += 6
        default:
            throw fail("expected Z or ±hh:mm at offset \(position)")
        }
        guard position == bytes.count else { throw fail("extra text after time zone") }
        let days = Self.days(fromYear: year, month: month, day: day)
        let local = days * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        self.init(seconds: local - Int64(offsetSeconds), nanoseconds: Int32(nanos))
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    }
}

/// `metav1.Time` on the wire: whole seconds, UTC.
extension KubeTime: Codable {
    /// Decodes an RFC 3339 string.
    /// - Parameters:
    ///   - decoder: the decoder.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        try self.init(rfc3339: text)
    }

    /// Encodes as `2026-11-26T16:34:55Z`.
    /// - Parameters:
    ///   - encoder: the encoder.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rfc3339)
    }
}

/// `metav1.MicroTime`: the same instant type, serialised with six fractional digits (Events, Leases).
public struct MicroTime: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The instant.
    public var time: KubeTime

    /// Wraps an instant.
    /// - Parameters:
    ///   - time: the instant.
    public init(_ time: KubeTime) { self.time = time }

    /// Parses any RFC 3339 timestamp.
    /// - Parameters:
    ///   - text: the timestamp.
    public init(rfc3339 text: String) throws(TimeParseError) { self.time = try KubeTime(rfc3339: text) }

    public static func < (lhs: MicroTime, rhs: MicroTime) -> Bool { lhs.time < rhs.time }

    public var description: String { time.rfc3339Micro }

    /// Decodes an RFC 3339 string.
    /// - Parameters:
    ///   - decoder: the decoder.
    public init(from decoder: any Decoder) throws {
        self.time = try KubeTime(from: decoder)
    }

    /// Encodes as `2026-11-26T16:34:55.123456Z`.
    /// - Parameters:
    ///   - encoder: the encoder.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(time.rfc3339Micro)
    }
}
