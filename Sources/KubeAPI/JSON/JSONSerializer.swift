/// Writes `JSONValue`s as JSON text.
///
/// The compact form is what the API server stores and returns; the pretty form (two-space indent, `"key": value`,
/// as Go's `json.MarshalIndent`) is for people. Floats are printed like Go's `encoding/json` so responses match what
/// upstream would send; strings escape only what JSON requires plus U+2028/U+2029.
public enum JSONSerializer {
    /// Layout of the output.
    public enum Style: Sendable, Hashable {
        /// No whitespace.
        case compact
        /// Two-space indentation, one member or element per line.
        case pretty
    }

    /// Serialises a value to UTF-8 bytes.
    /// - Parameters:
    ///   - value: the value.
    ///   - style: compact or pretty.
    ///   - escapeHTML: also write `<`, `>` and `&` as `\u003c`, `\u003e`, `\u0026`, as Go's `json.Marshal` and
    ///     therefore upstream API responses do; off by default because no client needs it.
    public static func bytes(_ value: JSONValue, style: Style = .compact, escapeHTML: Bool = false) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(1024)
        let html = escapeHTML
        switch style {
        case .compact: writeCompact(value, html: html, into: &out)
        case .pretty: writePretty(value, indent: 0, html: html, into: &out)
        }
        return out
    }

    /// Serialises a value to a string.
    /// - Parameters:
    ///   - value: the value.
    ///   - style: compact or pretty.
    ///   - escapeHTML: escape `<`, `>` and `&` as Go does.
    public static func string(_ value: JSONValue, style: Style = .compact, escapeHTML: Bool = false) -> String {
        String(decoding: bytes(value, style: style, escapeHTML: escapeHTML), as: UTF8.self)
    }

    static func writeCompact(_ value: JSONValue, html: Bool, into out: inout [UInt8]) {
        switch value {
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            var first = true
            for (key, member) in members {
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                writeString(key, html: html, into: &out)
                out.append(UInt8(ascii: ":"))
                writeCompact(member, html: html, into: &out)
            }
            out.append(UInt8(ascii: "}"))
        case .array(let elements):
            out.append(UInt8(ascii: "["))
            var first = true
            for element in elements {
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                writeCompact(element, html: html, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        default:
            writeScalar(value, html: html, into: &out)
        }
    }

    static func writePretty(_ value: JSONValue, indent: Int, html: Bool, into out: inout [UInt8]) {
        switch value {
        case .object(let members) where !members.isEmpty:
            out.append(UInt8(ascii: "{"))
            var first = true
            for (key, member) in members {
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                newline(indent + 1, into: &out)
                writeString(key, html: html, into: &out)
                out.append(UInt8(ascii: ":"))
                out.append(UInt8(ascii: " "))
                writePretty(member, indent: indent + 1, html: html, into: &out)
            }
            newline(indent, into: &out)
            out.append(UInt8(ascii: "}"))
        case .array(let elements) where !elements.isEmpty:
            out.append(UInt8(ascii: "["))
            var first = true
            for element in elements {
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                newline(indent + 1, into: &out)
                writePretty(element, indent: indent + 1, html: html, into: &out)
            }
            newline(indent, into: &out)
            out.append(UInt8(ascii: "]"))
        default:
            writeCompact(value, html: html, into: &out)
        }
    }

    private static func newline(_ indent: Int, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\n"))
        for _ in 0..<(indent * 2) { out.append(UInt8(ascii: " ")) }
    }

    private static func writeScalar(_ value: JSONValue, html: Bool, into out: inout [UInt8]) {
        switch value {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .integer(let i): writeInteger(i, into: &out)
        case .bigInteger(let s): out.append(contentsOf: s.utf8)
        case .float(let d): out.append(contentsOf: formatFloat(d).utf8)
        case .string(let s): writeString(s, html: html, into: &out)
        case .array, .object: writeCompact(value, html: html, into: &out)
        }
    }

    private static func writeInteger(_ value: Int64, into out: inout [UInt8]) {
        if value == 0 {
            out.append(UInt8(ascii: "0"))
            return
        }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var magnitude = value.magnitude
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            while magnitude > 0 {
                buffer[count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            }
        }
        if value < 0 { out.append(UInt8(ascii: "-")) }
        withUnsafeBytes(of: &digits) { buffer in
            for position in stride(from: count - 1, through: 0, by: -1) { out.append(buffer[position]) }
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    static func writeString(_ text: String, html: Bool = false, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            var runStart = 0
            var index = 0
            while index < utf8.count {
                let byte = utf8[index]
                var escape: [UInt8]? = nil
                var skip = 1
                switch byte {
                case UInt8(ascii: "\""): escape = [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
                case UInt8(ascii: "\\"): escape = [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
                case 0x0A: escape = [UInt8(ascii: "\\"), UInt8(ascii: "n")]
                case 0x0D: escape = [UInt8(ascii: "\\"), UInt8(ascii: "r")]
                case 0x09: escape = [UInt8(ascii: "\\"), UInt8(ascii: "t")]
                case 0..<0x20:
                    escape = Array("\\u00".utf8) + [hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0xF)]]
                case UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "&"):
                    // Go's default encoder escapes these for HTML safety; only when asked.
                    if html { escape = Array("\\u00".utf8) + [hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0xF)]] }
                case 0xE2 where index + 2 < utf8.count && utf8[index + 1] == 0x80
                    && (utf8[index + 2] == 0xA8 || utf8[index + 2] == 0xA9):
                    // U+2028/U+2029 are valid JSON but break JavaScript consumers; Go escapes them too.
                    escape = Array((utf8[index + 2] == 0xA8 ? "\\u2028" : "\\u2029").utf8)
                    skip = 3
                default:
                    break
                }
                if let escape {
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                    out.append(contentsOf: escape)
                    index += skip
                    runStart = index
                } else {
                    index += 1
                }
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<utf8.count]))
        }
        out.append(UInt8(ascii: "\""))
    }

    /// Formats a float as Go's `encoding/json` does: shortest round-trip digits, plain notation for magnitudes in
    /// [1e-6, 1e21), otherwise exponent notation with no leading zero in the exponent ("1e+21", "1e-7").
    /// Non-finite values cannot be represented in JSON and are written as `null`.
    public static func formatFloat(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        if value == 0 { return value.sign == .minus ? "-0" : "0" }
        // Swift's description is the shortest representation that round-trips; re-layout its digits.
        var text = Substring(value.magnitude.description)
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent = Int(text[text.index(after: e)...]) ?? 0
            text = text[..<e]
        }
        var digits = ""
        var pointPosition = 0  // number of digits before the decimal point
        if let dot = text.firstIndex(of: ".") {
            pointPosition = text.distance(from: text.startIndex, to: dot)
            digits = String(text[..<dot]) + String(text[text.index(after: dot)...])
        } else {
            pointPosition = text.count
            digits = String(text)
        }
        pointPosition += exponent
        // Strip leading zeros (e.g. "0.001") and trailing zeros ("100.0").
        while digits.first == "0" && digits.count > 1 {
            digits.removeFirst()
            pointPosition -= 1
        }
        while digits.last == "0" && digits.count > 1 { digits.removeLast() }
        let sign = value < 0 ? "-" : ""
        let magnitude = value.magnitude
        if magnitude < 1e-6 || magnitude >= 1e21 {
            let e = pointPosition - 1
            var mantissa = String(digits.prefix(1))
            if digits.count > 1 { mantissa += "." + digits.dropFirst() }
            let expText = e < 0 ? "-" + String(-e) : "+" + String(e)
            return sign + mantissa + "e" + (expText.count == 2 ? expText : expText)
        }
        if pointPosition <= 0 {
            return sign + "0." + String(repeating: "0", count: -pointPosition) + digits
        }
        if pointPosition >= digits.count {
            return sign + digits + String(repeating: "0", count: pointPosition - digits.count)
        }
        let split = digits.index(digits.startIndex, offsetBy: pointPosition)
        return sign + digits[..<split] + "." + digits[split...]
    }
}

extension JSONValue: CustomStringConvertible {
    /// The compact JSON text.
    public var description: String { JSONSerializer.string(self) }

    /// The compact JSON text as UTF-8 bytes.
    public var jsonBytes: [UInt8] { JSONSerializer.bytes(self) }

    /// The compact JSON text.
    public var jsonString: String { JSONSerializer.string(self) }

    /// The indented JSON text.
    public var prettyJSONString: String { JSONSerializer.string(self, style: .pretty) }
}
