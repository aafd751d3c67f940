import Foundation
import PKI

/// The HTTPS health endpoints of the scheduler and the controller manager (`/healthz`, `/livez`, `/readyz` on
/// their secure port), with a self-signed serving certificate as upstream makes when none is configured; kubeadm's
/// static pod probes call them.
public enum ComponentHealthServer {
    /// Binds the server (not yet serving: call `run()`); nil when `port` is 0 (disabled).
    /// - Parameters:
    ///   - component: names the certificate files, e.g. "kube-scheduler".
    ///   - ready: what `/readyz` reports beyond being alive (e.g. informers synced).
    public static func bind(component: String, bindAddress: String, port: Int,
                            ready: @escaping @Sendable () -> Bool = { true }) async throws -> HTTPServer? {
        guard port != 0 else { return nil }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("\(component)-serving").path
        let (certificate, key) = try SelfSignedServingCertificate.ensure(
            directory: directory, name: component, hostname: ProcessInfo.processInfo.hostName,
            addresses: ["127.0.0.1", bindAddress].filter { $0 != "0.0.0.0" })
        return try await HTTPServer(
            settings: HTTPServerSettings(host: bindAddress, port: port,
                                         tls: .init(certificateFile: certificate, privateKeyFile: key, clientCAFile: nil), threads: 1),
            responder: Responder(ready: ready))
    }

    /// `ok` on /healthz and /livez; /readyz also asks `ready`.
    struct Responder: HTTPResponder {
        let ready: @Sendable () -> Bool

        func respond(to request: HTTPRequestMessage) async -> HTTPResponseMessage {
            let answer: (Int, String)
            switch request.path {
            case "/healthz", "/livez": answer = (200, "ok")
            case "/readyz": answer = ready() ? (200, "ok") : (500, "[-]informer-sync failed: not synced yet\nreadyz check failed")
            default: answer = (404, "404 page not found")
            }
            return HTTPResponseMessage(status: answer.0, headers: [("content-type", "text/plain; charset=utf-8")],
                                       body: .bytes(Array(answer.1.utf8)))
        }
    }
}
