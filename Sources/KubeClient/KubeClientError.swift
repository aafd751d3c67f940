/// A failed client call: either the server answered with a `Status` (`.api`), or the request never got an answer.
public enum KubeClientError: Error, CustomStringConvertible, Sendable {
    /// The server refused the request; the `Status` says why.
    case api(APIStatus)
    /// No answer within the request timeout.
    case timedOut(method: String, path: String, after: Duration)
    /// The connection failed (refused, reset, TLS handshake, closed early).
    case transport(method: String, path: String, underlying: String)
    /// The server answered 2xx with a body this client cannot read.
    case invalidResponse(String)
    /// The call itself was malformed (e.g. a namespaced resource without a namespace); nothing was sent.
    case invalidRequest(String)

    /// The `Status` of an API error.
    public var status: APIStatus? { if case .api(let status) = self { status } else { nil } }

    /// The error checks of client-go's `apierrors` package, as a table of the reasons each one accepts and the
    /// HTTP code that counts when the server sent no reason.
    static let checks: [Check: (reasons: Set<String>, code: Int)] = [
        .notFound: (["NotFound"], 404),
        .alreadyExists: (["AlreadyExists"], 409),
        .conflict: (["Conflict"], 409),
        .gone: (["Gone", "Expired"], 410),
        .invalid: (["Invalid"], 422),
        .forbidden: (["Forbidden"], 403),
        .unauthorized: (["Unauthorized"], 401),
        .badRequest: (["BadRequest"], 400),
        .tooManyRequests: (["TooManyRequests"], 429),
        .serverTimeout: (["ServerTimeout", "Timeout"], 504),
    ]

    enum Check: Hashable { case notFound, alreadyExists, conflict, gone, invalid, forbidden, unauthorized, badRequest, tooManyRequests, serverTimeout }

    /// Every reason a check is named for; a reason outside this set (or none) falls back to the HTTP code, as
    /// client-go does for servers and proxies that answer without a `Status`.
    static let knownReasons: Set<String> = checks.values.reduce(into: Set(APIStatus.reasons.values)) { $0.formUnion($1.reasons) }

    func matches(_ check: Check) -> Bool {
        guard let status, let rule = Self.checks[check] else { return false }
        if rule.reasons.contains(status.reason) { return true }
        return !Self.knownReasons.contains(status.reason) && status.code == rule.code
    }

    public var isNotFound: Bool { matches(.notFound) }
    public var isAlreadyExists: Bool { matches(.alreadyExists) }
    /// An optimistic-concurrency failure (stale resourceVersion): re-read and retry.
    public var isConflict: Bool { matches(.conflict) }
    /// The requested resourceVersion is compacted away (410 Gone / Expired): re-list.
    public var isGone: Bool { matches(.gone) }
    public var isInvalid: Bool { matches(.invalid) }
    public var isForbidden: Bool { matches(.forbidden) }
    public var isUnauthorized: Bool { matches(.unauthorized) }
    public var isBadRequest: Bool { matches(.badRequest) }
    public var isTooManyRequests: Bool { matches(.tooManyRequests) }
    public var isServerTimeout: Bool { matches(.serverTimeout) }

    public var description: String {
        switch self {
        case .api(let status): status.description
        case .timedOut(let method, let path, let after): "\(method) \(path): no response within \(after)"
        case .transport(let method, let path, let underlying): "\(method) \(path): \(underlying)"
        case .invalidResponse(let message): "invalid response: \(message)"
        case .invalidRequest(let message): message
        }
    }
}

extension Error {
    /// Whether this is a `KubeClientError` with a NotFound status: handy in `catch` blocks and `try?` chains.
    public var isKubeNotFound: Bool { (self as? KubeClientError)?.isNotFound ?? false }
    public var isKubeConflict: Bool { (self as? KubeClientError)?.isConflict ?? false }
    public var isKubeAlreadyExists: Bool { (self as? KubeClientError)?.isAlreadyExists ?? false }
    public var isKubeGone: Bool { (self as? KubeClientError)?.isGone ?? false }
}
