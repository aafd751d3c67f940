/// Kubernetes' DNS-1123 subdomain rule, used for node names (and reusable for any object name).
///
/// Written as a character scan rather than a regex so it has no dependencies and its rule is visible:
/// at most 253 characters; dot-separated labels; each label non-empty, made of `a-z`, `0-9` and `-`, starting and
/// ending with a letter or digit. (Unlike a DNS-1123 *label*, a subdomain has no per-label length limit.)
public enum DNS1123 {
    /// The longest subdomain Kubernetes accepts.
    public static let maxSubdomainLength = 253

    /// The regex Kubernetes quotes in its error message; kept for the message only, not for matching.
    public static let subdomainPattern = #"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*"#

    /// Kubernetes' explanation of the format (the same wording `kubectl` and kubeadm print).
    public static let subdomainFormatMessage =
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', "
        + "and must start and end with an alphanumeric character "
        + "(e.g. 'example.com', regex used for validation is '\(subdomainPattern)')"

    /// Why `value` is not a DNS-1123 subdomain; empty when it is one.
    /// - Parameter value: the candidate name.
    public static func subdomainErrors(_ value: String) -> [String] {
        var errors: [String] = []
        if value.utf8.count > maxSubdomainLength {
            errors.append("must be no more than \(maxSubdomainLength) characters")
        }
        if !matchesSubdomainFormat(value) {
            errors.append(subdomainFormatMessage)
        }
        return errors
    }

    static func matchesSubdomainFormat(_ value: String) -> Bool {
        guard !value.isEmpty else { return false }
        let labels = value.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        return labels.allSatisfy { label in
            guard let first = label.first, let last = label.last else { return false }
            return isAlphanumeric(first) && isAlphanumeric(last)
                && label.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "-") }
        }
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}

/// Whether `value` is a valid DNS-1123 subdomain (lower-case alphanumerics, '-' and '.', at most 253 characters).
/// - Parameter value: the candidate name.
public func isDNS1123Subdomain(_ value: String) -> Bool {
    DNS1123.subdomainErrors(value).isEmpty
}

/// A one-line explanation of why `value` is not a DNS-1123 subdomain, or nil if it is valid.
/// - Parameter value: the candidate name.
public func dns1123SubdomainErrorMessage(_ value: String) -> String? {
    let errors = DNS1123.subdomainErrors(value)
    return errors.isEmpty ? nil : errors.joined(separator: "; ")
}
