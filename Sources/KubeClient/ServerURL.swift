import Foundation

/// The API server address of a kubeconfig `server:` field, split once so every request can reuse the parts:
/// scheme, host (IPv6 without brackets), port and an optional path prefix (servers behind a proxy path).
public struct ServerURL: Sendable, Hashable, CustomStringConvertible {
    /// "https" or "http" (plain HTTP only makes sense for tests of the HTTP layer).
    public var scheme: String
    /// A DNS name or an IP address; IPv6 without brackets.
    public var host: String
    public var port: Int
    /// A path the API lives under, without a trailing slash; usually "".
    public var basePath: String

    public init(scheme: String = "https", host: String, port: Int, basePath: String = "") {
        self.scheme = scheme
        self.host = host
        self.port = port
        self.basePath = basePath
    }

    /// The default port of each scheme, used when the URL has none (client-go's behaviour).
    static let defaultPorts: [String: Int] = ["https": 443, "http": 80]

    /// Parses "https://host:port/prefix"; a bare "host:port" is taken as HTTPS, as kubectl does.
    /// - Returns: nil for an unknown scheme, a missing host or a bad port.
    public init?(parsing text: String) {
        var rest = Substring(text.trimmingCharacters(in: .whitespaces))
        var scheme = "https"
        if let range = rest.range(of: "://") {
            scheme = rest[..<range.lowerBound].lowercased()
            rest = rest[range.upperBound...]
        }
        guard let defaultPort = Self.defaultPorts[scheme] else { return nil }
        let authority = rest.prefix { $0 != "/" }
        var path = String(rest.dropFirst(authority.count))
        while path.hasSuffix("/") { path.removeLast() }
        var host: Substring
        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if after.hasPrefix(":") { portText = after.dropFirst() } else if !after.isEmpty { return nil }
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
        } else {
            host = authority
        }
        guard !host.isEmpty else { return nil }
        var port = defaultPort
        if let portText {
            guard let value = Int(portText), (1...65535).contains(value) else { return nil }
            port = value
        }
        self.init(scheme: scheme, host: String(host), port: port, basePath: path)
    }

    public var isTLS: Bool { scheme == "https" }

    /// The `Host` header value: brackets around IPv6, the port only when it is not the scheme's default.
    public var hostHeader: String {
        let name = host.contains(":") ? "[\(host)]" : host
        return port == Self.defaultPorts[scheme] ? name : "\(name):\(port)"
    }

    /// Whether `host` is an IP literal: such hosts are verified against the certificate's IP SANs and never sent
    /// as SNI (TLS forbids IP addresses there).
    public var hostIsIPAddress: Bool {
        if host.contains(":") { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { UInt8($0) != nil }
    }

    public var description: String { "\(scheme)://\(hostHeader)\(basePath)" }
}
