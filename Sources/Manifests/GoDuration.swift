/// A duration written the way Go's `time.Duration` prints and parses it ("24h0m0s", "90s", "1.5h").
///
/// kubeadm's config API carries durations in this format, so configs written for kubeadm load unchanged
/// and `config print` output reads the same as upstream.
public struct GoDuration: Sendable, Hashable, Codable, CustomStringConvertible, Comparable {
    public var seconds: Double

    public init(seconds: Double) { self.seconds = seconds }

    public struct ParseError: Error, CustomStringConvertible {
        public var input: String
        public var description: String { "time: invalid duration \"\(input)\" (use a Go duration such as 24h0m0s, 90m or 30s)" }
    }

    private static let units: [(String, Double)] = [
        ("ns", 1e-9), ("us", 1e-6), ("µs", 1e-6), ("μs", 1e-6), ("ms", 1e-3), ("s", 1), ("m", 60), ("h", 3600),
    ]

    public init(parsing text: String) throws {
        var rest = Substring(text)
        var sign = 1.0
        if rest.first == "-" || rest.first == "+" {
            if rest.first == "-" { sign = -1 }
            rest = rest.dropFirst()
        }
        if rest == "0" { self.seconds = 0; return }
        guard !rest.isEmpty else { throw ParseError(input: text) }
        var total = 0.0
        while !rest.isEmpty {
            let number = rest.prefix { $0.isNumber || $0 == "." }
            guard !number.isEmpty, let value = Double(number) else { throw ParseError(input: text) }
            rest = rest.dropFirst(number.count)
            let unitText = rest.prefix { !($0.isNumber || $0 == ".") }
            // Longest match first so "ms" is not read as "m" followed by garbage.
            guard let unit = Self.units.filter({ $0.0 == String(unitText) }).first else { throw ParseError(input: text) }
            rest = rest.dropFirst(unitText.count)
            total += value * unit.1
        }
        self.seconds = sign * total
    }

    /// Go's `Duration.String()` for whole-second and sub-second values.
    public var description: String {
        if seconds == 0 { return "0s" }
        let negative = seconds < 0
        let magnitude = abs(seconds)
        var text: String
        if magnitude < 1 {
            let nanos = (magnitude * 1e9).rounded()
            if nanos < 1e3 { text = "\(Int(nanos))ns" }
            else if nanos < 1e6 { text = Self.trim(nanos / 1e3) + "µs" }
            else { text = Self.trim(nanos / 1e6) + "ms" }
        } else {
            let hours = Int(magnitude / 3600)
            let minutes = Int(magnitude.truncatingRemainder(dividingBy: 3600) / 60)
            let secs = magnitude.truncatingRemainder(dividingBy: 60)
            let secText = Self.trim(secs) + "s"
            if hours > 0 { text = "\(hours)h\(minutes)m\(secText)" }
            else if minutes > 0 { text = "\(minutes)m\(secText)" }
            else { text = secText }
        }
        return negative ? "-" + text : text
    }

    private static func trim(_ value: Double) -> String {
        if value == value.rounded() { return String(Int(value)) }
        var s = String(format: "%.9f", value)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do { try self.init(parsing: text) } catch let error as ParseError {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    public static func < (lhs: GoDuration, rhs: GoDuration) -> Bool { lhs.seconds < rhs.seconds }
}

import Foundation
