import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Which output stream a log line came from.
public enum CRILogStream: String, Codable, Sendable, Hashable {
    /// The container's stdout.
    case stdout
    /// The container's stderr.
    case stderr
}

/// One line of a CRI container log: `2016-10-06T00:17:09.669794202Z stdout F hello`.
///
/// The tag is `F` for a full line and `P` for a partial one (a line longer than the buffer, or cut off when the
/// reader changed hands); readers join `P` entries with the next `F` of the same stream.
public struct CRILogLine: Sendable, Hashable {
    /// The time the runtime read the line (RFC 3339, nanoseconds, UTC).
    public var timestamp: String
    /// The stream it came from.
    public var stream: CRILogStream
    /// Whether this is only part of a line.
    public var partial: Bool
    /// The line's bytes, without the newline.
    public var content: String

    /// Parses one line of a log file (without its newline); `nil` when it is not in CRI format.
    public static func parse(_ line: some StringProtocol) -> CRILogLine? {
        let fields = line.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: false)
        guard fields.count >= 3, let stream = CRILogStream(rawValue: String(fields[1])),
            fields[2] == "F" || fields[2] == "P"
        else { return nil }
        return CRILogLine(
            timestamp: String(fields[0]), stream: stream, partial: fields[2] == "P",
            content: fields.count > 3 ? String(fields[3]) : "")
    }

    /// Every line of a log file's text, in order.
    public static func parseAll(_ text: String) -> [CRILogLine] {
        text.split(separator: "\n").compactMap { parse($0) }
    }

    /// The encoded entry, newline included.
    static func encode(
        timestamp: [UInt8], stream: CRILogStream, partial: Bool, content: ArraySlice<UInt8>
    ) -> [UInt8] {
        var out = timestamp
        out.reserveCapacity(timestamp.count + content.count + 12)
        out.append(UInt8(ascii: " "))
        out += Array(stream.rawValue.utf8)
        out += partial ? Array(" P ".utf8) : Array(" F ".utf8)
        out += content
        out.append(UInt8(ascii: "\n"))
        return out
    }
}

/// RFC 3339 timestamps with nanoseconds, as CRI log lines carry them.
enum CRITimestamp {
    /// The current time.
    static func now() -> [UInt8] {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return format(seconds: Int(ts.tv_sec), nanoseconds: Int(ts.tv_nsec))
    }

    /// `2016-10-06T00:17:09.669794202Z` for a Unix time (always nine fractional digits: RFC3339Nano readers
    /// accept any number, and fixed width keeps lines aligned).
    static func format(seconds: Int, nanoseconds: Int) -> [UInt8] {
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        var out: [UInt8] = []
        out.reserveCapacity(30)
        func digits(_ value: Int, _ width: Int) {
            var text = Array(String(value).utf8)
            while text.count < width { text.insert(UInt8(ascii: "0"), at: 0) }
            out += text
        }
        digits(Int(parts.tm_year) + 1900, 4)
        out.append(UInt8(ascii: "-"))
        digits(Int(parts.tm_mon) + 1, 2)
        out.append(UInt8(ascii: "-"))
        digits(Int(parts.tm_mday), 2)
        out.append(UInt8(ascii: "T"))
        digits(Int(parts.tm_hour), 2)
        out.append(UInt8(ascii: ":"))
        digits(Int(parts.tm_min), 2)
        out.append(UInt8(ascii: ":"))
        digits(Int(parts.tm_sec), 2)
        out.append(UInt8(ascii: "."))
        digits(nanoseconds, 9)
        out.append(UInt8(ascii: "Z"))
        return out
    }
}
