import KubeAPI

/// The `Status` object an API server answers errors with (metav1.Status): what callers branch on.
public struct APIStatus: Sendable, Hashable, CustomStringConvertible {
    /// The HTTP status code (also `code` in the body).
    public var code: Int
    /// The machine-readable reason, e.g. "NotFound", "AlreadyExists", "Conflict", "Expired".
    public var reason: String
    public var message: String
    /// `details` (name, group, kind, causes, retryAfterSeconds) as sent.
    public var details: JSONValue?

    public init(code: Int, reason: String, message: String, details: JSONValue? = nil) {
        self.code = code
        self.reason = reason
        self.message = message
        self.details = details
    }

    /// Reads a `Status` body; a body that is not one (a proxy's HTML page, say) still yields the HTTP code with
    /// the reason upstream infers from it, so `isNotFound` and friends work on any server.
    init(httpStatus: Int, body: [UInt8]) {
        let json = try? JSONValue(parsing: body)
        if let json, json["kind"]?.string == "Status" {
            code = json["code"]?.int ?? httpStatus
            reason = json["reason"]?.string ?? Self.reasons[httpStatus] ?? ""
            message = json["message"]?.string ?? ""
            details = json["details"]
        } else {
            code = httpStatus
            reason = Self.reasons[httpStatus] ?? ""
            let text = String(decoding: body.prefix(512), as: UTF8.self)
            message = text.isEmpty ? "the server responded with HTTP \(httpStatus)" : text
            details = nil
        }
    }

    /// Reads the `object` of a watch `ERROR` event.
    init(watchError object: JSONValue) {
        code = object["code"]?.int ?? 500
        reason = object["reason"]?.string ?? Self.reasons[code] ?? ""
        message = object["message"]?.string ?? "watch error"
        details = object["details"]
    }

    /// client-go's `reasonForError` fallback: the reason implied by a bare HTTP code.
    static let reasons: [Int: String] = [
        400: "BadRequest", 401: "Unauthorized", 403: "Forbidden", 404: "NotFound", 405: "MethodNotAllowed",
        406: "NotAcceptable", 409: "Conflict", 410: "Gone", 413: "RequestEntityTooLarge", 415: "UnsupportedMediaType",
        422: "Invalid", 429: "TooManyRequests", 500: "InternalError", 503: "ServiceUnavailable", 504: "Timeout",
    ]

    public var description: String { "\(code) \(reason): \(message)" }
}
