import KubeAPI

/// A container's liveness, readiness or startup probe as the API defines it, with upstream's defaults.
public struct ProbeSpec: Sendable, Equatable {
    public enum Action: Sendable, Equatable {
        case exec([String])
        case http(host: String?, port: Int, path: String, scheme: String, headers: [(String, String)])
        case tcp(host: String?, port: Int)

        public static func == (lhs: Action, rhs: Action) -> Bool {
            switch (lhs, rhs) {
            case (.exec(let a), .exec(let b)): a == b
            case (.tcp(let h1, let p1), .tcp(let h2, let p2)): h1 == h2 && p1 == p2
            case (.http(let h1, let p1, let a1, let s1, let x1), .http(let h2, let p2, let a2, let s2, let x2)):
                h1 == h2 && p1 == p2 && a1 == a2 && s1 == s2 && x1.map { $0.0 + ":" + $0.1 } == x2.map { $0.0 + ":" + $0.1 }
            default: false
            }
        }
    }

    public var action: Action
    public var initialDelaySeconds: Int
    public var periodSeconds: Int
    public var timeoutSeconds: Int
    public var successThreshold: Int
    public var failureThreshold: Int

    /// Parses `probe` of `container`; named ports resolve against the container's ports. nil when the probe has no
    /// supported action (gRPC probes are not supported and never fail the container).
    public init?(_ probe: JSONValue, container: JSONValue) {
        func port(_ value: JSONValue?) -> Int? {
            if let number = value?.int { return number }
            guard let name = value?.string else { return nil }
            if let number = Int(name) { return number }
            return (container["ports"]?.array ?? []).first { $0["name"]?.string == name }?["containerPort"]?.int
        }
        if let command = probe[path: ["exec", "command"]]?.array {
            action = .exec(command.compactMap(\.string))
        } else if let get = probe["httpGet"], let number = port(get["port"]) {
            let headers = (get["httpHeaders"]?.array ?? []).compactMap { header -> (String, String)? in
                guard let name = header["name"]?.string else { return nil }
                return (name, header["value"]?.string ?? "")
            }
            action = .http(host: get["host"]?.string, port: number, path: get["path"]?.string ?? "/",
                           scheme: get["scheme"]?.string ?? "HTTP", headers: headers)
        } else if let socket = probe["tcpSocket"], let number = port(socket["port"]) {
            action = .tcp(host: socket["host"]?.string, port: number)
        } else {
            return nil
        }
        initialDelaySeconds = probe["initialDelaySeconds"]?.int ?? 0
        periodSeconds = max(1, probe["periodSeconds"]?.int ?? 10)
        timeoutSeconds = max(1, probe["timeoutSeconds"]?.int ?? 1)
        successThreshold = max(1, probe["successThreshold"]?.int ?? 1)
        failureThreshold = max(1, probe["failureThreshold"]?.int ?? 3)
    }
}
