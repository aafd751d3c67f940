import Foundation
import KubeAPI
import PKI

/// Signs service-account tokens with `--service-account-signing-key-file` (upstream's `JWTTokenGenerator` and
/// `Claims`), plus the TokenRequest settings that shape them.
public struct ServiceAccountTokenIssuer: Sendable {
    /// `iss` of every token: the first `--service-account-issuer`.
    public let issuer: String
    /// `--api-audiences`: a TokenRequest without audiences gets these.
    public let apiAudiences: [String]
    /// `--service-account-max-token-expiration`: longer requests are shortened (nil: no limit).
    public let maxExpirationSeconds: Int64?
    /// `--service-account-extend-token-expiration`: kubelet's pod-bound tokens asking for exactly
    /// `warnOnlyExpirationSeconds` get a year of validity, with `warnafter` recording the requested expiry, so
    /// workloads that fail to refresh tokens keep working while the stale use is visible.
    public let extendExpiration: Bool
    let key: PrivateKey
    let header: [UInt8]
    let now: @Sendable () -> KubeTime

    /// The expiry kubelet requests for projected tokens (an hour and 7 seconds: recognisable on purpose).
    public static let warnOnlyExpirationSeconds: Int64 = 3607
    /// How long such a token really stays valid.
    public static let extendedExpirationSeconds: Int64 = 365 * 24 * 3600

    /// - Parameters:
    ///   - issuer: the token issuer URL.
    ///   - signingKey: the private key (RSA signs RS256, P-256 signs ES256).
    ///   - apiAudiences: `--api-audiences`, the default audiences; nil means `[issuer]`. Upstream's default is
    ///     every `--service-account-issuer`, so pass them all when there are several (issuer migration).
    ///   - maxExpirationSeconds: the longest expiry granted.
    ///   - extendExpiration: whether kubelet's projected tokens are extended.
    ///   - now: the clock.
    /// - Throws: `PKIError` when the key cannot sign JWTs.
    public init(issuer: String, signingKey: PrivateKey, apiAudiences: [String]? = nil, maxExpirationSeconds: Int64? = nil,
                extendExpiration: Bool = true, now: @escaping @Sendable () -> KubeTime = { KubeTime.now() }) throws {
        self.issuer = issuer
        self.key = signingKey
        self.header = try JWS.header(for: signingKey)
        self.apiAudiences = apiAudiences ?? [issuer]
        self.maxExpirationSeconds = maxExpirationSeconds
        self.extendExpiration = extendExpiration
        self.now = now
    }

    /// The public half, for the authenticator of this server's own tokens.
    public func publicKey() throws -> PublicKey { try PublicKey(key) }

    /// The current time of this issuer's clock.
    public func currentTime() -> KubeTime { now() }

    /// Signs a token for `claims`, issued at `issuedAt` (also its `nbf`), expiring `expirationSeconds` later, with a
    /// fresh `jti`.
    /// - Returns: the compact JWT.
    /// - Throws: `PKIError` when signing fails.
    public func sign(_ claims: ServiceAccountClaims, audiences: [String], issuedAt: Int64, expirationSeconds: Int64)
        throws -> String
    {
        var registered = JWTClaims()
        registered.issuer = issuer
        registered.subject = ServiceAccountIdentity.username(namespace: claims.namespace,
                                                             name: claims.serviceAccount.name)
        registered.audiences = audiences
        registered.issuedAt = issuedAt
        registered.notBefore = issuedAt
        registered.expiry = issuedAt + expirationSeconds
        registered.id = UUID().uuidString.lowercased()
        var members = JSONObject()
        for (name, value) in registered.members { members[name] = value }
        members["kubernetes.io"] = claims.json
        members.sort { $0.key < $1.key }
        return try JWS.sign(header: header, payload: JSONValue.object(members).jsonBytes, key: key)
    }
}
