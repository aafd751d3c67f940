/// Recognises a kubelet's credentials (upstream `nodeidentifier.NodeIdentity`): user `system:node:<name>` in group
/// `system:nodes`.
public enum NodeIdentity {
    public static let userPrefix = "system:node:"

    /// The node name, `""` for a node user with an empty name, nil for anyone who is not a node.
    public static func nodeName(of user: UserInfo) -> String? {
        guard user.groups.contains(WellKnownGroups.nodes), user.name.hasPrefix(userPrefix) else { return nil }
        return String(user.name.dropFirst(userPrefix.count))
    }
}
