import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An IPv4 or IPv6 address as bytes, parsed and printed with the C library (inet_pton / inet_ntop).
public struct IPAddress: Sendable, Hashable, CustomStringConvertible {
    public var bytes: [UInt8]

    public init?(_ text: String) {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            bytes = withUnsafeBytes(of: &v4) { Array($0) }
            return
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            bytes = withUnsafeBytes(of: &v6) { Array($0) }
            return
        }
        return nil
    }

    public init(bytes: [UInt8]) { self.bytes = bytes }

    public var isIPv4: Bool { bytes.count == 4 }
    public var isUnspecified: Bool { bytes.allSatisfy { $0 == 0 } }
    public var isLoopback: Bool { isIPv4 ? bytes[0] == 127 : bytes == [UInt8](repeating: 0, count: 15) + [1] }

    public var description: String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let family = isIPv4 ? AF_INET : AF_INET6
        let ok = bytes.withUnsafeBytes { raw in inet_ntop(family, raw.baseAddress, &buffer, socklen_t(buffer.count)) != nil }
        guard ok else { return "<invalid>" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// A CIDR such as 10.96.0.0/12, with the helpers kubeadm derives addresses from.
public struct IPNetwork: Sendable, Hashable, CustomStringConvertible {
    public var address: IPAddress
    public var prefixLength: Int

    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let ip = IPAddress(String(parts[0])), let bits = Int(parts[1]),
              bits >= 0, bits <= ip.bytes.count * 8 else { return nil }
        address = Self.mask(ip, bits)
        prefixLength = bits
    }

    private static func mask(_ ip: IPAddress, _ bits: Int) -> IPAddress {
        var out = ip.bytes
        for index in out.indices {
            let keep = max(0, min(8, bits - index * 8))
            out[index] &= keep == 0 ? 0 : UInt8(truncatingIfNeeded: 0xFF << (8 - keep))
        }
        return IPAddress(bytes: out)
    }

    public var description: String { "\(address)/\(prefixLength)" }

    /// The n-th address of the network (1 = the API server's service IP, 10 = cluster DNS), or nil if it does not fit.
    public func address(at offset: Int) -> IPAddress? {
        let hostBits = address.bytes.count * 8 - prefixLength
        if hostBits < 63, offset >= (1 << hostBits) { return nil }
        var out = address.bytes
        var carry = offset
        for index in out.indices.reversed() where carry > 0 {
            let sum = Int(out[index]) + (carry & 0xFF)
            out[index] = UInt8(sum & 0xFF)
            carry = (carry >> 8) + (sum >> 8)
        }
        return IPAddress(bytes: out)
    }
}
