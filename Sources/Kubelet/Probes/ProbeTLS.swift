import COpenSSL
import Foundation

/// The TLS side of HTTPS probes, on the probe's already-connected blocking socket (system OpenSSL, as the PKI
/// module uses). The server certificate is not verified, matching upstream's prober (`InsecureSkipVerify`).
enum ProbeTLS {
    /// One client context for every probe: contexts are thread-safe once configured and costly to make.
    private nonisolated(unsafe) static let context: OpaquePointer? = {
        guard let ctx = SSL_CTX_new(TLS_client_method()) else { return nil }
        SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nil)
        return ctx
    }()

    static func exchange(fd: Int32, host: String, request: [UInt8]) -> Result<[UInt8], ProbeExchangeError> {
        guard let context, let ssl = SSL_new(context) else {
            return .failure(ProbeExchangeError(message: "cannot create a TLS session"))
        }
        defer { SSL_free(ssl) }
        SSL_set_fd(ssl, fd)
        // An IP address is not a valid SNI name; send one only for host names.
        if inet_addr(host) == INADDR_NONE && !host.contains(":") { _ = kswift_ssl_set_sni(ssl, host) }
        guard SSL_connect(ssl) == 1 else {
            ERR_clear_error()
            return .failure(ProbeExchangeError(message: "TLS handshake failed"))
        }
        defer { SSL_shutdown(ssl) }
        let written = request.withUnsafeBytes { SSL_write(ssl, $0.baseAddress, Int32($0.count)) }
        guard written > 0 else { return .failure(ProbeExchangeError(message: "cannot send the probe request")) }
        var buffer = [UInt8](repeating: 0, count: 1024)
        let count = SSL_read(ssl, &buffer, Int32(buffer.count))
        guard count > 0 else { return .failure(ProbeExchangeError(message: "no response before the timeout")) }
        return .success(Array(buffer[0..<Int(count)]))
    }
}
