/// The pod a container belongs to: names its log directory and its pod cgroup.
public struct PodIdentity: Codable, Sendable, Hashable {
    /// `metadata.uid`.
    public var uid: String
    /// `metadata.namespace`.
    public var namespace: String
    /// `metadata.name`.
    public var name: String

    /// Creates a pod identity.
    /// - Parameters:
    ///   - uid: the pod's UID.
    ///   - namespace: the pod's namespace.
    ///   - name: the pod's name.
    public init(uid: String, namespace: String, name: String) {
        self.uid = uid
        self.namespace = namespace
        self.name = name
    }
}
