// TEMPORARY: stand-ins with the interfaces of Authentication/ and Authorization/ (being written on other branches);
// removed when those land.

public struct AuthorizationAttributes: Sendable {
    public var user: UserInfo
    public var verb: String
    public var isResourceRequest: Bool
    public var apiGroup: String
    public var apiVersion: String
    public var resource: String
    public var subresource: String
    public var namespace: String
    public var name: String
    public var path: String
    public init(user: UserInfo, verb: String, isResourceRequest: Bool, apiGroup: String = "", apiVersion: String = "", resource: String = "", subresource: String = "", namespace: String = "", name: String = "", path: String = "") {
        self.user = user; self.verb = verb; self.isResourceRequest = isResourceRequest; self.apiGroup = apiGroup; self.apiVersion = apiVersion
        self.resource = resource; self.subresource = subresource; self.namespace = namespace; self.name = name; self.path = path
    }
}
public enum AuthorizationDecision: Sendable, Equatable { case allow, deny(String), noOpinion(String) }
public protocol Authorizer: Sendable { func authorize(_ attributes: AuthorizationAttributes) async -> AuthorizationDecision }
struct PendingAlwaysAllow: Authorizer { func authorize(_ attributes: AuthorizationAttributes) async -> AuthorizationDecision { .allow } }
