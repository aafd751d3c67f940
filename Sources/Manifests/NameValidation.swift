/// Kubernetes name rules (apimachinery's validation), used for node names, DNS domains and SANs.
public enum NameValidation {
    /// A DNS-1123 label: lower-case alphanumerics and '-', starting and ending alphanumeric, at most 63 characters.
    public static func isDNS1123Label(_ value: String) -> Bool {
        guard !value.isEmpty, value.utf8.count <= 63 else { return false }
        let bytes = Array(value.utf8)
        func alnum(_ b: UInt8) -> Bool { (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) }
        guard let first = bytes.first, let last = bytes.last, alnum(first), alnum(last) else { return false }
        return bytes.allSatisfy { alnum($0) || $0 == 0x2D }
    }

    /// A DNS-1123 subdomain: dot-separated labels, at most 253 characters.
    public static func isDNS1123Subdomain(_ value: String) -> Bool {
        guard !value.isEmpty, value.utf8.count <= 253 else { return false }
        return value.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { isDNS1123Label(String($0)) }
    }

    /// A DNS-1123 subdomain that may start with a `*.` wildcard label (allowed in certificate SANs).
    public static func isWildcardDNS1123Subdomain(_ value: String) -> Bool {
        value.hasPrefix("*.") && isDNS1123Subdomain(String(value.dropFirst(2)))
    }

    public static let dns1123SubdomainRule =
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
}
