import Foundation
import HTTPTransport
import KubeAPI
import NIOCore
import Synchronization

/// `pods/exec` and `pods/attach`: checks the pod, container and node, then carries the client's WebSocket to the
/// kubelet's `/exec/<ns>/<pod>/<container>` (or `/attach/...`): the upgrade request goes on with the client's
/// handshake headers, the kubelet's 101 comes back, and from then on bytes flow both ways untouched until either
/// side closes (upstream's `UpgradeAwareHandler`). Everything that can go wrong before the 101 is a Status.
///
/// SPDY (`Upgrade: SPDY/3.1`: kubectl 1.27–1.29, and newer kubectl's fallback) is accepted with protocol
/// `v4.channel.k8s.io` and translated to the kubelet's WebSocket by ``SpdyExecBridge``.
extension APIHandler {
    static let streamSubresources: Set<String> = ["exec", "attach", "portforward"]

    func podStream(_ request: APIRequest, _ http: HTTPRequestMessage) async -> HTTPResponseMessage {
        let attach = request.subresource == "attach"
        let target: KubeletTarget
        switch await kubeletTarget(request, container: http.queryValue("container")) {
        case .success(let found): target = found
        case .failure(let error): return Self.status(error)
        }
        if request.subresource == "portforward" { return portForward(http, target: target) }
        if let phase = target.pod[path: ["status", "phase"]]?.string, ["Succeeded", "Failed"].contains(phase) {
            return Self.status(.badRequest("cannot \(attach ? "attach to" : "exec into") a container in a completed pod; current phase is \(phase)"))
        }
        // Said here rather than by the kubelet, because kubectl's SPDY fallback would hide the kubelet's answer.
        let statuses = ["containerStatuses", "initContainerStatuses"].flatMap { target.pod[path: ["status", $0]]?.array ?? [] }
        if let status = statuses.first(where: { $0["name"]?.string == target.container }), status[path: ["state", "running"]] == nil {
            let reason = status[path: ["state", "waiting", "reason"]]?.string ?? status[path: ["state", "terminated", "reason"]]?.string
            return Self.status(.badRequest("container \(target.container) is not running in pod \(target.podName)"
                + (reason.map { " (\($0))" } ?? "")))
        }
        let options = Self.kubeletStreamQuery(http.query, attach: attach)
        if !attach && !options.contains(where: { $0.hasPrefix("command=") }) {
            return Self.status(.badRequest("you must specify at least one command for the container"))
        }
        guard let kubelets else { return Self.status(Self.noKubeletClient) }
        let path = "/\(attach ? "attach" : "exec")/\(request.namespace ?? "default")/\(target.podName)/\(target.container)?"
            + options.joined(separator: "&")
        if http.upgradeProtocol == "spdy/3.1" {
            return await spdyStream(http, target: target, path: path, kubelets: kubelets)
        }
        guard http.upgradeProtocol == "websocket" else {
            return Self.status(.badRequest("Upgrade request required: \(request.subresource ?? "exec") streams over WebSocket "
                + "(v5.channel.k8s.io, v4.channel.k8s.io) or SPDY/3.1 (v4.channel.k8s.io)"))
        }
        let handshake = http.headers.filter { $0.name.hasPrefix("sec-websocket-") || $0.name == "origin" }
        return await switchToKubelet(target, path: path, handshake: handshake, kubelets: kubelets) { headers in
            headers.filter { $0.name.lowercased().hasPrefix("sec-websocket-") }
        } session: { client, kubelet in
            await ByteStream.relay(client, kubelet)
        }
    }

    /// Opens the kubelet's WebSocket and, once it answered 101, answers the client 101 with `replyHeaders` of the
    /// kubelet's and hands both connections to `session`; any failure before that is a Status.
    private func switchToKubelet(_ target: KubeletTarget, path: String, handshake: [(name: String, value: String)], kubelets: KubeletConnection,
                                 replyHeaders: ([(name: String, value: String)]) -> [(name: String, value: String)],
                                 session: @escaping @Sendable (ByteStream, ByteStream) async -> Void) async -> HTTPResponseMessage {
        let answer: KubeletConnection.UpgradeAnswer
        do {
            answer = try await kubelets.upgrade(host: target.host, port: target.port, path: path, headers: handshake)
        } catch {
            return Self.status(Self.dialError(target, error))
        }
        switch answer {
        case .refused(let status, let body):
            return Self.status(Self.kubeletRefusal(status: status, body: body))
        case .switched(let headers, let connection):
            let carried = HandOff(connection)
            return HTTPResponseMessage(status: 101, body: .upgrade(.tunnel(
                headers: replyHeaders(headers),
                handler: { client in
                    guard let connection = carried.take() else { return }
                    await ByteStream.run(connection) { kubelet in await session(client, kubelet) }
                },
                abandon: { carried.take()?.channel.close(promise: nil) })))
        }
    }

    /// The SPDY path: negotiate `v4.channel.k8s.io`, open the kubelet's WebSocket, answer 101 and bridge the two.
    private func spdyStream(_ http: HTTPRequestMessage, target: KubeletTarget, path: String, kubelets: KubeletConnection) async -> HTTPResponseMessage {
        let offered = Self.streamProtocols(http)
        guard offered.contains(SpdyExecBridge.protocolVersion) else {
            return Self.status(.badRequest("SPDY streams need protocol \(SpdyExecBridge.protocolVersion) (X-Stream-Protocol-Version); "
                + "offered: \(offered.isEmpty ? "none" : offered.joined(separator: ", "))"))
        }
        let key = Data((0..<16).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
        let handshake = [("sec-websocket-key", key), ("sec-websocket-version", "13"), ("sec-websocket-protocol", "v5.channel.k8s.io")]
        let expected = SpdyExecBridge.expectedChannels(http.query)
        return await switchToKubelet(target, path: path, handshake: handshake, kubelets: kubelets) { _ in
            [("X-Stream-Protocol-Version", SpdyExecBridge.protocolVersion)]
        } session: { client, kubelet in
            await SpdyExecBridge(client: client, kubelet: kubelet, expected: expected).run()
        }
    }

    /// `pods/portforward`: a running pod with an IP, then SPDY (plain or tunnelled in a WebSocket) to
    /// ``SpdyPortForward``.
    private func portForward(_ http: HTTPRequestMessage, target: KubeletTarget) -> HTTPResponseMessage {
        guard target.pod[path: ["status", "phase"]]?.string == "Running",
              let podIP = target.pod[path: ["status", "podIP"]]?.string, !podIP.isEmpty else {
            return Self.status(.badRequest("unable to forward ports to pod \(target.podName): it is not running (or has no IP yet)"))
        }
        let name = target.podName
        switch http.upgradeProtocol {
        case "websocket" where http.webSocketProtocols.contains(SpdyPortForward.webSocketProtocol):
            return HTTPResponseMessage(status: 101, body: .upgrade(.webSocket(subprotocol: SpdyPortForward.webSocketProtocol) { session in
                let bytes = ByteStream(inbound: session.messages, write: { try await session.send($0) }, close: {})
                await SpdyPortForward(client: bytes, podIP: podIP, podName: name).run()
            }))
        case "spdy/3.1":
            guard Self.streamProtocols(http).contains(SpdyPortForward.protocolVersion) else {
                return Self.status(.badRequest("port forwarding needs protocol \(SpdyPortForward.protocolVersion) (X-Stream-Protocol-Version)"))
            }
            return HTTPResponseMessage(status: 101, body: .upgrade(.tunnel(
                headers: [("X-Stream-Protocol-Version", SpdyPortForward.protocolVersion)],
                handler: { client in await SpdyPortForward(client: client, podIP: podIP, podName: name).run() },
                abandon: {})))
        default:
            return Self.status(.badRequest("Upgrade request required: port forwarding speaks SPDY/3.1 (\(SpdyPortForward.protocolVersion)), "
                + "directly or in a WebSocket (\(SpdyPortForward.webSocketProtocol))"))
        }
    }

    /// The SPDY stream protocols a client offers (`X-Stream-Protocol-Version`, repeated or comma-separated).
    static func streamProtocols(_ http: HTTPRequestMessage) -> [String] {
        http.headers.filter { $0.name == "x-stream-protocol-version" }
            .flatMap { $0.value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
    }

    static func dialError(_ target: KubeletTarget, _ error: any Error) -> StatusError {
        StatusError(code: 500, reason: "InternalError", message: "error dialing backend: \(target.host):\(target.port): \(error)")
    }

    /// kubectl's query (`stdin=true`, `command=ls`, ...) in the kubelet's words (`input=1`, `command=ls`), as
    /// upstream's `streamParams` writes it; commands keep their order.
    static func kubeletStreamQuery(_ query: [(name: String, value: String)], attach: Bool) -> [String] {
        let isTrue = { (name: String) in ["1", "true"].contains(query.last { $0.name == name }?.value.lowercased() ?? "") }
        var options: [String] = []
        for (param, kubelet) in [("stdin", "input"), ("stdout", "output"), ("stderr", "error"), ("tty", "tty")] where isTrue(param) {
            options.append("\(kubelet)=1")
        }
        if !attach {
            let unreserved = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")
            for command in query where command.name == "command" {
                options.append("command=" + (command.value.addingPercentEncoding(withAllowedCharacters: unreserved) ?? command.value))
            }
        }
        return options
    }
}

/// The kubelet's connection between its 101 and the client's: exactly one of the relay and the abandon path gets it.
private final class HandOff: Sendable {
    private let connection: Mutex<NIOAsyncChannel<ByteBuffer, ByteBuffer>?>

    init(_ connection: NIOAsyncChannel<ByteBuffer, ByteBuffer>) { self.connection = Mutex(connection) }

    func take() -> NIOAsyncChannel<ByteBuffer, ByteBuffer>? { connection.withLock { $0.take() } }
}
