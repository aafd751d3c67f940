import KubeAPI

/// One `hostPort`, in the shape of the `portMappings` capability the portmap plugin reads from `runtimeConfig`.
public struct CNIPortMapping: Sendable, Hashable {
    /// The node port.
    public var hostPort: Int
    /// The pod port.
    public var containerPort: Int
    /// Lower-case, as portmap expects: `tcp`, `udp` or `sctp`.
    public var `protocol`: String
    /// The host address to bind; nil means every address.
    public var hostIP: String?

    /// - Parameters:
    ///   - hostPort: the node port (1-65535).
    ///   - containerPort: the pod port (1-65535).
    ///   - protocol: TCP, UDP or SCTP in any case.
    ///   - hostIP: the node address to bind, or nil for all.
    public init(hostPort: Int, containerPort: Int, protocol: String = "tcp", hostIP: String? = nil) throws {
        let normalized = `protocol`.lowercased()
        guard (1...65535).contains(hostPort), (1...65535).contains(containerPort) else {
            throw CNIError(.invalidArgument, "port mapping \(hostPort)->\(containerPort) is out of range",
                           hint: "hostPort and containerPort must be 1-65535")
        }
        guard ["tcp", "udp", "sctp"].contains(normalized) else {
            throw CNIError(.invalidArgument, "port mapping \(hostPort)->\(containerPort) has protocol \"\(`protocol`)\"",
                           hint: "use TCP, UDP or SCTP")
        }
        self.hostPort = hostPort
        self.containerPort = containerPort
        self.protocol = normalized
        self.hostIP = hostIP.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The mapping of one container port from a pod spec (`{containerPort, hostPort, protocol, hostIP}`), or nil
    /// when it has no `hostPort` (only ports with a host port are mapped, as in the kubelet).
    /// - Parameters:
    ///   - containerPort: an element of a container's `ports`.
    public init?(containerPort: JSONValue) throws {
        guard let hostPort = containerPort["hostPort"]?.int, hostPort > 0 else { return nil }
        guard let port = containerPort["containerPort"]?.int else {
            throw CNIError(.invalidArgument, "hostPort \(hostPort) has no containerPort", hint: "set containerPort in the pod spec")
        }
        try self.init(hostPort: hostPort, containerPort: port, protocol: containerPort["protocol"]?.string ?? "TCP",
                      hostIP: containerPort["hostIP"]?.string)
    }

    /// The mappings of every container port that has a `hostPort`.
    /// - Parameters:
    ///   - containerPorts: container `ports` entries from the pod spec.
    public static func mappings(fromContainerPorts containerPorts: [JSONValue]) throws -> [CNIPortMapping] {
        try containerPorts.compactMap { try CNIPortMapping(containerPort: $0) }
    }

    /// The JSON portmap reads.
    public var json: JSONValue {
        var object: JSONValue = [
            "hostPort": .integer(Int64(hostPort)), "containerPort": .integer(Int64(containerPort)), "protocol": .string(`protocol`),
        ]
        if let hostIP { object["hostIP"] = .string(hostIP) }
        return object
    }
}
