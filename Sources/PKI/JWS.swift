/// JSON Web Signature in compact serialization (RFC 7515 §7.1): `base64url(header).base64url(payload).base64url(sig)`.
///
/// This layer works on bytes; building and reading the JSON of the header and claims is the caller's business
/// (the API server's service-account tokens). Only RS256 and ES256 exist here, and verification takes the
/// algorithm from the caller, who must check it against the key (`PublicKey.jwsAlgorithm`) rather than trust the
/// token's `alg` header blindly.
public enum JWS {
    /// The protected header upstream's signer writes: `{"alg":"RS256","kid":"<key id>"}`.
    /// - Throws: `PKIError` `.invalidArgument` for a key no JWS algorithm here fits.
    public static func header(for key: PrivateKey) throws -> [UInt8] {
        let algorithm = try algorithm(for: key)
        let keyID = try PublicKey(key).keyID  // base64url: never needs JSON escaping
        return Array("{\"alg\":\"\(algorithm.rawValue)\",\"kid\":\"\(keyID)\"}".utf8)
    }

    /// The algorithm `key` signs with: RS256 for RSA, ES256 for P-256.
    /// - Throws: `PKIError` `.invalidArgument` for other keys.
    public static func algorithm(for key: PrivateKey) throws -> JWSAlgorithm {
        guard let algorithm = JWSAlgorithm.matching(key.pkey) else {
            throw PKIError(.invalidArgument, "\(key.algorithmName) keys cannot sign JSON Web Tokens here "
                + "(use an RSA or ECDSA P-256 key)")
        }
        return algorithm
    }

    /// Signs `payload` under `header` and returns the compact serialization.
    ///
    /// The algorithm is the key's (`algorithm(for:)`); `header` must name the same one in its `alg`.
    /// - Throws: `PKIError` when the key cannot sign.
    public static func sign(header: [UInt8], payload: [UInt8], key: PrivateKey) throws -> String {
        let algorithm = try algorithm(for: key)
        let signingInput = Base64URL.encode(header) + "." + Base64URL.encode(payload)
        let signature = try Signature.sign(Array(signingInput.utf8), algorithm: algorithm, key: key.pkey)
        return signingInput + "." + Base64URL.encode(signature)
    }

    /// Signs `payload` under the standard header (`header(for:)`).
    public static func sign(payload: [UInt8], key: PrivateKey) throws -> String {
        try sign(header: header(for: key), payload: payload, key: key)
    }
}

/// A compact JWS split into its decoded parts, not yet verified.
public struct CompactJWS: Sendable {
    /// The protected header's JSON bytes.
    public let header: [UInt8]
    /// The payload bytes (for a JWT, the claims JSON). Untrusted until `verify` succeeds.
    public let payload: [UInt8]
    /// The signature bytes.
    public let signature: [UInt8]
    /// `base64url(header).base64url(payload)`: the bytes the signature covers.
    public let signingInput: [UInt8]

    /// Splits and decodes a compact JWS; nil unless it is three base64url parts with a non-empty header.
    public init?(_ token: String) {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty,
            let header = Base64URL.decode(parts[0]),
            let payload = Base64URL.decode(parts[1]),
            let signature = Base64URL.decode(parts[2])
        else { return nil }
        self.header = header
        self.payload = payload
        self.signature = signature
        self.signingInput = Array(parts[0].utf8) + [UInt8(ascii: ".")] + Array(parts[1].utf8)
    }

    /// Whether the signature is `algorithm`'s by `key` over the signing input.
    public func verify(algorithm: JWSAlgorithm, key: PublicKey) -> Bool {
        key.verify(signature: signature, message: signingInput, algorithm: algorithm)
    }
}
