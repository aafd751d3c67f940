/// An IPv4 network in CIDR notation, as integers so subnets can be counted and compared.
public struct IPv4CIDR: Sendable, Hashable, CustomStringConvertible {
    /// The network address (host bits zero).
    public var base: UInt32
    /// The prefix length, 0...32.
    public var prefix: Int

    /// Parses "10.244.0.0/16"; host bits are cleared as Go's `net.ParseCIDR` does for the network. Nil for
    /// anything else (IPv6 included).
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let prefix = Int(parts[1]), (0...32).contains(prefix), let address = Self.address(String(parts[0])) else {
            return nil
        }
        self.init(base: address, prefix: prefix)
    }

    /// The network of `prefix` bits containing `base`.
    public init(base: UInt32, prefix: Int) {
        self.prefix = prefix
        self.base = base & Self.mask(prefix)
    }

    /// A dotted-quad address as an integer.
    static func address(_ text: String) -> UInt32? {
        let octets = text.split(separator: ".", omittingEmptySubsequences: false).compactMap { UInt8($0) }
        guard octets.count == 4, text.split(separator: ".", omittingEmptySubsequences: false).count == 4 else { return nil }
        return octets.reduce(0) { $0 << 8 | UInt32($1) }
    }

    static func mask(_ prefix: Int) -> UInt32 { prefix == 0 ? 0 : UInt32.max << (32 - prefix) }

    /// The last address of the network.
    public var last: UInt32 { base | ~Self.mask(prefix) }

    /// Whether the two networks share any address.
    public func overlaps(_ other: IPv4CIDR) -> Bool { base <= other.last && other.base <= last }

    public var description: String {
        "\(base >> 24).\(base >> 16 & 0xff).\(base >> 8 & 0xff).\(base & 0xff)/\(prefix)"
    }
}
