import KubeAPI

/// The pod network when no CNI configuration is installed: hostNetwork pods (the whole control plane) run, other
/// pods wait in ContainerCreating with a message that says what is missing, as upstream's "network plugin not
/// ready" does.
public struct HostNetworkOnly: PodNetworkEngine {
    public let reason: String

    public init(reason: String) { self.reason = reason }

    public func setUp(podUID: String, namespace: String, name: String, portMappings: [JSONValue]) async throws -> (netns: String, ips: [String]) {
        throw PodNetworkUnavailable(description: "network is not ready: \(reason)")
    }

    public func tearDown(podUID: String, namespace: String, name: String) async {}
    public func cleanUp(keeping podUIDs: Set<String>) async {}
}

public struct PodNetworkUnavailable: Error, CustomStringConvertible, Sendable {
    public var description: String
}
