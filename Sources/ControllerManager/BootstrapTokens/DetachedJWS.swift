import PKI

/// The cluster-info signatures joining nodes check (upstream `bootstrap/token/jws.ComputeDetachedSignature`):
/// a compact JWS with HS256 keyed by the whole token `id.secret`, header `{"alg":"HS256","kid":"<id>"}`, and the
/// payload left out of the serialization (`header..signature`), since the verifier has the payload already.
public enum DetachedJWS {
    /// Signs `payload` with the bootstrap token.
    /// - Parameters:
    ///   - payload: the signed content (the cluster-info kubeconfig).
    ///   - tokenID: the token's id, the `kid`.
    ///   - tokenSecret: the token's secret.
    public static func sign(_ payload: String, tokenID: String, tokenSecret: String) throws -> String {
        // The id is [a-z0-9]{6} (checked by the caller), so it needs no JSON escaping.
        let header = Base64URL.encode(Array("{\"alg\":\"HS256\",\"kid\":\"\(tokenID)\"}".utf8))
        let signingInput = header + "." + Base64URL.encode(Array(payload.utf8))
        let mac = try hmacSHA256(key: Array((tokenID + "." + tokenSecret).utf8), message: Array(signingInput.utf8))
        return header + ".." + Base64URL.encode(mac)
    }

    /// HMAC-SHA256 (RFC 2104) over the SHA-256 the PKI module provides.
    static func hmacSHA256(key: [UInt8], message: [UInt8]) throws -> [UInt8] {
        let blockSize = 64
        var block = key.count > blockSize ? try Digest.sha256(key) : key
        block += [UInt8](repeating: 0, count: blockSize - block.count)
        let inner = try Digest.sha256(block.map { $0 ^ 0x36 } + message)
        return try Digest.sha256(block.map { $0 ^ 0x5c } + inner)
    }
}
