/// Kubernetes name rules (apimachinery's validation), used for node names, DNS domains and certificate SANs.
///
/// Written as character scans rather than regexes so the rules are visible and cost nothing to build.
public enum NameValidation {
    /// The longest subdomain Kubernetes accepts.
    public static let maxSubdomainLength = 253
    /// The regex Kubernetes quotes in its error message; kept for the message only, not for matching.
    public static let subdomainPattern = #"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*"#
    /// Kubernetes' explanation of the format (the wording kubectl and kubeadm print).
    public static let dns1123SubdomainRule =
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', "
        + "and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '\(subdomainPattern)')"

    /// Kubernetes' explanation of the DNS-1123 label format.
    public static let dns1123LabelRule =
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"

    /// A DNS-1123 label: lower-case alphanumerics and '-', starting and ending alphanumeric, at most 63 characters.
    public static func isDNS1123Label(_ value: String) -> Bool {
        value.utf8.count <= 63 && isLabelShaped(Substring(value).utf8)
    }

    /// A DNS-1123 subdomain: at most 253 characters of dot-separated label-shaped parts. Like apimachinery's
    /// `IsDNS1123Subdomain`, the parts have no length limit of their own.
    public static func isDNS1123Subdomain(_ value: String) -> Bool { subdomainErrors(value).isEmpty }

    /// A DNS-1123 subdomain that starts with a `*.` wildcard label (allowed in certificate SANs).
    public static func isWildcardDNS1123Subdomain(_ value: String) -> Bool {
        value.hasPrefix("*.") && value.utf8.count <= maxSubdomainLength && isDNS1123Subdomain(String(value.dropFirst(2)))
    }

    /// Why `value` is not a DNS-1123 subdomain; empty when it is one.
    public static func subdomainErrors(_ value: String) -> [String] {
        var errors: [String] = []
        if value.utf8.count > maxSubdomainLength { errors.append("must be no more than \(maxSubdomainLength) characters") }
        let labels = value.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        if value.isEmpty || !labels.allSatisfy({ isLabelShaped($0) }) { errors.append(dns1123SubdomainRule) }
        return errors
    }

    private static func isLabelShaped(_ label: Substring.UTF8View) -> Bool {
        guard let first = label.first, let last = label.last, isAlphanumeric(first), isAlphanumeric(last) else { return false }
        return label.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "-") }
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}
