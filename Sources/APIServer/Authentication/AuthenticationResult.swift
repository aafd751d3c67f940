/// What one authenticator concluded about one credential.
///
/// The three cases mirror upstream's `(response, ok, err)`: `.notApplicable` is "not mine" (`nil, false, nil`),
/// `.rejected` is "mine, and invalid" (an error). The request-level outcome is decided by `RequestAuthenticator`:
/// a presented bearer token nobody accepts is a 401 either way, and neither case falls back to anonymous.
public enum AuthenticationResult: Sendable {
    /// The credential is valid and names this user (groups already include `system:authenticated`).
    case authenticated(UserInfo)
    /// The credential was recognised but is invalid: the request gets 401. The reason is for the server log and
    /// TokenReview's `status.error`; it never contains token or key material.
    case rejected(String)
    /// This authenticator does not handle the credential (wrong format, unknown issuer, no matching secret).
    case notApplicable

    /// The user, when authenticated.
    public var user: UserInfo? {
        if case .authenticated(let user) = self { return user }
        return nil
    }
}

/// A token authenticator's answer with the audiences the token was accepted for (TokenReview reports them).
public struct TokenAuthentication: Sendable {
    public var result: AuthenticationResult
    /// The intersection of the token's audiences with the requested ones; empty unless authenticated.
    public var audiences: [String]

    public init(_ result: AuthenticationResult, audiences: [String] = []) {
        self.result = result
        self.audiences = audiences
    }

    public static let notApplicable = TokenAuthentication(.notApplicable)

    public static func rejected(_ reason: String) -> TokenAuthentication { TokenAuthentication(.rejected(reason)) }
}

/// Authenticates bearer tokens (upstream's `authenticator.Token`).
public protocol TokenAuthenticator: Sendable {
    /// Authenticates `token` for a request that targets `audiences`; nil means this API server's own audiences
    /// (`--api-audiences`), which is what every request to the server itself targets.
    func authenticate(token: String, audiences: [String]?) async -> TokenAuthentication
}

extension TokenAuthenticator {
    /// Authenticates `token` for a request to this API server.
    public func authenticate(token: String) async -> AuthenticationResult {
        await authenticate(token: token, audiences: nil).result
    }
}

/// Audience arithmetic shared by the authenticators (upstream's `authenticator.Audiences`).
enum Audiences {
    /// Members of `a` that are also in `b`, in `a`'s order.
    static func intersect(_ a: [String], _ b: [String]) -> [String] {
        let other = Set(b)
        return a.filter { other.contains($0) }
    }

    /// The audiences a token that names none (a bootstrap token) is valid for: the API audiences when the request
    /// targets them, nil ("not applicable") when it targets only others. With no API audiences configured and
    /// none requested there is nothing to check, and the result is empty (upstream's audience-agnostic wrapper).
    static func agnostic(implicit: [String], requested: [String]?) -> [String]? {
        let target = requested.flatMap { $0.isEmpty ? nil : $0 } ?? implicit
        guard !target.isEmpty else { return [] }
        let accepted = intersect(implicit, target)
        return accepted.isEmpty ? nil : accepted
    }

    /// Go's `%q` of a string slice, e.g. `["a" "b"]`, as upstream's audience errors print it.
    static func quoted(_ list: [String]) -> String {
        "[" + list.map { "\"\($0)\"" }.joined(separator: " ") + "]"
    }
}
