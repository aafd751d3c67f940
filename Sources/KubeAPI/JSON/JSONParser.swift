import OrderedCollections

/// A strict RFC 8259 parser producing `JSONValue`s.
///
/// Written by hand (rather than via `JSONSerialization`/`JSONDecoder`) because the API server must keep key order,
/// integers versus floats, big integers and unknown fields exactly, and must report the byte offset of errors.
public struct JSONParser: Sendable {
    /// What to do when an object repeats a key.
    public enum DuplicateKeys: Sendable, Hashable {
        /// The later value wins (at the position of the first occurrence), as Go's `encoding/json` does.
        case lastWins
        /// Reject the document, as the API server must under `fieldValidation=Strict`.
        case reject
    }

    /// Deepest nesting of arrays and objects accepted; bounds recursion on hostile input.
    public var maxDepth: Int
    /// Handling of repeated object keys.
    public var duplicateKeys: DuplicateKeys

    /// Creates a parser.
    /// - Parameters:
    ///   - maxDepth: the deepest nesting accepted (Kubernetes objects rarely exceed 20).
    ///   - duplicateKeys: handling of repeated keys.
    public init(maxDepth: Int = 512, duplicateKeys: DuplicateKeys = .lastWins) {
        self.maxDepth = maxDepth
        self.duplicateKeys = duplicateKeys
    }

    /// Parses one JSON document (surrounding whitespace allowed, nothing else).
    /// - Parameters:
    ///   - bytes: UTF-8 encoded JSON.
    public func parse(_ bytes: some Collection<UInt8>) throws(JSONParseError) -> JSONValue {
        let result: Result<JSONValue, JSONParseError>
        if let fast = bytes.withContiguousStorageIfAvailable({ buffer in Self.run(buffer, self) }) {
            result = fast
        } else {
            let copy = Array(bytes)
            result = copy.withUnsafeBufferPointer { Self.run($0, self) }
        }
        return try result.get()
    }

    /// Parses one JSON document from a string.
    /// - Parameters:
    ///   - text: the JSON text.
    public func parse(_ text: String) throws(JSONParseError) -> JSONValue {
        var text = text
        let result = text.withUTF8 { Self.run($0, self) }
        return try result.get()
    }

    private static func run(_ buffer: UnsafeBufferPointer<UInt8>, _ options: JSONParser) -> Result<JSONValue, JSONParseError> {
        var reader = Reader(bytes: buffer, options: options)
        do throws(JSONParseError) {
            reader.skipWhitespace()
            let value = try reader.parseValue(depth: 0)
            reader.skipWhitespace()
            if reader.index < buffer.count {
                throw JSONParseError(.trailingData, at: reader.index,
                                     "unexpected \(describe(buffer[reader.index])) after top-level value")
            }
            return .success(value)
        } catch {
            return .failure(error)
        }
    }

    static func describe(_ byte: UInt8) -> String {
        if byte >= 0x20 && byte < 0x7F { return "character '\(Character(Unicode.Scalar(byte)))'" }
        return "byte 0x" + String(byte, radix: 16, uppercase: true)
    }
}

extension JSONValue {
    /// Parses JSON bytes with default options.
    /// - Parameters:
    ///   - bytes: UTF-8 encoded JSON.
    public init(parsing bytes: some Collection<UInt8>) throws(JSONParseError) {
        self = try JSONParser().parse(bytes)
    }

    /// Parses JSON text with default options.
    /// - Parameters:
    ///   - text: the JSON text.
    public init(parsing text: String) throws(JSONParseError) {
        self = try JSONParser().parse(text)
    }
}

/// The cursor over the input; a separate type so the hot loop works on a raw buffer without bounds-check overhead
/// from collection generics.
private struct Reader {
    let bytes: UnsafeBufferPointer<UInt8>
    let options: JSONParser
    var index = 0

    init(bytes: UnsafeBufferPointer<UInt8>, options: JSONParser) {
        self.bytes = bytes
        self.options = options
    }

    @inline(__always) mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    func endError(_ expecting: String) -> JSONParseError {
        JSONParseError(.unexpectedEndOfInput, at: index, "unexpected end of input, expecting \(expecting)")
    }

    func unexpected(_ expecting: String) -> JSONParseError {
        JSONParseError(.unexpectedCharacter, at: index,
                       "unexpected \(JSONParser.describe(bytes[index])), expecting \(expecting)")
    }

    mutating func parseValue(depth: Int) throws(JSONParseError) -> JSONValue {
        guard index < bytes.count else { throw endError("a value") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject(depth: depth + 1)
        case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw unexpected("a value")
        }
    }

    mutating func literal(_ word: StaticString) throws(JSONParseError) {
        let start = index
        let count = word.utf8CodeUnitCount
        let text = word.utf8Start
        for offset in 0..<count {
            guard index < bytes.count else { throw endError("'\(word)'") }
            guard bytes[index] == text[offset] else {
                throw JSONParseError(.unexpectedCharacter, at: index,
                                     "unexpected \(JSONParser.describe(bytes[index])) in literal starting at \(start), expecting '\(word)'")
            }
            index += 1
        }
    }

    mutating func parseObject(depth: Int) throws(JSONParseError) -> JSONValue {
        guard depth <= options.maxDepth else {
            throw JSONParseError(.nestingTooDeep, at: index, "nesting deeper than \(options.maxDepth)")
        }
        index += 1  // {
        var members = JSONObject()
        skipWhitespace()
        guard index < bytes.count else { throw endError("'\"' or '}'") }
        if bytes[index] == UInt8(ascii: "}") {
            index += 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard index < bytes.count else { throw endError("a member name") }
            guard bytes[index] == UInt8(ascii: "\"") else { throw unexpected("'\"' to begin a member name") }
            let keyOffset = index
            let key = try parseString()
            skipWhitespace()
            guard index < bytes.count else { throw endError("':'") }
            guard bytes[index] == UInt8(ascii: ":") else { throw unexpected("':' after member name") }
            index += 1
            skipWhitespace()
            let value = try parseValue(depth: depth)
            if members.updateValue(value, forKey: key) != nil, options.duplicateKeys == .reject {
                throw JSONParseError(.duplicateKey, at: keyOffset, "duplicate member name \"\(key)\"")
            }
            skipWhitespace()
            guard index < bytes.count else { throw endError("',' or '}'") }
            switch bytes[index] {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"): index += 1; return .object(members)
            default: throw unexpected("',' or '}' after object member")
            }
        }
    }

    mutating func parseArray(depth: Int) throws(JSONParseError) -> JSONValue {
        guard depth <= options.maxDepth else {
            throw JSONParseError(.nestingTooDeep, at: index, "nesting deeper than \(options.maxDepth)")
        }
        index += 1  // [
        var elements: [JSONValue] = []
        skipWhitespace()
        guard index < bytes.count else { throw endError("a value or ']'") }
        if bytes[index] == UInt8(ascii: "]") {
            index += 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try parseValue(depth: depth))
            skipWhitespace()
            guard index < bytes.count else { throw endError("',' or ']'") }
            switch bytes[index] {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"): index += 1; return .array(elements)
            default: throw unexpected("',' or ']' after array element")
            }
        }
    }

    /// Parses a string starting at the opening quote. The common case (no escapes) is sliced straight out of the
    /// input; UTF-8 is validated for any non-ASCII content.
    mutating func parseString() throws(JSONParseError) -> String {
        let start = index + 1
        var cursor = start
        var asciiOnly = true
        while cursor < bytes.count {
            let byte = bytes[cursor]
            if byte == UInt8(ascii: "\"") {
                let slice = UnsafeBufferPointer(rebasing: bytes[start..<cursor])
                index = cursor + 1
                if asciiOnly { return String(decoding: slice, as: UTF8.self) }
                guard let text = String(validating: slice, as: UTF8.self) else {
                    throw JSONParseError(.invalidUTF8, at: start, "string is not valid UTF-8")
                }
                return text
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 {
                throw JSONParseError(.controlCharacterInString, at: cursor,
                                     "unescaped control character \(JSONParser.describe(byte)) in string")
            }
            if byte >= 0x80 { asciiOnly = false }
            cursor += 1
        }
        guard cursor < bytes.count else {
            index = cursor
            throw endError("'\"' to end the string that began at \(start - 1)")
        }
        return try parseEscapedString(start: start, firstEscape: cursor)
    }

    mutating func parseEscapedString(start: Int, firstEscape: Int) throws(JSONParseError) -> String {
        var buffer = [UInt8](UnsafeBufferPointer(rebasing: bytes[start..<firstEscape]))
        var cursor = firstEscape
        while cursor < bytes.count {
            let byte = bytes[cursor]
            switch byte {
            case UInt8(ascii: "\""):
                index = cursor + 1
                guard let text = String(validating: buffer, as: UTF8.self) else {
                    throw JSONParseError(.invalidUTF8, at: start, "string is not valid UTF-8")
                }
                return text
            case UInt8(ascii: "\\"):
                guard cursor + 1 < bytes.count else { break }
                let escape = bytes[cursor + 1]
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): buffer.append(escape)
                case UInt8(ascii: "b"): buffer.append(0x08)
                case UInt8(ascii: "f"): buffer.append(0x0C)
                case UInt8(ascii: "n"): buffer.append(0x0A)
                case UInt8(ascii: "r"): buffer.append(0x0D)
                case UInt8(ascii: "t"): buffer.append(0x09)
                case UInt8(ascii: "u"):
                    var scalarValue = try hex4(at: cursor + 2)
                    cursor += 4
                    if (0xD800...0xDBFF).contains(scalarValue),
                       cursor + 7 < bytes.count, bytes[cursor + 2] == UInt8(ascii: "\\"),
                       bytes[cursor + 3] == UInt8(ascii: "u")
                    {
                        let low = try hex4(at: cursor + 4)
                        if (0xDC00...0xDFFF).contains(low) {
                            scalarValue = 0x10000 + ((scalarValue - 0xD800) << 10) + (low - 0xDC00)
                            cursor += 6
                        }
                    }
                    // A lone surrogate becomes U+FFFD, as Go's decoder does.
                    let scalar = Unicode.Scalar(scalarValue) ?? "\u{FFFD}"
                    buffer.append(contentsOf: String(scalar).utf8)
                default:
                    throw JSONParseError(.invalidEscape, at: cursor, "invalid escape \(JSONParser.describe(escape)) in string")
                }
                cursor += 2
                continue
            default:
                if byte < 0x20 {
                    throw JSONParseError(.controlCharacterInString, at: cursor,
                                         "unescaped control character \(JSONParser.describe(byte)) in string")
                }
                buffer.append(byte)
                cursor += 1
                continue
            }
            break
        }
        index = bytes.count
        throw endError("'\"' to end the string that began at \(start - 1)")
    }

    func hex4(at position: Int) throws(JSONParseError) -> UInt32 {
        guard position + 4 <= bytes.count else {
            throw JSONParseError(.unexpectedEndOfInput, at: bytes.count, "unexpected end of input in \\u escape")
        }
        var value: UInt32 = 0
        for offset in 0..<4 {
            let byte = bytes[position + offset]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default:
                throw JSONParseError(.invalidEscape, at: position + offset,
                                     "invalid hex digit \(JSONParser.describe(byte)) in \\u escape")
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    /// Parses `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`. Integers are accumulated directly; anything with a
    /// fraction or exponent goes through `Double(_:)` for correct rounding.
    mutating func parseNumber() throws(JSONParseError) -> JSONValue {
        let start = index
        var negative = false
        if bytes[index] == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        guard index < bytes.count else { throw endError("a digit") }
        let digitsStart = index
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else if isDigit(bytes[index]) {
            while index < bytes.count && isDigit(bytes[index]) { index += 1 }
        } else {
            throw JSONParseError(.invalidNumber, at: index, "expecting a digit after '-'")
        }
        let integerEnd = index
        var isFloat = false
        if index < bytes.count && bytes[index] == UInt8(ascii: ".") {
            isFloat = true
            index += 1
            guard index < bytes.count else { throw endError("a digit after '.'") }
            guard isDigit(bytes[index]) else {
                throw JSONParseError(.invalidNumber, at: index, "expecting a digit after '.'")
            }
            while index < bytes.count && isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count && (bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E")) {
            isFloat = true
            index += 1
            if index < bytes.count && (bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-")) {
                index += 1
            }
            guard index < bytes.count else { throw endError("a digit in the exponent") }
            guard isDigit(bytes[index]) else {
                throw JSONParseError(.invalidNumber, at: index, "expecting a digit in the exponent")
            }
            while index < bytes.count && isDigit(bytes[index]) { index += 1 }
        }
        if !isFloat {
            // Accumulate negatively so Int64.min parses without overflow.
            var value: Int64 = 0
            var overflow = false
            for position in digitsStart..<integerEnd {
                let digit = Int64(bytes[position] - UInt8(ascii: "0"))
                let (times10, o1) = value.multipliedReportingOverflow(by: 10)
                let (next, o2) = times10.subtractingReportingOverflow(digit)
                if o1 || o2 { overflow = true; break }
                value = next
            }
            if !overflow {
                if negative { return .integer(value) }
                if value != .min { return .integer(-value) }
            }
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<integerEnd]), as: UTF8.self)
            return .bigInteger(text)
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        guard let double = Double(text), double.isFinite else {
            throw JSONParseError(.invalidNumber, at: start, "number \(text) is out of range")
        }
        return .float(double)
    }

    @inline(__always) func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }
}
