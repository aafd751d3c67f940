/// SHA-256 for the rest of the code base (content hashes of static pods, image blobs), on the same OpenSSL the PKI
/// uses.
public enum Digest {
    public static func sha256(_ data: [UInt8]) throws -> [UInt8] { try PKI.sha256(data) }

    /// Lower-case hexadecimal of the SHA-256.
    public static func sha256Hex(_ data: [UInt8]) throws -> String {
        try sha256(data).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}
