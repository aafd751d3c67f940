import Foundation

/// TCP and HTTP probes, dialled from the kubelet's network namespace (the node's) to the pod's IP or the host, with
/// a deadline, as upstream's tcp and http probers do.
enum NetworkProbe {
    /// Connects to host:port within `timeout`; the open socket, or nil with the reason.
    static func connect(host: String, port: Int, timeout: TimeInterval) -> (fd: Int32?, error: String?) {
        var hints = addrinfo(ai_flags: 0, ai_family: AF_UNSPEC, ai_socktype: Int32(SOCK_STREAM.rawValue), ai_protocol: 0,
                             ai_addrlen: 0, ai_addr: nil, ai_canonname: nil, ai_next: nil)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &list) == 0, let first = list else {
            return (nil, "cannot resolve \(host)")
        }
        defer { freeaddrinfo(list) }
        let fd = socket(first.pointee.ai_family, first.pointee.ai_socktype, first.pointee.ai_protocol)
        guard fd >= 0 else { return (nil, String(cString: strerror(errno))) }
        let flags = fcntl(fd, F_GETFL, 0)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
        let result = Glibc.connect(fd, first.pointee.ai_addr, first.pointee.ai_addrlen)
        if result != 0 && errno != EINPROGRESS {
            let reason = String(cString: strerror(errno))
            close(fd)
            return (nil, "dial tcp \(host):\(port): connect: \(reason)")
        }
        var poller = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
        let ready = poll(&poller, 1, Int32(timeout * 1000))
        var socketError: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &socketError, &length)
        guard ready == 1, socketError == 0 else {
            close(fd)
            return (nil, ready == 0 ? "dial tcp \(host):\(port): i/o timeout"
                                    : "dial tcp \(host):\(port): connect: \(String(cString: strerror(socketError)))")
        }
        _ = fcntl(fd, F_SETFL, flags)
        return (fd, nil)
    }

    /// A TCP probe: success when the connection opens.
    static func tcp(host: String, port: Int, timeout: TimeInterval) -> ProbeResult {
        let (fd, error) = connect(host: host, port: port, timeout: timeout)
        if let fd { close(fd); return .success }
        return .failure(error ?? "connection failed")
    }

    /// An HTTP(S) GET probe: success for a status from 200 to 399 (redirects are not followed, as upstream counts a
    /// redirect to another host as success). HTTPS does not verify the server's certificate, as upstream's prober
    /// does not: the probe asks "is it up", not "is it who it says".
    static func http(host: String, port: Int, path: String, tls: Bool = false, headers: [(String, String)],
                     timeout: TimeInterval) -> ProbeResult {
        let (socketFD, error) = connect(host: host, port: port, timeout: timeout)
        guard let fd = socketFD else { return .failure(error ?? "connection failed") }
        defer { close(fd) }
        var tv = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - Double(Int(timeout))) * 1_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        let url = "\(tls ? "https" : "http")://\(host):\(port)\(path)"
        var request = "GET \(path.isEmpty ? "/" : path) HTTP/1.1\r\nHost: \(host):\(port)\r\nUser-Agent: kube-probe/1.32\r\nAccept: */*\r\nConnection: close\r\n"
        for (name, value) in headers { request += "\(name): \(value)\r\n" }
        request += "\r\n"
        let exchange = tls ? ProbeTLS.exchange(fd: fd, host: host, request: Array(request.utf8))
                           : PlainExchange.exchange(fd: fd, request: Array(request.utf8))
        guard case .success(let response) = exchange else {
            if case .failure(let reason) = exchange { return .failure("Get \"\(url)\": \(reason.message)") }
            return .failure("Get \"\(url)\": no response")
        }
        let line = String(decoding: response, as: UTF8.self).split(separator: "\r\n").first ?? ""
        let parts = line.split(separator: " ")
        guard parts.count >= 2, let code = Int(parts[1]) else { return .failure("malformed HTTP response: \(line)") }
        return (200..<400).contains(code) ? .success : .failure("HTTP probe failed with statuscode: \(code)")
    }
}

/// Why a probe exchange failed, as a message for the container's probe event.
struct ProbeExchangeError: Error {
    var message: String
}

/// One request and the first bytes of the answer over a plain socket.
enum PlainExchange {
    static func exchange(fd: Int32, request: [UInt8]) -> Result<[UInt8], ProbeExchangeError> {
        let sent = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
        guard sent > 0 else { return .failure(ProbeExchangeError(message: "cannot send the probe request")) }
        var buffer = [UInt8](repeating: 0, count: 1024)
        let count = recv(fd, &buffer, buffer.count, 0)
        guard count > 0 else { return .failure(ProbeExchangeError(message: "no response before the timeout")) }
        return .success(Array(buffer[0..<count]))
    }
}

/// The outcome of one probe run.
public enum ProbeResult: Sendable, Equatable {
    case success
    case failure(String)

    public var succeeded: Bool { self == .success }
}

/// An HTTP(S) health check with the kubelet prober's semantics, for `init`'s wait-control-plane phase: one place
/// decides what "healthy" means for a component endpoint.
public enum HealthEndpoint {
    /// GETs `scheme://host:port/path`; success for 200-399. Certificates are not verified (a liveness question).
    public static func check(scheme: String, host: String, port: Int, path: String, timeout: TimeInterval = 5) async -> ProbeResult {
        await BlockingIO.run {
            NetworkProbe.http(host: host, port: port, path: path, tls: scheme.lowercased() == "https", headers: [], timeout: timeout)
        }
    }
}
