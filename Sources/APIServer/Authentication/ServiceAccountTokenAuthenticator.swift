import KubeAPI
import PKI

/// Authenticates service-account JWTs (upstream's `pkg/serviceaccount/jwt.go`): bound tokens from TokenRequest
/// and, optionally, legacy Secret-based tokens.
///
/// Order of checks, as upstream: a token whose unverified `iss` is not ours is not applicable (another
/// authenticator may own it); then the signature with the keys matching `kid` (all keys when absent); then `iss`
/// again, now trusted; then the audiences; then time and the existence of the account and bound object.
public struct ServiceAccountTokenAuthenticator: TokenAuthenticator {
    let issuers: Set<String>
    let keys: [PublicKey]
    let keysByID: [String: [PublicKey]]
    let apiAudiences: [String]
    let acceptLegacyTokens: Bool
    let lookups: ServiceAccountLookups
    let now: @Sendable () -> KubeTime

    /// - Parameters:
    ///   - issuers: `--service-account-issuer` values; tokens from any of them are accepted.
    ///   - keys: `--service-account-key-file` keys; several allow key rotation.
    ///   - apiAudiences: `--api-audiences`; nil means upstream's default, all the issuers.
    ///   - acceptLegacyTokens: also accept legacy tokens (issuer `kubernetes/serviceaccount`) whose Secret exists.
    ///   - lookups: reads of the account and bound objects (`--service-account-lookup`, always on here).
    ///   - now: the clock.
    public init(issuers: [String], keys: [PublicKey], apiAudiences: [String]? = nil, acceptLegacyTokens: Bool = true,
                lookups: ServiceAccountLookups, now: @escaping @Sendable () -> KubeTime = { KubeTime.now() }) {
        self.issuers = Set(issuers)
        self.keys = keys
        self.keysByID = Dictionary(grouping: keys, by: \.keyID)
        self.apiAudiences = apiAudiences ?? issuers
        self.acceptLegacyTokens = acceptLegacyTokens
        self.lookups = lookups
        self.now = now
    }

    public func authenticate(token: String, audiences: [String]?) async -> TokenAuthentication {
        guard let jws = CompactJWS(token), let payload = try? JSONValue(parsing: jws.payload),
            let header = try? JSONValue(parsing: jws.header), header.object != nil,
            let unverifiedIssuer = payload["iss"]?.string
        else { return .notApplicable }
        // Legacy tokens carry flat `kubernetes.io/serviceaccount/...` claims instead of a `kubernetes.io` object.
        let legacy = acceptLegacyTokens && unverifiedIssuer == LegacyServiceAccountClaims.issuer
            && payload["kubernetes.io"] == nil
        guard legacy || issuers.contains(unverifiedIssuer) else { return .notApplicable }

        if let problem = verifySignature(jws, header: header) { return .rejected(problem) }

        let claims: JWTClaims
        do {
            claims = try JWTClaims(decoding: payload)
        } catch {
            return .rejected(error.message)
        }
        // The issuer was read before the signature was checked; now it is trustworthy, check it again.
        guard legacy ? claims.issuer == LegacyServiceAccountClaims.issuer : issuers.contains(claims.issuer) else {
            return .rejected("token issuer \"\(claims.issuer)\" is invalid")
        }

        // Tokens without audiences (legacy ones) are valid for the API audiences only.
        let tokenAudiences = claims.audiences.isEmpty ? apiAudiences : claims.audiences
        let requested = audiences.flatMap { $0.isEmpty ? nil : $0 } ?? apiAudiences
        let accepted = Audiences.intersect(tokenAudiences, requested)
        if accepted.isEmpty && !apiAudiences.isEmpty {
            return .rejected("token audiences \(Audiences.quoted(tokenAudiences)) is invalid for the target audiences "
                + Audiences.quoted(requested))
        }

        let validation = ServiceAccountTokenValidation(lookups: lookups, now: now().seconds)
        let outcome: Result<ServiceAccountIdentity, Rejection>
        do {
            if legacy {
                outcome = await validation.validateLegacy(token: token, claims,
                                                          try LegacyServiceAccountClaims(decoding: payload))
            } else {
                let bound = try ServiceAccountClaims(decoding: payload)
                    ?? ServiceAccountClaims(namespace: "", serviceAccount: .init(name: "", uid: ""))
                outcome = await validation.validate(claims, bound)
            }
        } catch {
            return .rejected(error.message)
        }
        switch outcome {
        case .success(let identity):
            return TokenAuthentication(.authenticated(identity.userInfo), audiences: accepted)
        case .failure(let rejection):
            return .rejected(rejection.reason)
        }
    }

    /// Nil when one of the candidate keys verifies the signature, else why not.
    ///
    /// The algorithm is the key's own; a header naming another one (`none`, `HS256` with the public key as the
    /// HMAC secret, ...) fails instead of switching the verification scheme.
    func verifySignature(_ jws: CompactJWS, header: JSONValue) -> String? {
        let keyID = header["kid"]?.string ?? ""
        let candidates = keyID.isEmpty ? keys : keysByID[keyID] ?? []
        guard !candidates.isEmpty else { return "invalid signature, no keys found" }
        guard let name = header["alg"]?.string, let algorithm = JWSAlgorithm(rawValue: name) else {
            return "invalid signature, unsupported signing algorithm"
        }
        for key in candidates where key.jwsAlgorithm == algorithm {
            if jws.verify(algorithm: algorithm, key: key) { return nil }
        }
        return "invalid signature"
    }
}
