import KubeAPI

/// The reads a service-account token check makes: the account itself and the objects a token may be bound to.
public struct ServiceAccountLookups: Sendable {
    public var serviceAccount: ObjectLookup
    public var pod: ObjectLookup
    public var secret: ObjectLookup
    /// Nodes are cluster-scoped: called with namespace "".
    public var node: ObjectLookup

    public init(serviceAccount: @escaping ObjectLookup, pod: @escaping ObjectLookup, secret: @escaping ObjectLookup,
                node: @escaping ObjectLookup) {
        self.serviceAccount = serviceAccount
        self.pod = pod
        self.secret = secret
        self.node = node
    }

    /// Reads everything from `registry`'s store.
    public init(registry: Registry) {
        self.init(serviceAccount: registry.objectLookup(resource: "serviceaccounts"),
                  pod: registry.objectLookup(resource: "pods"),
                  secret: registry.objectLookup(resource: "secrets"),
                  node: registry.objectLookup(resource: "nodes"))
    }
}
