import HTTPTransport

/// The kubelet's plain-HTTP health endpoint on `healthzBindAddress:healthzPort` (127.0.0.1:10248): `ok` while the
/// sync loop runs. kubeadm's `wait-control-plane` and the kubelet-check poll it.
public struct HealthzResponder: HTTPResponder {
    let healthy: @Sendable () async -> Bool

    public init(healthy: @escaping @Sendable () async -> Bool) { self.healthy = healthy }

    public func respond(to request: HTTPRequestMessage) async -> HTTPResponseMessage {
        guard request.path == "/healthz" || request.path.hasPrefix("/healthz/") else {
            return HTTPResponseMessage(status: 404, headers: [("content-type", "text/plain")], body: .bytes(Array("404 page not found".utf8)))
        }
        let ok = await healthy()
        return HTTPResponseMessage(status: ok ? 200 : 500, headers: [("content-type", "text/plain; charset=utf-8")],
                                   body: .bytes(Array((ok ? "ok" : "[-]syncloop failed: reason withheld\nhealthz check failed").utf8)))
    }
}
