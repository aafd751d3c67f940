/// Group names the authenticators assign (upstream's `k8s.io/apiserver/pkg/authentication/user` constants);
/// RBAC bindings refer to them by these exact strings.
public enum SystemGroups {
    /// Every authenticated user, whatever the authenticator.
    public static let authenticated = "system:authenticated"
    /// The anonymous user's only group.
    public static let unauthenticated = "system:unauthenticated"
    /// Every bootstrap-token user (kubeadm binds node bootstrapping permissions to it).
    public static let bootstrappers = "system:bootstrappers"
    /// Every service account.
    public static let serviceAccounts = "system:serviceaccounts"

    /// The group of all service accounts of one namespace.
    public static func serviceAccounts(namespace: String) -> String { "system:serviceaccounts:" + namespace }
}

/// Keys of `UserInfo.extra` set by the authenticators (the audit log and TokenReview consumers read them).
public enum UserExtraKeys {
    /// Identifies the credential used: `JTI=<jti>` for service-account tokens, `X509SHA256=<hex>` for certificates.
    public static let credentialID = "authentication.kubernetes.io/credential-id"
    /// The pod a service-account token is bound to.
    public static let podName = "authentication.kubernetes.io/pod-name"
    public static let podUID = "authentication.kubernetes.io/pod-uid"
    /// The node a service-account token is bound to, or that its pod runs on.
    public static let nodeName = "authentication.kubernetes.io/node-name"
    public static let nodeUID = "authentication.kubernetes.io/node-uid"
}

extension UserInfo {
    /// The same user with `group` appended unless already present (upstream's `AuthenticatedGroupAdder`, which
    /// runs after every successful authenticator).
    func adding(group: String) -> UserInfo {
        guard !groups.contains(group) else { return self }
        var copy = self
        copy.groups.append(group)
        return copy
    }
}
