import Foundation

/// The `Authorization: Bearer <token>` header, parsed as upstream's bearer-token authenticator does.
public enum BearerToken {
    /// The token of a bearer `Authorization` header; nil for an absent or empty header, another scheme
    /// (e.g. `Basic`), or an empty token.
    ///
    /// The header is trimmed, split on single spaces, and the scheme compared case-insensitively; the token is the
    /// second field, so `Bearer  x` (two spaces) has an empty token, and anything after a further space is ignored.
    public static func parse(header: String?) -> String? {
        guard let header else { return nil }
        let trimmed = header.trimmingCharacters(in: .whitespacesAndNewlines)
        let parts = trimmed.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[0].lowercased() == "bearer", !parts[1].isEmpty else { return nil }
        return String(parts[1])
    }
}
