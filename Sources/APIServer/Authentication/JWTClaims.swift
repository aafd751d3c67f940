import KubeAPI

/// The registered JWT claims (RFC 7519 §4.1) a service-account token uses, decoded as go-jose's `jwt.Claims`:
/// `aud` may be one string or an array, and times are NumericDates (seconds, fractions dropped).
struct JWTClaims: Sendable, Equatable {
    var issuer = ""
    var subject = ""
    var audiences: [String] = []
    var expiry: Int64?
    var notBefore: Int64?
    var issuedAt: Int64?
    /// `jti`; empty when absent.
    var id = ""

    /// Why a payload's claims could not be decoded (a type error; the value itself is never echoed).
    struct DecodingError: Error, Sendable {
        let claim: String
        var message: String { "token claim \"\(claim)\" has an invalid type" }
    }

    init() {}

    /// Decodes the registered claims of a JSON payload object.
    init(decoding payload: JSONValue) throws(DecodingError) {
        issuer = try Self.string(payload, "iss")
        subject = try Self.string(payload, "sub")
        id = try Self.string(payload, "jti")
        switch payload["aud"] {
        case nil, .null?: audiences = []
        case .string(let single)?: audiences = [single]
        case .array(let items)?:
            audiences = []
            for item in items {
                guard let text = item.string else { throw DecodingError(claim: "aud") }
                audiences.append(text)
            }
        default: throw DecodingError(claim: "aud")
        }
        expiry = try Self.numericDate(payload, "exp")
        notBefore = try Self.numericDate(payload, "nbf")
        issuedAt = try Self.numericDate(payload, "iat")
    }

    /// The claims as JSON members, keys in the sorted order upstream's tokens have (go-jose serializes a map).
    /// `aud` is always an array, as in upstream's tokens.
    var members: [(String, JSONValue)] {
        var members: [(String, JSONValue)] = [("aud", .array(audiences.map(JSONValue.string)))]
        if let expiry { members.append(("exp", .integer(expiry))) }
        if let issuedAt { members.append(("iat", .integer(issuedAt))) }
        if !issuer.isEmpty { members.append(("iss", .string(issuer))) }
        if !id.isEmpty { members.append(("jti", .string(id))) }
        if let notBefore { members.append(("nbf", .integer(notBefore))) }
        if !subject.isEmpty { members.append(("sub", .string(subject))) }
        return members
    }

    static func string(_ payload: JSONValue, _ claim: String) throws(DecodingError) -> String {
        switch payload[claim] {
        case nil, .null?: return ""
        case .string(let text)?: return text
        default: throw DecodingError(claim: claim)
        }
    }

    static func numericDate(_ payload: JSONValue, _ claim: String) throws(DecodingError) -> Int64? {
        guard let value = payload[claim], !value.isNull else { return nil }
        if let whole = value.int64 { return whole }
        if let seconds = value.double, seconds.isFinite, abs(seconds) < 9.2e18 { return Int64(seconds) }
        throw DecodingError(claim: claim)
    }

    // MARK: Time checks (go-jose's `Claims.Validate` with its default one-minute leeway)

    /// Clock skew tolerated between the token's issuer and this server.
    static let leewaySeconds: Int64 = 60

    enum TimeProblem: Sendable, Equatable {
        case expired, notValidYet, issuedInTheFuture
    }

    /// The first time check `now` fails, if any.
    func timeProblem(at now: Int64) -> TimeProblem? {
        if let expiry, now - Self.leewaySeconds > expiry { return .expired }
        if let notBefore, now + Self.leewaySeconds < notBefore { return .notValidYet }
        if let issuedAt, now + Self.leewaySeconds < issuedAt { return .issuedInTheFuture }
        return nil
    }
}
