import PKI

/// Decides who sent a request, in upstream's order: a verified client certificate, then a bearer token, then
/// (if enabled) anonymous.
///
/// 401 versus 403: `.rejected` means the request carried a credential that is not valid (or none, with anonymous
/// disabled) and must be answered 401 `Unauthorized`; it never falls back to anonymous. An authenticated or
/// anonymous user that lacks permission is the authorizer's 403, not this type's business.
public struct RequestAuthenticator: Sendable {
    /// The bearer-token authenticators (typically a `UnionTokenAuthenticator`); nil when tokens are not accepted.
    public var tokens: (any TokenAuthenticator)?
    /// `--anonymous-auth`: requests without credentials become `system:anonymous`.
    public var allowAnonymous: Bool

    public init(tokens: (any TokenAuthenticator)?, allowAnonymous: Bool) {
        self.tokens = tokens
        self.allowAnonymous = allowAnonymous
    }

    /// Upstream's reason when a presented bearer token is accepted by no authenticator.
    public static let invalidBearerToken = "invalid bearer token"

    /// Authenticates one request.
    /// - Parameters:
    ///   - authorization: the `Authorization` header, if any.
    ///   - clientCertificate: the client's leaf certificate, already verified against the client CA by TLS.
    /// - Returns: `.authenticated` (possibly as anonymous) or `.rejected`; never `.notApplicable`.
    public func authenticate(authorization: String?, clientCertificate: Certificate?) async -> AuthenticationResult {
        if let clientCertificate, case .authenticated(let user) = X509Identity.authenticate(clientCertificate) {
            return .authenticated(user)
        }
        if let token = BearerToken.parse(header: authorization) {
            guard let tokens else { return .rejected(Self.invalidBearerToken) }
            switch await tokens.authenticate(token: token) {
            case .authenticated(let user): return .authenticated(user)
            case .rejected(let reason): return .rejected(reason)
            case .notApplicable: return .rejected(Self.invalidBearerToken)
            }
        }
        return allowAnonymous ? .authenticated(.anonymous) : .rejected("no credentials provided")
    }
}

extension StatusError {
    /// The 401 body upstream sends for every authentication failure; the specific reason stays in the server log.
    public static var unauthorized: StatusError {
        StatusError(code: 401, reason: "Unauthorized", message: "Unauthorized")
    }
}
