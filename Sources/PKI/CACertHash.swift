/// kubeadm's CA public-key pin (`--discovery-token-ca-cert-hash`): `"sha256:"` followed by the
/// lowercase hex SHA-256 of the CA certificate's DER `SubjectPublicKeyInfo`.
///
/// Pinning the public key (not the whole certificate) lets the CA certificate be re-issued with
/// the same key without invalidating join commands already handed out.
/// - Parameter cert: The cluster CA certificate.
public func caCertHash(_ cert: Certificate) -> String {
    // SHA-256 through OpenSSL only fails on allocation failure; an empty pin would never match.
    "sha256:" + hexString((try? sha256(cert.subjectPublicKeyInfoDER)) ?? [])
}

/// Parses and validates a pin of the form `sha256:<64 hex digits>` (hex in either case).
/// - Parameter text: The pin as given on the command line.
/// - Returns: The 32 digest bytes.
/// - Throws: `PKIError` `.invalidArgument` explaining what is wrong with the value.
public func parseCACertHash(_ text: String) throws -> [UInt8] {
    let example =
        "expected the form sha256:<64 hex characters>, as printed by 'kubeadm token create --print-join-command'"
    guard let colon = text.firstIndex(of: ":") else {
        throw PKIError(
            .invalidArgument, "invalid CA certificate hash '\(text)': missing the 'sha256:' prefix; \(example)")
    }
    let algorithm = text[..<colon]
    let digits = Array(text[text.index(after: colon)...].utf8)
    guard algorithm.lowercased() == "sha256" else {
        throw PKIError(
            .invalidArgument,
            "invalid CA certificate hash '\(text)': unsupported hash type '\(algorithm)' (only sha256 is supported); \(example)"
        )
    }
    guard digits.count == 64 else {
        throw PKIError(
            .invalidArgument,
            "invalid CA certificate hash '\(text)': the digest has \(digits.count) characters, not 64; \(example)")
    }
    func value(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(32)
    var index = 0
    while index < 64 {
        guard let high = value(digits[index]), let low = value(digits[index + 1]) else {
            throw PKIError(
                .invalidArgument,
                "invalid CA certificate hash '\(text)': the digest contains a non-hexadecimal character; \(example)")
        }
        bytes.append(high << 4 | low)
        index += 2
    }
    return bytes
}
