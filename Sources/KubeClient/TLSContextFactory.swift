import NIOSSL

/// Turns the PEM material of a `ClientConfig` into one `NIOSSLContext`, built once per client and shared by
/// every connection (the context is immutable and thread-safe; building it parses keys, which is not free).
enum TLSContextFactory {
    /// - Returns: nil for a plain-HTTP server.
    /// - Throws: `ClientConfigError` naming the field whose PEM did not parse.
    static func make(_ config: ClientConfig) throws -> NIOSSLContext? {
        guard config.server.isTLS else { return nil }
        let origins = config.origins
        func fail(_ field: String, _ what: String, _ error: any Error) -> ClientConfigError {
            ClientConfigError(source: origins.source, field: field, message: "cannot use it as \(what): \(error)")
        }
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.minimumTLSVersion = .tlsv12
        tls.applicationProtocols = ["http/1.1"]
        // A client closes a connection only to discard it (a timed-out request, an abandoned watch, shutdown). NIOSSL
        // would otherwise wait up to 5 s for the server's close_notify, which a server busy streaming a watch never
        // reads, keeping the socket (and the server's watcher) alive that long. Go's client does not wait either.
        tls.shutdownTimeout = .zero
        if config.insecureSkipTLSVerify {
            tls.certificateVerification = .none
        } else if let ca = config.certificateAuthorityPEM {
            do {
                let roots = try NIOSSLCertificate.fromPEMBytes(Array(ca.utf8))
                guard !roots.isEmpty else { throw NIOSSLError.failedToLoadCertificate }
                tls.trustRoots = .certificates(roots)
            } catch {
                throw fail(origins.certificateAuthority, "a PEM CA bundle", error)
            }
        }
        if let certificate = config.clientCertificatePEM, let key = config.clientKeyPEM {
            do {
                tls.certificateChain = try NIOSSLCertificate.fromPEMBytes(Array(certificate.utf8)).map { .certificate($0) }
            } catch {
                throw fail(origins.clientCertificate, "a PEM client certificate", error)
            }
            do {
                tls.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: Array(key.utf8), format: .pem))
            } catch {
                throw fail(origins.clientKey, "a PEM private key", error)
            }
        }
        do {
            return try NIOSSLContext(configuration: tls)
        } catch {
            throw ClientConfigError(source: origins.source, field: "", message: "cannot build the TLS context: \(error)")
        }
    }
}
