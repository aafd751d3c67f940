/// Why a selector is invalid; the API server answers 400 BadRequest with this message.
public struct SelectorParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The message.
    public var message: String

    /// Creates an error.
    /// - Parameters:
    ///   - message: the message.
    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
