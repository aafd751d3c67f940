import KubeAPI
import COpenSSL
import Foundation
import Manifests

/// Subject-alternative-name handling: classifying user input, normalising, and converting to and
/// from OpenSSL's `GENERAL_NAMES`.
public enum SubjectAltNames {
    /// Extra SANs sorted into the buckets kubeadm uses, plus warnings for entries it drops.
    public struct Classified: Sendable, Equatable {
        /// Entries that are RFC 1123 subdomains or wildcard (`*.example.com`) names.
        public var dnsNames: [String] = []
        /// Entries that parse as IPv4 or IPv6 addresses (canonical text form).
        public var ipAddresses: [String] = []
        /// One kubeadm-style warning line per dropped entry.
        public var warnings: [String] = []
    }

    /// Sorts user-supplied SANs into IPs and DNS names the way kubeadm does; anything else is dropped
    /// with kubeadm's warning line (the certificate is still issued without it).
    /// - Parameters:
    ///   - sans: Raw entries, e.g. `apiServer.certSANs`.
    ///   - certName: The certificate file named in the warning, e.g. `"apiserver.crt"`.
    public static func classify(_ sans: [String], certName: String) -> Classified {
        var result = Classified()
        for san in sans {
            if let ip = canonicalIP(san) {
                result.ipAddresses.append(ip)
            } else if NameValidation.isDNS1123Subdomain(san) || NameValidation.isWildcardDNS1123Subdomain(san) {
                result.dnsNames.append(san)
            } else {
                result.warnings.append(
                    "[certificates] WARNING: '\(san)' was not added to the '\(certName)' SAN, because it is not a "
                        + "valid IP or RFC-1123 compliant DNS entry")
            }
        }
        return result
    }

    /// DNS names de-duplicated and sorted (kubeadm builds them through a set).
    public static func normalizedDNSNames(_ names: [String]) -> [String] {
        Array(Set(names)).sorted()
    }

    /// IPs in canonical text form, de-duplicated, in first-seen order. Unparsable entries are dropped.
    public static func normalizedIPs(_ ips: [String]) -> [String] {
        var seen: Set<String> = []
        var out: [String] = []
        for ip in ips {
            guard let canonical = canonicalIP(ip), seen.insert(canonical).inserted else { continue }
            out.append(canonical)
        }
        return out
    }

    /// The canonical text of an IP address (`::1`, `10.96.0.1`), or `nil` if `text` is not an IP.
    /// IPv4-mapped IPv6 addresses are rendered as IPv4, as Go's `net.IP.String()` does.
    public static func canonicalIP(_ text: String) -> String? {
        if let bytes = ipBytes(text) { return ipText(bytes) }
        return nil
    }

    /// The 4- or 16-byte form of an IP address; IPv4-mapped IPv6 collapses to 4 bytes.
    static func ipBytes(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            let bytes = withUnsafeBytes(of: &v6) { Array($0) }
            if bytes.prefix(10).allSatisfy({ $0 == 0 }) && bytes[10] == 0xff && bytes[11] == 0xff {
                return Array(bytes.suffix(4))
            }
            return bytes
        }
        return nil
    }

    /// Text form of a 4- or 16-byte address.
    static func ipText(_ bytes: [UInt8]) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        let family: Int32
        switch bytes.count {
        case 4: family = AF_INET
        case 16:
            if bytes.prefix(10).allSatisfy({ $0 == 0 }) && bytes[10] == 0xff && bytes[11] == 0xff {
                return ipText(Array(bytes.suffix(4)))
            }
            family = AF_INET6
        default: return nil
        }
        let ok = bytes.withUnsafeBytes { raw in
            inet_ntop(family, raw.baseAddress, &buffer, socklen_t(buffer.count)) != nil
        }
        guard ok else { return nil }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    // MARK: OpenSSL conversion

    /// Builds a `GENERAL_NAMES` stack (caller frees with `GENERAL_NAMES_free`) holding DNS names
    /// then IP addresses. Returns `nil` if both lists are empty.
    static func makeGeneralNames(dnsNames: [String], ipAddresses: [String]) throws -> OpaquePointer? {
        guard !dnsNames.isEmpty || !ipAddresses.isEmpty else { return nil }
        guard let names = GENERAL_NAMES_new() else { throw PKIError.openSSL("cannot allocate GENERAL_NAMES") }
        var handedOff = false
        defer { if !handedOff { GENERAL_NAMES_free(names) } }

        func push(_ type: Int32, _ value: UnsafeMutableRawPointer) throws {
            guard let name = GENERAL_NAME_new() else { throw PKIError.openSSL("cannot allocate GENERAL_NAME") }
            GENERAL_NAME_set0_value(name, type, value)
            guard kswift_sk_GENERAL_NAME_push(names, name) > 0 else {
                GENERAL_NAME_free(name)
                throw PKIError.openSSL("cannot add subject alternative name")
            }
        }
        for dns in dnsNames {
            guard let ia5 = ASN1_IA5STRING_new() else { throw PKIError.openSSL("cannot allocate IA5STRING") }
            let bytes = Array(dns.utf8)
            guard ASN1_STRING_set(ia5, bytes, Int32(bytes.count)) == 1 else {
                ASN1_IA5STRING_free(ia5)
                throw PKIError.openSSL("cannot set DNS name")
            }
            try push(GEN_DNS, UnsafeMutableRawPointer(ia5))
        }
        for ip in ipAddresses {
            guard let octets = a2i_IPADDRESS(ip) else {
                OpenSSLErrorQueue.clear()
                throw PKIError(.invalidArgument, "'\(ip)' is not a valid IP address for a subject alternative name")
            }
            try push(GEN_IPADD, UnsafeMutableRawPointer(octets))
        }
        handedOff = true
        return names
    }

    /// Reads DNS names and IP addresses (in certificate order) from a `GENERAL_NAMES` stack.
    static func read(_ names: OpaquePointer) -> (dns: [String], ips: [String]) {
        var dns: [String] = []
        var ips: [String] = []
        for index in 0..<kswift_sk_GENERAL_NAME_num(names) {
            guard let name = kswift_sk_GENERAL_NAME_value(names, index) else { continue }
            switch name.pointee.type {
            case GEN_DNS:
                if let text = utf8String(of: name.pointee.d.dNSName) { dns.append(text) }
            case GEN_IPADD:
                guard let octets = name.pointee.d.iPAddress,
                    let data = ASN1_STRING_get0_data(octets)
                else { continue }
                let bytes = Array(UnsafeBufferPointer(start: data, count: Int(ASN1_STRING_length(octets))))
                if let text = ipText(bytes) { ips.append(text) }
            default:
                continue
            }
        }
        return (dns, ips)
    }
}
