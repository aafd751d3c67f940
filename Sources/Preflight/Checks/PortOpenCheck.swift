/// Fails when a port a component must listen on is already taken, so the component would not start later.
public struct PortOpenCheck: PreflightCheck {
    /// The TCP port probed on every local address.
    public var port: Int

    /// - Parameter port: the TCP port a component will listen on.
    public init(port: Int) {
        self.port = port
    }

    /// `Port-<n>`, e.g. `Port-6443`.
    public var name: String { "Port-\(port)" }

    public func run(on host: any HostView) -> [Finding] {
        guard !host.isPortFree(port) else { return [] }
        return [error(
            "Port \(port) is in use; find the process holding it with \"ss -ltnp 'sport = :\(port)'\" and stop it"
        )]
    }
}
