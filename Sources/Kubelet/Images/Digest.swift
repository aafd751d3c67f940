import COpenSSL
import Foundation

/// A content digest, `sha256:<64 lowercase hex>`: the name of every blob and layer in the image store.
///
/// Only SHA-256 is accepted because that is what OCI and Docker archives use in practice; anything else
/// is rejected at parse time rather than stored under a name the store cannot verify.
public struct Digest: Hashable, Sendable, Codable, CustomStringConvertible, Comparable {
    /// The 64 lowercase hexadecimal characters after `sha256:`.
    public let hex: String

    public init(parsing text: String) throws {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2, parts[0] == "sha256" else {
            throw ImageStoreError.invalidDigest(text, reason: "expected 'sha256:' followed by 64 hex characters")
        }
        try self.init(hex: parts[1])
    }

    public init(hex: String) throws {
        guard Digest.isHex(hex, length: 64) else {
            throw ImageStoreError.invalidDigest(hex, reason: "expected 64 lowercase hex characters")
        }
        self.hex = hex
    }

    public var description: String { "sha256:" + hex }
    /// The 12-character form `crictl images` and `docker images` print.
    public var short: String { String(hex.prefix(12)) }

    public static func < (lhs: Digest, rhs: Digest) -> Bool { lhs.hex < rhs.hex }

    public init(from decoder: any Decoder) throws {
        try self.init(parsing: try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    static func isHex(_ text: String, length: Int? = nil) -> Bool {
        if let length, text.utf8.count != length { return false }
        return !text.isEmpty && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }
}

/// Incremental SHA-256 over OpenSSL's EVP interface, so multi-gigabyte layers are hashed in fixed memory.
///
/// OpenSSL rather than a Swift implementation: debug builds of a bit-twiddling Swift hash run at a few MB/s,
/// and the bundled image hashes the whole kubeadm-swift binary on every kubelet start.
final class SHA256Stream {
    private let context: OpaquePointer
    private(set) var byteCount: Int64 = 0

    init() throws {
        guard let context = EVP_MD_CTX_new() else { throw ImageStoreError.io("cannot allocate an OpenSSL digest context") }
        guard EVP_DigestInit_ex(context, EVP_sha256(), nil) == 1 else {
            EVP_MD_CTX_free(context)
            throw ImageStoreError.io("cannot initialise OpenSSL's SHA-256")
        }
        self.context = context
    }

    deinit { EVP_MD_CTX_free(context) }

    func update(_ data: Data) {
        data.withUnsafeBytes { raw in
            if let base = raw.baseAddress, raw.count > 0 { _ = EVP_DigestUpdate(context, base, raw.count) }
        }
        byteCount += Int64(data.count)
    }

    func finish() throws -> Digest {
        var bytes = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        guard EVP_DigestFinal_ex(context, &bytes, &length) == 1 else { throw ImageStoreError.io("OpenSSL SHA-256 failed") }
        let digits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        for byte in bytes.prefix(Int(length)) {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0x0f)])
        }
        return try Digest(hex: String(decoding: hex, as: UTF8.self))
    }

    /// Digest and size of a file, read in 1 MiB chunks.
    static func of(file path: String) throws -> (digest: Digest, size: Int64) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ImageStoreError.io("cannot open \(path) to compute its digest")
        }
        defer { try? handle.close() }
        let stream = try SHA256Stream()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { stream.update(chunk) }
        return (try stream.finish(), stream.byteCount)
    }

    static func of(bytes: Data) throws -> Digest {
        let stream = try SHA256Stream()
        stream.update(bytes)
        return try stream.finish()
    }
}
