/// Why a request body is not valid JSON, with the byte offset where parsing stopped.
///
/// The API server turns it into a 400 BadRequest, so the message names the offset and what was expected, the way
/// Go's decoder reports `invalid character 'x' looking for beginning of value` at an offset.
public struct JSONParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of problem.
    public enum Code: String, Sendable, Hashable {
        /// The input stopped inside a value.
        case unexpectedEndOfInput
        /// A byte that cannot start or continue the expected token.
        case unexpectedCharacter
        /// A number that does not follow the RFC 8259 grammar or overflows a double.
        case invalidNumber
        /// A backslash escape other than `\" \\ \/ \b \f \n \r \t \uXXXX`.
        case invalidEscape
        /// A string that is not valid UTF-8.
        case invalidUTF8
        /// A raw control character (below U+0020) inside a string.
        case controlCharacterInString
        /// Something other than whitespace after the top-level value.
        case trailingData
        /// Arrays/objects nested deeper than the parser allows.
        case nestingTooDeep
        /// A repeated object key when duplicates are rejected.
        case duplicateKey
    }

    /// The kind of problem.
    public var code: Code
    /// Zero-based byte offset into the input.
    public var offset: Int
    /// Human-readable detail.
    public var message: String

    /// Creates an error.
    /// - Parameters:
    ///   - code: the kind of problem.
    ///   - offset: zero-based byte offset.
    ///   - message: detail for people.
    public init(_ code: Code, at offset: Int, _ message: String) {
        self.code = code
        self.offset = offset
        self.message = message
    }

    public var description: String { "invalid JSON at byte offset \(offset): \(message)" }
}
