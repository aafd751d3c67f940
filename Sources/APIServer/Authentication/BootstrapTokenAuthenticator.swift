import KubeAPI
import Manifests

/// Authenticates bootstrap tokens (`<id>.<secret>`) against their Secrets `kube-system/bootstrap-token-<id>`,
/// as upstream's `plugin/pkg/auth/authenticator/token/bootstrap` does: the user is `system:bootstrap:<id>` in
/// `system:bootstrappers` plus the token's `auth-extra-groups`.
///
/// Every mismatch is `.notApplicable`, not `.rejected`, exactly like upstream (which only logs the reason): the
/// token's owner learns nothing about which check failed, and the request still ends in 401 "invalid bearer token".
public struct BootstrapTokenAuthenticator: TokenAuthenticator {
    /// Where bootstrap-token Secrets live.
    public static let namespace = "kube-system"
    /// The Secret type that marks a bootstrap token.
    public static let secretType = "bootstrap.kubernetes.io/token"
    /// Secret names are this prefix plus the token id.
    public static let secretNamePrefix = "bootstrap-token-"
    /// User names are this prefix plus the token id.
    public static let userPrefix = "system:bootstrap:"

    let lookupSecret: ObjectLookup
    let apiAudiences: [String]
    let now: @Sendable () -> KubeTime

    /// - Parameters:
    ///   - apiAudiences: the API server's audiences; bootstrap tokens carry none, so they are valid exactly for
    ///     these (upstream's audience-agnostic wrapper).
    ///   - now: the clock for the `expiration` check.
    ///   - lookupSecret: reads a Secret by namespace and name.
    public init(apiAudiences: [String] = [], now: @escaping @Sendable () -> KubeTime = { KubeTime.now() },
                lookupSecret: @escaping ObjectLookup) {
        self.lookupSecret = lookupSecret
        self.apiAudiences = apiAudiences
        self.now = now
    }

    /// Reads the Secrets from `registry`'s store.
    public init(registry: Registry, apiAudiences: [String] = [],
                now: @escaping @Sendable () -> KubeTime = { KubeTime.now() }) {
        self.init(apiAudiences: apiAudiences, now: now, lookupSecret: registry.objectLookup(resource: "secrets"))
    }

    public func authenticate(token: String, audiences: [String]?) async -> TokenAuthentication {
        guard let accepted = Audiences.agnostic(implicit: apiAudiences, requested: audiences) else {
            return .notApplicable
        }
        guard let parsed = BootstrapTokenString(token),
            let secret = await lookupSecret(Self.namespace, Self.secretNamePrefix + parsed.id),
            let user = user(for: parsed, in: secret)
        else { return .notApplicable }
        return TokenAuthentication(.authenticated(user), audiences: accepted)
    }

    /// The user `token` authenticates as through `secret`, or nil when any check fails.
    func user(for token: BootstrapTokenString, in secret: JSONValue) -> UserInfo? {
        guard !secret.metadata.isBeingDeleted,
            secret["type"]?.string == Self.secretType, SecretData.hasData(secret),
            ConstantTime.equals(SecretData.bytes(secret, "token-secret") ?? [], Array(token.secret.utf8)),
            SecretData.value(secret, "token-id") == token.id,
            !isExpired(secret),
            SecretData.value(secret, "usage-bootstrap-authentication") == "true",
            let groups = BootstrapGroups.groups(extra: SecretData.value(secret, "auth-extra-groups") ?? "")
        else { return nil }
        return UserInfo(name: Self.userPrefix + token.id, groups: groups).adding(group: SystemGroups.authenticated)
    }

    /// An `expiration` in the past, or one that is not RFC 3339, makes the token unusable; none means no expiry.
    func isExpired(_ secret: JSONValue) -> Bool {
        guard let text = SecretData.value(secret, "expiration"), !text.isEmpty else { return false }
        guard let expiration = try? KubeTime(rfc3339: text) else { return true }
        return expiration <= now()
    }
}

/// The groups of a bootstrap token (cluster-bootstrap's `GetGroups` and `ValidateBootstrapGroupName`).
enum BootstrapGroups {
    static let prefix = "system:bootstrappers:"

    /// `system:bootstrappers` plus the comma-separated `auth-extra-groups`, de-duplicated and sorted; nil when any
    /// extra group is not `system:bootstrappers:[a-z0-9:-]{0,255}[a-z0-9]` (the whole token is then refused).
    static func groups(extra: String) -> [String]? {
        var groups: Set<String> = [SystemGroups.bootstrappers]
        if !extra.isEmpty {
            for group in extra.split(separator: ",", omittingEmptySubsequences: false).map(String.init) {
                guard isValid(group) else { return nil }
                groups.insert(group)
            }
        }
        return groups.sorted()
    }

    static func isValid(_ group: String) -> Bool {
        guard group.hasPrefix(prefix) else { return false }
        let rest = Array(group.utf8.dropFirst(prefix.utf8.count))
        guard let last = rest.last, rest.count <= 256 else { return false }
        func isAlphanumeric(_ c: UInt8) -> Bool {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(c) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(c)
        }
        return isAlphanumeric(last) && rest.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: "-") }
    }
}
