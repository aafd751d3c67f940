/// An error raised by the PKI module.
///
/// A struct with an extensible `Code` (rather than an enum) so new failure kinds can be added
/// without breaking callers' `switch` statements. `description` is meant to be shown to an
/// operator as-is: it names the file involved, what is wrong with it, and how to fix it.
public struct PKIError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The kind of failure; compare with the static members (`error.code == .keyMismatch`).
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// Stable identifier of the code, e.g. `"keyMismatch"`.
        public let name: String

        /// Creates a code; only the static members below are used by this module.
        public init(_ name: String) { self.name = name }

        /// The code's name.
        public var description: String { name }

        /// A file that should exist does not (e.g. a key without its certificate).
        public static let missingFile = Code("missingFile")
        /// A file is not valid PEM or holds no block of the expected type.
        public static let malformedPEM = Code("malformedPEM")
        /// A PEM block was found but its content could not be decoded (bad DER, unsupported key).
        public static let malformedData = Code("malformedData")
        /// A certificate and the private key next to it do not belong together.
        public static let keyMismatch = Code("keyMismatch")
        /// A certificate was not signed by the certificate authority it should chain to.
        public static let notSignedByCA = Code("notSignedByCA")
        /// A certificate is expired (or not yet valid).
        public static let expired = Code("expired")
        /// An existing serving certificate lacks a subject alternative name the configuration requires.
        public static let missingSAN = Code("missingSAN")
        /// A certificate authority is present without its key (external CA mode) and a leaf that
        /// would have to be signed with that key is missing.
        public static let externalCA = Code("externalCA")
        /// The requested operation is not possible for this certificate (e.g. renewing a CA).
        public static let notRenewable = Code("notRenewable")
        /// A caller-supplied value is invalid (e.g. a malformed CA certificate hash).
        public static let invalidArgument = Code("invalidArgument")
        /// An OpenSSL call failed; the message carries OpenSSL's error queue.
        public static let openSSL = Code("openSSL")
        /// A file-system operation failed.
        public static let io = Code("io")
    }

    /// What kind of failure this is.
    public var code: Code
    /// Human-readable explanation, including the suggested fix.
    public var message: String
    /// The file the error is about, if any. Printed first so operators can find it quickly.
    public var path: String?
    /// Lines from OpenSSL's thread-local error queue captured when the error was raised.
    public var openSSLErrors: [String]

    /// Creates an error.
    /// - Parameters:
    ///   - code: The kind of failure.
    ///   - message: What went wrong and how to fix it.
    ///   - path: The file concerned, if any.
    ///   - openSSLErrors: OpenSSL error-queue lines to append.
    public init(_ code: Code, _ message: String, path: String? = nil, openSSLErrors: [String] = []) {
        self.code = code
        self.message = message
        self.path = path
        self.openSSLErrors = openSSLErrors
    }

    /// `<path>: <message> (openssl: <queue>)`, ready to show to an operator.
    public var description: String {
        var text = ""
        if let path { text += path + ": " }
        text += message
        if !openSSLErrors.isEmpty {
            text += " (openssl: " + openSSLErrors.joined(separator: "; ") + ")"
        }
        return text
    }

    /// Returns a copy attributed to `path` (keeps an existing path, which is more specific).
    func at(_ path: String) -> PKIError {
        var copy = self
        if copy.path == nil { copy.path = path }
        return copy
    }

    /// An `.openSSL` error for a failed call, with the current OpenSSL error queue drained into it.
    static func openSSL(_ what: String) -> PKIError {
        PKIError(.openSSL, what, openSSLErrors: OpenSSLErrorQueue.drain())
    }
}
