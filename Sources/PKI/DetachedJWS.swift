import Foundation

/// The cluster-info signatures of bootstrap-token discovery (upstream `bootstrap/token/jws`): a compact JWS with
/// HS256 keyed by the whole token `id.secret`, header `{"alg":"HS256","kid":"<id>"}`, and the payload left out of
/// the serialization (`header..signature`), since the verifier has the payload already. The controller manager's
/// bootstrapsigner signs; `join` verifies.
public enum DetachedJWS {
    /// Signs `payload` with the bootstrap token.
    /// - Parameters:
    ///   - payload: the signed content (the cluster-info kubeconfig).
    ///   - tokenID: the token's id, the `kid` ([a-z0-9]{6}, so it needs no JSON escaping).
    ///   - tokenSecret: the token's secret.
    public static func sign(_ payload: String, tokenID: String, tokenSecret: String) throws -> String {
        let header = Base64URL.encode(Array("{\"alg\":\"HS256\",\"kid\":\"\(tokenID)\"}".utf8))
        let mac = try hmacSHA256(key: Array((tokenID + "." + tokenSecret).utf8),
                                 message: Array((header + "." + Base64URL.encode(Array(payload.utf8))).utf8))
        return header + ".." + Base64URL.encode(mac)
    }

    /// Whether `jws` is a valid detached HS256 signature of `payload` by the token. Compares in constant time.
    public static func verify(_ jws: String, payload: String, tokenID: String, tokenSecret: String) -> Bool {
        let parts = jws.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[1].isEmpty, let header = Base64URL.decode(String(parts[0])),
              let signature = Base64URL.decode(String(parts[2])),
              let fields = (try? JSONSerialization.jsonObject(with: Data(header))) as? [String: Any],
              fields["alg"] as? String == "HS256", fields["kid"] == nil || fields["kid"] as? String == tokenID,
              let expected = try? hmacSHA256(key: Array((tokenID + "." + tokenSecret).utf8),
                                              message: Array((String(parts[0]) + "." + Base64URL.encode(Array(payload.utf8))).utf8)),
              expected.count == signature.count else { return false }
        var difference: UInt8 = 0
        for (a, b) in zip(expected, signature) { difference |= a ^ b }
        return difference == 0
    }

    /// HMAC-SHA256 (RFC 2104) over the SHA-256 this module provides.
    public static func hmacSHA256(key: [UInt8], message: [UInt8]) throws -> [UInt8] {
        let blockSize = 64
        var block = key.count > blockSize ? try Digest.sha256(key) : key
        block += [UInt8](repeating: 0, count: blockSize - block.count)
        let inner = try Digest.sha256(block.map { $0 ^ 0x36 } + message)
        return try Digest.sha256(block.map { $0 ^ 0x5c } + inner)
    }
}
