/// Why a patch could not be applied, classified the way the API server must answer.
///
/// A malformed patch document (bad pointer, unknown op, bad directive) is the client's syntax error: 400
/// BadRequest. A well-formed patch that does not fit the object (missing path, failed `test`, lists of lists) is
/// 422 Unprocessable, as upstream's patch handler reports.
public struct PatchError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The class of failure.
    public enum Kind: Sendable, Hashable {
        /// The patch document itself is invalid (HTTP 400).
        case badRequest
        /// The patch is valid but cannot be applied to this object (HTTP 422).
        case unprocessable
    }

    /// The class of failure.
    public var kind: Kind
    /// What went wrong.
    public var message: String

    /// Creates an error.
    /// - Parameters:
    ///   - kind: the class of failure.
    ///   - message: what went wrong.
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// The HTTP status code the API server should return.
    public var httpStatus: Int { kind == .badRequest ? 400 : 422 }

    public var description: String { message }

    static func bad(_ message: String) -> PatchError { PatchError(.badRequest, message) }
    static func unprocessable(_ message: String) -> PatchError { PatchError(.unprocessable, message) }
}
