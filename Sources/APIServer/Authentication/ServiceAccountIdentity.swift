/// Who a valid service-account token speaks for (upstream's `serviceaccount.ServiceAccountInfo`).
public struct ServiceAccountIdentity: Sendable, Equatable {
    public var namespace: String
    public var name: String
    public var uid: String
    public var podName = ""
    public var podUID = ""
    /// `JTI=<jti>` for tokens that carry a `jti`.
    public var credentialID = ""
    public var nodeName = ""
    public var nodeUID = ""

    public init(namespace: String, name: String, uid: String) {
        self.namespace = namespace
        self.name = name
        self.uid = uid
    }

    /// `system:serviceaccount:<namespace>:<name>`.
    public static func username(namespace: String, name: String) -> String {
        "system:serviceaccount:" + namespace + ":" + name
    }

    /// Splits a service-account user name into namespace and name; nil for other users.
    public static func split(username: String) -> (namespace: String, name: String)? {
        let prefix = "system:serviceaccount:"
        guard username.hasPrefix(prefix) else { return nil }
        let parts = username.dropFirst(prefix.count).split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return nil }
        return (String(parts[0]), String(parts[1]))
    }

    /// The user: the service-account name, its uid, the all-service-accounts and namespace groups plus
    /// `system:authenticated`, and the binding details in `extra` (pod name and uid only as a pair; node uid only
    /// with a node name).
    public var userInfo: UserInfo {
        var extra: [String: [String]] = [:]
        if !podName.isEmpty && !podUID.isEmpty {
            extra[UserExtraKeys.podName] = [podName]
            extra[UserExtraKeys.podUID] = [podUID]
        }
        if !credentialID.isEmpty { extra[UserExtraKeys.credentialID] = [credentialID] }
        if !nodeName.isEmpty {
            extra[UserExtraKeys.nodeName] = [nodeName]
            if !nodeUID.isEmpty { extra[UserExtraKeys.nodeUID] = [nodeUID] }
        }
        return UserInfo(name: Self.username(namespace: namespace, name: name),
                        groups: [SystemGroups.serviceAccounts, SystemGroups.serviceAccounts(namespace: namespace)],
                        uid: uid, extra: extra)
            .adding(group: SystemGroups.authenticated)
    }
}
