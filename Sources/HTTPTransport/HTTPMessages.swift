import PKI

/// One HTTP request as the transport hands it to the API layer: the head, the whole body (bounded by
/// `HTTPServerSettings.maxBodyBytes`), and the client certificate the TLS handshake verified, if any.
public struct HTTPRequestMessage: Sendable {
    /// The method in upper case, e.g. "GET".
    public var method: String
    /// The path without the query, still percent-encoded (segments are decoded by the router, so an encoded `/`
    /// inside a name cannot split a segment).
    public var path: String
    /// The decoded query parameters in request order; repeated keys stay repeated (exec's `command=`).
    public var query: [(name: String, value: String)]
    /// Header names in lower case, in request order.
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    /// The verified client certificate (leaf), when the client presented one.
    public var clientCertificate: Certificate?

    public init(method: String, path: String, query: [(name: String, value: String)] = [],
                headers: [(name: String, value: String)] = [], body: [UInt8] = [], clientCertificate: Certificate? = nil) {
        self.method = method; self.path = path; self.query = query; self.headers = headers
        self.body = body; self.clientCertificate = clientCertificate
    }

    /// The first value of a header (names compare case-insensitively).
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name == wanted }?.value
    }

    /// The last value of a query parameter, as upstream's `url.Values.Get` effectively reads options.
    public func queryValue(_ name: String) -> String? { query.last { $0.name == name }?.value }

    /// Parses a request target (`/api/v1/pods?limit=500`) into a path and decoded query.
    public static func split(target: String) -> (path: String, query: [(name: String, value: String)]) {
        guard let mark = target.firstIndex(of: "?") else { return (target, []) }
        let path = String(target[..<mark])
        let rest = target[target.index(after: mark)...]
        let query: [(name: String, value: String)] = rest.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = PercentDecoding.decode(parts[0], plusIsSpace: true) ?? String(parts[0])
            let value = parts.count > 1 ? (PercentDecoding.decode(parts[1], plusIsSpace: true) ?? String(parts[1])) : ""
            return (name, value)
        }
        return (path, query)
    }
}

/// The body of a response: complete bytes, a stream of chunks (watches) written and flushed as they come, or a
/// protocol switch (status 101) that hands the connection to the responder.
public enum HTTPResponseBody: Sendable {
    case bytes([UInt8])
    case stream(AsyncThrowingStream<[UInt8], any Error>)
    case upgrade(HTTPUpgrade)
}

/// One HTTP response from the API layer.
public struct HTTPResponseMessage: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: HTTPResponseBody

    public init(status: Int, headers: [(name: String, value: String)] = [], body: HTTPResponseBody = .bytes([])) {
        self.status = status; self.headers = headers; self.body = body
    }
}

/// What the transport calls for every request. Never throws: every failure is a response.
public protocol HTTPResponder: Sendable {
    func respond(to request: HTTPRequestMessage) async -> HTTPResponseMessage
}

/// `%XX` decoding for URL paths and queries.
public enum PercentDecoding {
    /// Decodes `%XX` escapes (and `+` as a space in queries); nil when an escape is malformed or the result is not
    /// UTF-8.
    public static func decode(_ text: Substring, plusIsSpace: Bool) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "%"):
                guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else { return nil }
                bytes.append(high << 4 | low)
            case UInt8(ascii: "+") where plusIsSpace:
                bytes.append(UInt8(ascii: " "))
            default:
                bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
