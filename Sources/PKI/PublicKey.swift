import COpenSSL

/// A public key (RSA or ECDSA) backed by an OpenSSL `EVP_PKEY`: what verifies service-account tokens.
///
/// A class for the same reason as `PrivateKey`: it owns a C resource freed exactly once, and is `@unchecked
/// Sendable` because the key is never mutated after creation and OpenSSL 3 allows concurrent verification with one
/// `EVP_PKEY`.
public final class PublicKey: @unchecked Sendable, CustomStringConvertible {
    /// The owned `EVP_PKEY*`.
    let pkey: OpaquePointer

    /// Takes ownership of `pkey`.
    init(owning pkey: OpaquePointer) {
        self.pkey = pkey
    }

    deinit {
        EVP_PKEY_free(pkey)
    }

    /// Parses a DER `SubjectPublicKeyInfo` (the body of a PKIX `PUBLIC KEY` block).
    /// - Throws: `PKIError` `.malformedData` when it is not an RSA or EC public key.
    public convenience init(der: [UInt8]) throws {
        OpenSSLErrorQueue.clear()
        let parsed: OpaquePointer? = der.withUnsafeBufferPointer { buffer in
            var cursor = buffer.baseAddress
            return d2i_PUBKEY(nil, &cursor, buffer.count)
        }
        guard let parsed else {
            throw PKIError(.malformedData, "the PUBLIC KEY block does not hold a valid public key",
                           openSSLErrors: OpenSSLErrorQueue.drain())
        }
        try self.init(checking: parsed)
    }

    /// Parses the first public key of a PEM text: a PKIX `PUBLIC KEY` (what kubeadm writes to `sa.pub`) or a
    /// PKCS#1 `RSA PUBLIC KEY` block.
    /// - Throws: `PKIError` `.malformedPEM` / `.malformedData`.
    public convenience init(pem: String) throws {
        let block = try PEM.firstBlock(in: pem, ofType: ["PUBLIC KEY", "RSA PUBLIC KEY"])
        if block.type == "PUBLIC KEY" {
            try self.init(der: block.der)
            return
        }
        OpenSSLErrorQueue.clear()
        let parsed: OpaquePointer? = block.der.withUnsafeBufferPointer { buffer in
            var cursor = buffer.baseAddress
            return d2i_PublicKey(EVP_PKEY_RSA, nil, &cursor, buffer.count)
        }
        guard let parsed else {
            throw PKIError(.malformedData, "the RSA PUBLIC KEY block does not hold a valid RSA key",
                           openSSLErrors: OpenSSLErrorQueue.drain())
        }
        try self.init(checking: parsed)
    }

    /// The public half of a private key (a signing key also verifies its own tokens).
    public convenience init(_ privateKey: PrivateKey) throws {
        try self.init(der: privateKey.publicKeyDER)
    }

    /// Every key in a `--service-account-key-file`: like upstream's `keyutil.PublicKeysFromFile`, the file may hold
    /// public keys, certificates (their keys are used) or, failing those, a private key.
    /// - Throws: `PKIError` `.malformedPEM` when the text holds no usable key; `.malformedData` for a bad block.
    public static func all(inPEM text: String) throws -> [PublicKey] {
        var keys: [PublicKey] = []
        for block in try PEM.decodeAll(text) {
            switch block.type {
            case "PUBLIC KEY", "RSA PUBLIC KEY":
                keys.append(try PublicKey(pem: PEM.encode(type: block.type, der: block.der)))
            case "CERTIFICATE":
                keys.append(try PublicKey(der: try Certificate(der: block.der).subjectPublicKeyInfoDER))
            default:
                continue
            }
        }
        if !keys.isEmpty { return keys }
        do {
            return [try PublicKey(try PrivateKey(pem: text))]
        } catch {
            throw PKIError(.malformedPEM, "no public key, certificate or private key found")
        }
    }

    private init(checking parsed: OpaquePointer) throws {
        let type = EVP_PKEY_get_base_id(parsed)
        guard type == EVP_PKEY_RSA || type == EVP_PKEY_EC else {
            EVP_PKEY_free(parsed)
            throw PKIError(.malformedData, "unsupported public key type (only RSA and ECDSA keys are supported)")
        }
        self.pkey = parsed
    }

    /// The DER `SubjectPublicKeyInfo` (Go's `x509.MarshalPKIXPublicKey`). Empty only on allocation failure.
    public var der: [UInt8] {
        (try? DER.encode("public key", { i2d_PUBKEY(pkey, $0) })) ?? []
    }

    /// The key as a PKIX `PUBLIC KEY` PEM block.
    public var pem: String { PEM.encode(type: "PUBLIC KEY", der: der) }

    /// Upstream's JWT key id (`kid`): base64url of the SHA-256 of the DER `SubjectPublicKeyInfo`. One-way, so
    /// publishing it in token headers and the JWKS reveals nothing about the key.
    public var keyID: String {
        Base64URL.encode((try? sha256(der)) ?? [])
    }

    /// Whether this is an RSA key (otherwise EC).
    public var isRSA: Bool { EVPKeyInfo.isRSA(pkey) }

    /// The JWS algorithm this key verifies: RS256 for RSA, ES256 for P-256, nil for other curves.
    public var jwsAlgorithm: JWSAlgorithm? { JWSAlgorithm.matching(pkey) }

    /// Whether `signature` is a valid `algorithm` signature of `message` by this key. False (never a trap) for a
    /// malformed signature or an algorithm that does not fit the key, so a forged `alg` header cannot switch the
    /// verification to another scheme.
    public func verify(signature: [UInt8], message: [UInt8], algorithm: JWSAlgorithm) -> Bool {
        Signature.verify(signature, message: message, algorithm: algorithm, key: pkey)
    }

    /// Describes the key type only.
    public var description: String {
        isRSA ? "PublicKey(RSA-\(EVPKeyInfo.bits(pkey)))" : "PublicKey(EC-\(EVPKeyInfo.curveName(pkey) ?? "unknown"))"
    }
}
