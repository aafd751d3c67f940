/// `--authorization-mode=AlwaysAllow` / `AlwaysDeny`: the same answer for everyone (upstream keeps both for tests
/// and single-user setups; kubeadm never uses them).
public struct FixedAuthorizer: Authorizer {
    public let decision: AuthorizationDecision

    public init(decision: AuthorizationDecision) { self.decision = decision }

    public func authorize(_ attributes: AuthorizationAttributes) async -> AuthorizationDecision { decision }
}
