/// A value that is either an integer or a string on the wire (`intstr.IntOrString`), e.g. a Service
/// `targetPort` of `8080` or `"http"`, or a rolling-update `maxSurge` of `1` or `"25%"`.
public enum IntOrString: Codable, Sendable, Hashable, CustomStringConvertible, ExpressibleByIntegerLiteral,
    ExpressibleByStringLiteral
{
    /// An integer value.
    case int(Int32)
    /// A string value (a port name or a percentage such as "25%").
    case string(String)

    /// Creates an integer value.
    /// - Parameters:
    ///   - value: the integer.
    public init(integerLiteral value: Int32) { self = .int(value) }

    /// Creates a string value.
    /// - Parameters:
    ///   - value: the string.
    public init(stringLiteral value: String) { self = .string(value) }

    /// Decodes a JSON number (integral) or string.
    /// - Parameters:
    ///   - decoder: the decoder.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let i = try? container.decode(Int32.self) {
            self = .int(i)
        } else {
            self = .string(try container.decode(String.self))
        }
    }

    /// Encodes as a JSON number or string.
    /// - Parameters:
    ///   - encoder: the encoder.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .int(let i): try container.encode(i)
        case .string(let s): try container.encode(s)
        }
    }

    /// The integer, if this is an integer.
    public var intValue: Int32? { if case .int(let i) = self { i } else { nil } }

    /// The string, if this is a string.
    public var stringValue: String? { if case .string(let s) = self { s } else { nil } }

    /// The value as text ("8080", "http", "25%").
    public var description: String {
        switch self {
        case .int(let i): String(i)
        case .string(let s): s
        }
    }
}
