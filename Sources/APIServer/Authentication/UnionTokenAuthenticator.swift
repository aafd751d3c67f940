/// Tries token authenticators in order (upstream's `token/union`): the first that authenticates wins; otherwise
/// the rejections are combined, and when nobody recognised the token it is not applicable.
public struct UnionTokenAuthenticator: TokenAuthenticator {
    public let members: [any TokenAuthenticator]

    public init(_ members: [any TokenAuthenticator]) {
        self.members = members
    }

    public func authenticate(token: String, audiences: [String]?) async -> TokenAuthentication {
        var reasons: [String] = []
        for member in members {
            let outcome = await member.authenticate(token: token, audiences: audiences)
            switch outcome.result {
            case .authenticated: return outcome
            case .rejected(let reason): reasons.append(reason)
            case .notApplicable: continue
            }
        }
        if reasons.isEmpty { return .notApplicable }
        // utilerrors.NewAggregate's format: one error as is, several as "[a, b]".
        return .rejected(reasons.count == 1 ? reasons[0] : "[" + reasons.joined(separator: ", ") + "]")
    }
}
