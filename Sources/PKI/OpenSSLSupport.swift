import COpenSSL

/// Access to OpenSSL's per-thread error queue.
///
/// OpenSSL reports failures by pushing entries onto a thread-local queue. We clear it before an
/// operation and drain it into `PKIError` afterwards, so stale entries from an earlier, already
/// handled failure never end up in an unrelated message.
enum OpenSSLErrorQueue {
    /// Removes and returns all queued error strings (oldest first).
    static func drain() -> [String] {
        var lines: [String] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            lines.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return lines
    }

    /// Discards queued errors (used when a failure is expected and handled, e.g. a key mismatch probe).
    static func clear() {
        ERR_clear_error()
    }
}

/// DER encoding via OpenSSL's `i2d_*` convention (call once for the length, once to write).
enum DER {
    /// Encodes with an `i2d`-style function.
    /// - Parameters:
    ///   - what: Description used in the error message.
    ///   - i2d: Called with `nil` to size, then with a pointer to the output cursor.
    static func encode(
        _ what: String,
        _ i2d: (UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>?) -> Int32
    ) throws -> [UInt8] {
        let length = i2d(nil)
        guard length > 0 else { throw PKIError.openSSL("cannot DER-encode \(what)") }
        var out = [UInt8](repeating: 0, count: Int(length))
        let written = out.withUnsafeMutableBufferPointer { buffer -> Int32 in
            var cursor = buffer.baseAddress
            return i2d(&cursor)
        }
        guard written == length else { throw PKIError.openSSL("cannot DER-encode \(what)") }
        return out
    }
}

/// Reads an OpenSSL string type (`ASN1_STRING`) as UTF-8.
func utf8String(of asn1: UnsafePointer<ASN1_STRING>?) -> String? {
    guard let asn1 else { return nil }
    var out: UnsafeMutablePointer<UInt8>?
    let length = ASN1_STRING_to_UTF8(&out, asn1)
    guard length >= 0, let out else { return nil }
    defer { kswift_openssl_free(out) }
    return String(decoding: UnsafeBufferPointer(start: out, count: Int(length)), as: UTF8.self)
}

/// Lowercase hexadecimal rendering of bytes.
func hexString(_ bytes: some Sequence<UInt8>) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var out: [UInt8] = []
    for byte in bytes {
        out.append(digits[Int(byte >> 4)])
        out.append(digits[Int(byte & 0x0f)])
    }
    return String(decoding: out, as: UTF8.self)
}

/// SHA-256 of `data` using OpenSSL's one-shot digest.
func sha256(_ data: [UInt8]) throws -> [UInt8] {
    var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
    var length: UInt32 = 0
    let ok = data.withUnsafeBytes { raw in
        EVP_Digest(raw.baseAddress, raw.count, &digest, &length, EVP_sha256(), nil)
    }
    guard ok == 1 else { throw PKIError.openSSL("SHA-256 digest failed") }
    return Array(digest.prefix(Int(length)))
}

/// Overwrites a buffer that held key material before it is released.
func wipe(_ bytes: inout [UInt8]) {
    bytes.withUnsafeMutableBytes { OPENSSL_cleanse($0.baseAddress, $0.count) }
}
