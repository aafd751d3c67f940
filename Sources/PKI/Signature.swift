import COpenSSL

/// The JWS signature algorithms kubeadm-swift signs and verifies (RFC 7518 §3.3, §3.4).
///
/// Upstream's token signer picks the algorithm from the key type (RS256 for RSA; ES256/384/512 for ECDSA by
/// curve). kubeadm only generates RSA and P-256 keys, so these two cover every `sa.key` it writes.
public enum JWSAlgorithm: String, Sendable, Hashable, CaseIterable {
    /// RSASSA-PKCS1-v1_5 with SHA-256.
    case rs256 = "RS256"
    /// ECDSA P-256 with SHA-256; the signature is the fixed-width `r || s` (64 bytes), not DER.
    case es256 = "ES256"

    /// The algorithm a key signs with, or nil for a key JWS cannot use here (an EC curve other than P-256).
    static func matching(_ pkey: OpaquePointer) -> JWSAlgorithm? {
        if EVPKeyInfo.isRSA(pkey) { return .rs256 }
        return EVPKeyInfo.curveName(pkey) == "prime256v1" ? .es256 : nil
    }
}

/// SHA-256 digital signatures through `EVP_DigestSign` / `EVP_DigestVerify`.
enum Signature {
    /// Width of one ES256 coordinate (`r` or `s`) in the JWS encoding.
    static let es256CoordinateBytes = 32

    /// Signs `message` in the JWS encoding of `algorithm`.
    /// - Throws: `PKIError` `.invalidArgument` when the key does not fit the algorithm; `.openSSL` on failure.
    static func sign(_ message: [UInt8], algorithm: JWSAlgorithm, key pkey: OpaquePointer) throws -> [UInt8] {
        guard JWSAlgorithm.matching(pkey) == algorithm else {
            throw PKIError(.invalidArgument, "a \(algorithm.rawValue) signature needs a "
                + (algorithm == .rs256 ? "RSA" : "ECDSA P-256") + " key")
        }
        OpenSSLErrorQueue.clear()
        guard let context = EVP_MD_CTX_new() else { throw PKIError.openSSL("cannot allocate a digest context") }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestSignInit(context, nil, EVP_sha256(), nil, pkey) == 1 else {
            throw PKIError.openSSL("cannot start a \(algorithm.rawValue) signature")
        }
        var length = 0
        let sized = message.withUnsafeBufferPointer { EVP_DigestSign(context, nil, &length, $0.baseAddress, $0.count) }
        guard sized == 1, length > 0 else { throw PKIError.openSSL("cannot size a \(algorithm.rawValue) signature") }
        var signature = [UInt8](repeating: 0, count: length)
        let signed = message.withUnsafeBufferPointer { input in
            signature.withUnsafeMutableBufferPointer { output in
                EVP_DigestSign(context, output.baseAddress, &length, input.baseAddress, input.count)
            }
        }
        guard signed == 1 else { throw PKIError.openSSL("cannot compute a \(algorithm.rawValue) signature") }
        signature.removeSubrange(length...)
        return algorithm == .es256 ? try rawECDSA(fromDER: signature) : signature
    }

    /// Verifies a JWS-encoded signature; false on any mismatch or malformed input.
    static func verify(_ signature: [UInt8], message: [UInt8], algorithm: JWSAlgorithm, key pkey: OpaquePointer)
        -> Bool
    {
        defer { OpenSSLErrorQueue.clear() }  // a failed verification is an answer, not an error to report later
        guard JWSAlgorithm.matching(pkey) == algorithm else { return false }
        let encoded: [UInt8]
        if algorithm == .es256 {
            guard let der = derECDSA(fromRaw: signature) else { return false }
            encoded = der
        } else {
            encoded = signature
        }
        guard let context = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestVerifyInit(context, nil, EVP_sha256(), nil, pkey) == 1 else { return false }
        let result = encoded.withUnsafeBufferPointer { sig in
            message.withUnsafeBufferPointer { input in
                EVP_DigestVerify(context, sig.baseAddress, sig.count, input.baseAddress, input.count)
            }
        }
        return result == 1
    }

    /// DER `ECDSA-Sig-Value` (what OpenSSL produces) to JWS's `r || s`, each left-padded to 32 bytes.
    static func rawECDSA(fromDER der: [UInt8]) throws -> [UInt8] {
        let parsed: OpaquePointer? = der.withUnsafeBufferPointer { buffer in
            var cursor = buffer.baseAddress
            return d2i_ECDSA_SIG(nil, &cursor, buffer.count)
        }
        guard let parsed else { throw PKIError.openSSL("cannot decode an ECDSA signature") }
        defer { ECDSA_SIG_free(parsed) }
        var raw = [UInt8](repeating: 0, count: 2 * es256CoordinateBytes)
        let width = Int32(es256CoordinateBytes)
        let ok = raw.withUnsafeMutableBufferPointer { buffer -> Bool in
            guard let base = buffer.baseAddress else { return false }
            return BN_bn2binpad(ECDSA_SIG_get0_r(parsed), base, width) == width
                && BN_bn2binpad(ECDSA_SIG_get0_s(parsed), base + es256CoordinateBytes, width) == width
        }
        guard ok else { throw PKIError.openSSL("cannot encode an ECDSA signature") }
        return raw
    }

    /// JWS `r || s` back to DER for OpenSSL; nil unless it is exactly 64 bytes.
    static func derECDSA(fromRaw raw: [UInt8]) -> [UInt8]? {
        guard raw.count == 2 * es256CoordinateBytes, let signature = ECDSA_SIG_new() else { return nil }
        defer { ECDSA_SIG_free(signature) }
        let (r, s) = raw.withUnsafeBufferPointer { buffer in
            (BN_bin2bn(buffer.baseAddress, Int32(es256CoordinateBytes), nil),
             BN_bin2bn(buffer.baseAddress.map { $0 + es256CoordinateBytes }, Int32(es256CoordinateBytes), nil))
        }
        guard let r, let s else {
            BN_free(r)
            BN_free(s)
            return nil
        }
        guard ECDSA_SIG_set0(signature, r, s) == 1 else {  // on success the signature owns r and s
            BN_free(r)
            BN_free(s)
            return nil
        }
        return try? DER.encode("ECDSA signature") { i2d_ECDSA_SIG(signature, $0) }
    }
}
