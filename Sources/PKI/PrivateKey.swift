import COpenSSL

/// Key algorithms kubeadm supports through `ClusterConfiguration.encryptionAlgorithm` (v1beta4).
///
/// Raw values are kubeadm's spelling, so a config value maps with `KeyAlgorithm(rawValue:)`.
/// (kubeadm treats an empty value as `RSA-2048`; that defaulting belongs to the config layer.)
public enum KeyAlgorithm: String, Sendable, CaseIterable {
    case rsa2048 = "RSA-2048"
    case rsa3072 = "RSA-3072"
    case rsa4096 = "RSA-4096"
    case ecdsaP256 = "ECDSA-P256"

    /// RSA modulus size, or `nil` for elliptic-curve algorithms.
    public var rsaBits: Int? {
        switch self {
        case .rsa2048: 2048
        case .rsa3072: 3072
        case .rsa4096: 4096
        case .ecdsaP256: nil
        }
    }
}

/// A private key (RSA or ECDSA P-256) backed by an OpenSSL `EVP_PKEY`.
///
/// A class because it owns a C resource that must be freed exactly once. It is `@unchecked Sendable`
/// because the wrapped key is never mutated after creation and OpenSSL 3 allows concurrent read-only
/// use (signing, encoding) of one `EVP_PKEY` from several threads.
///
/// Key material is never included in `description`, errors or logs; only `pem` exposes it, for
/// writing to a 0600 file.
public final class PrivateKey: @unchecked Sendable, CustomStringConvertible {
    /// The owned `EVP_PKEY*`.
    let pkey: OpaquePointer

    /// Takes ownership of `pkey`.
    init(owning pkey: OpaquePointer) {
        self.pkey = pkey
    }

    deinit {
        EVP_PKEY_free(pkey)
    }

    /// Generates a fresh key.
    /// - Parameter algorithm: Which key type and size to generate.
    /// - Throws: `PKIError` `.openSSL` if OpenSSL fails (e.g. no entropy).
    public static func generate(_ algorithm: KeyAlgorithm) throws -> PrivateKey {
        OpenSSLErrorQueue.clear()
        let generated: OpaquePointer?
        if let bits = algorithm.rsaBits {
            generated = kswift_rsa_keygen(bits)
        } else {
            generated = kswift_ec_keygen("P-256")
        }
        guard let generated else { throw PKIError.openSSL("cannot generate \(algorithm.rawValue) private key") }
        return PrivateKey(owning: generated)
    }

    /// Parses an unencrypted private key in PEM form.
    ///
    /// Accepts the formats kubeadm and its users write: PKCS#1 `RSA PRIVATE KEY`, SEC1
    /// `EC PRIVATE KEY` and PKCS#8 `PRIVATE KEY`. Only RSA and EC keys are accepted.
    /// - Parameter pem: The PEM text; text outside the block (e.g. EC parameters) is ignored.
    /// - Throws: `PKIError` `.malformedPEM` / `.malformedData`, without a file path (callers add it).
    public init(pem: String) throws {
        let encrypted = try? PEM.firstBlock(in: pem, ofType: ["ENCRYPTED PRIVATE KEY"])
        if encrypted != nil {
            throw PKIError(.malformedData, "the private key is encrypted; kubeadm needs an unencrypted key")
        }
        var block = try PEM.firstBlock(in: pem, ofType: ["RSA PRIVATE KEY", "EC PRIVATE KEY", "PRIVATE KEY"])
        defer { wipe(&block.der) }
        OpenSSLErrorQueue.clear()
        let parsed: OpaquePointer? = block.der.withUnsafeBufferPointer { buffer in
            var cursor = buffer.baseAddress
            return d2i_AutoPrivateKey(nil, &cursor, buffer.count)
        }
        guard let parsed else {
            throw PKIError(
                .malformedData, "the \(block.type) block does not hold a valid private key",
                openSSLErrors: OpenSSLErrorQueue.drain())
        }
        let type = EVP_PKEY_get_base_id(parsed)
        guard type == EVP_PKEY_RSA || type == EVP_PKEY_EC else {
            EVP_PKEY_free(parsed)
            throw PKIError(.malformedData, "unsupported private key type (only RSA and ECDSA keys are supported)")
        }
        self.pkey = parsed
    }

    /// The key in kubeadm's on-disk format: PKCS#1 `RSA PRIVATE KEY` for RSA, SEC1 `EC PRIVATE KEY`
    /// for EC (what Go's `keyutil.MarshalPrivateKeyToPEM` writes). Secret: write only to 0600 files.
    /// Empty only if OpenSSL cannot allocate memory; file writers use `encodedPEM()`, which throws instead.
    public var pem: String { (try? encodedPEM()) ?? "" }

    /// Like `pem`, but reports an encoding failure instead of returning an empty string.
    func encodedPEM() throws -> String {
        // i2d_PrivateKey uses the type-specific ("traditional") encoding for RSA and EC keys.
        var der = try DER.encode("private key") { i2d_PrivateKey(pkey, $0) }
        defer { wipe(&der) }
        return PEM.encode(type: isRSA ? "RSA PRIVATE KEY" : "EC PRIVATE KEY", der: der)
    }

    /// The DER `SubjectPublicKeyInfo` of the public half (used for CA pins and key comparisons).
    public var publicKeyDER: [UInt8] {
        (try? DER.encode("public key", { i2d_PUBKEY(pkey, $0) })) ?? []
    }

    /// The public half as a PKIX `PUBLIC KEY` PEM block (the format of `sa.pub`).
    public var publicKeyPEM: String {
        PEM.encode(type: "PUBLIC KEY", der: publicKeyDER)
    }

    /// Whether this is an RSA key (otherwise EC).
    public var isRSA: Bool { EVPKeyInfo.isRSA(pkey) }

    /// Key size in bits (RSA modulus or EC field size).
    public var bits: Int { EVPKeyInfo.bits(pkey) }

    /// The matching `KeyAlgorithm`, or `nil` for a key kubeadm would not generate (e.g. RSA-1024, P-384).
    public var algorithm: KeyAlgorithm? { EVPKeyInfo.algorithm(pkey) }

    /// A display name such as `"RSA-2048"` or `"ECDSA-P256"`; for other keys `"RSA-1024"`, `"EC-secp384r1"`.
    public var algorithmName: String {
        if let algorithm { return algorithm.rawValue }
        return isRSA ? "RSA-\(bits)" : "EC-\(EVPKeyInfo.curveName(pkey) ?? "unknown")"
    }

    /// Describes the key type only; never the key material.
    public var description: String { "PrivateKey(\(algorithmName))" }
}

/// Public parameters of an `EVP_PKEY` (shared by private keys and public keys read from certificates).
enum EVPKeyInfo {
    static func isRSA(_ pkey: OpaquePointer) -> Bool { EVP_PKEY_get_base_id(pkey) == EVP_PKEY_RSA }

    static func bits(_ pkey: OpaquePointer) -> Int { Int(EVP_PKEY_get_bits(pkey)) }

    /// The OpenSSL curve name of an EC key (e.g. `"prime256v1"`), `nil` for RSA.
    static func curveName(_ pkey: OpaquePointer) -> String? {
        guard !isRSA(pkey) else { return nil }
        var buffer = [CChar](repeating: 0, count: 64)
        var length = 0
        guard EVP_PKEY_get_group_name(pkey, &buffer, buffer.count, &length) == 1 else { return nil }
        return String(decoding: buffer.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func algorithm(_ pkey: OpaquePointer) -> KeyAlgorithm? {
        if isRSA(pkey) { return KeyAlgorithm.allCases.first { $0.rsaBits == bits(pkey) } }
        return curveName(pkey) == "prime256v1" ? .ecdsaP256 : nil
    }
}
