import HTTPTransport
import NIOCore
import NIOPosix

/// `pods/portforward` (`kubectl port-forward`, protocol `portforward.k8s.io`): SPDY/3.1 streams either straight
/// after an `Upgrade: SPDY/3.1` or tunnelled in the binary messages of a WebSocket with subprotocol
/// `SPDY/3.1+portforward.k8s.io` (kubectl 1.31+). For each local connection kubectl opens an error stream and a data
/// stream with the same `requestID` and the pod `port`; the server connects to that port and copies bytes between it
/// and the data stream, writes a failure as text on the error stream, and ends both streams when the pod side
/// closes.
///
/// Not upstream-exact: upstream's kubelet connects to the port from inside the pod's network namespace (so it
/// reaches ports bound to the pod's loopback too); here the API server connects to the pod's IP over the pod
/// network, so only ports the pod listens on at its IP (or every address) can be forwarded.
actor SpdyPortForward {
    static let protocolVersion = "portforward.k8s.io"
    static let webSocketProtocol = "SPDY/3.1+portforward.k8s.io"

    private struct Pair {
        var error: UInt32?
        var data: UInt32?
        var pod: ByteStream?
        var buffered: [[UInt8]] = []
        var finished = false
    }

    private let client: ByteStream
    private let podIP: String
    private let podName: String
    private let writer = SpdyFrameWriter()
    private var pairs: [String: Pair] = [:]
    private var requestOfStream: [UInt32: String] = [:]
    private var clientGone = false

    init(client: ByteStream, podIP: String, podName: String) {
        self.client = client
        self.podIP = podIP
        self.podName = podName
    }

    func run() async {
        await withTaskGroup(of: Void.self) { group in
            var reader = SpdyFrameReader()
            reading: for await chunk in client.inbound {
                reader.append(chunk)
                while true {
                    let frame: SpdyFrame?
                    do { frame = try reader.next() } catch { break reading }
                    guard let frame else { break }
                    switch frame {
                    case .synStream(let streamID, let headers):
                        guard let reply = try? writer.synReply(streamID: streamID) else { break reading }
                        await send(reply)
                        let request = headers["requestid"] ?? ""
                        requestOfStream[streamID] = request
                        switch headers["streamtype"] {
                        case "error":
                            pairs[request, default: Pair()].error = streamID
                        case "data":
                            pairs[request, default: Pair()].data = streamID
                            guard let port = headers["port"].flatMap({ Int($0) }), (1...65535).contains(port) else {
                                await fail(request, "invalid port \"\(headers["port"] ?? "")\"")
                                continue
                            }
                            group.addTask { await self.forward(request, port: port) }
                        default:
                            break
                        }
                    case .data(let streamID, _, let payload):
                        if let request = requestOfStream[streamID], pairs[request]?.data == streamID, !payload.isEmpty {
                            await toPod(request, payload)
                        }
                    case .rstStream(let streamID):
                        if let request = requestOfStream[streamID] { pairs[request]?.pod?.close() }
                    case .ping(let id):
                        await send(writer.ping(id: id))
                    case .goAway:
                        break reading
                    case .ignored:
                        break
                    }
                }
            }
            clientGone = true
            for pair in pairs.values { pair.pod?.close() }
            group.cancelAll()
        }
        client.close()
    }

    private func forward(_ request: String, port: Int) async {
        let connection: NIOAsyncChannel<ByteBuffer, ByteBuffer>
        do {
            connection = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(.seconds(10))
                .connect(host: podIP, port: port) { channel in
                    channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel) }
                }
        } catch {
            await fail(request, "error forwarding port \(port) to pod \(podName): dial tcp \(podIP):\(port): \(Self.reason(error))")
            return
        }
        await ByteStream.run(connection) { pod in
            guard await self.attach(request, pod) else { return }
            for await chunk in pod.inbound { await self.fromPod(request, chunk) }
            await self.finish(request)
        }
    }

    /// "connect: connection refused" rather than NIO's nested description.
    static func reason(_ error: any Error) -> String {
        let text = "\(error)"
        for (needle, reason) in [("Connection refused", "connect: connection refused"), ("timed out", "i/o timeout"),
                                 ("No route to host", "connect: no route to host"), ("unreachable", "connect: network is unreachable")]
        where text.contains(needle) {
            return reason
        }
        return text
    }

    private func attach(_ request: String, _ pod: ByteStream) async -> Bool {
        guard !clientGone else { return false }
        pairs[request, default: Pair()].pod = pod
        let waiting = pairs[request]?.buffered ?? []
        pairs[request]?.buffered = []
        for data in waiting { try? await pod.write(data) }
        return true
    }

    private func toPod(_ request: String, _ data: [UInt8]) async {
        guard let pod = pairs[request]?.pod else {
            pairs[request, default: Pair()].buffered.append(data)
            return
        }
        try? await pod.write(data)
    }

    private func fromPod(_ request: String, _ data: [UInt8]) async {
        guard let stream = pairs[request]?.data else { return }
        await send(writer.data(streamID: stream, data[...]))
    }

    /// Ends a forwarded connection: a FIN on its data and error streams.
    private func finish(_ request: String) async {
        guard var pair = pairs[request], !pair.finished else { return }
        pair.finished = true
        pairs[request] = pair
        for stream in [pair.data, pair.error].compactMap({ $0 }) { await send(writer.data(streamID: stream, [][...], fin: true)) }
    }

    /// Reports a failure on the request's error stream (kubectl prints it), then ends it.
    private func fail(_ request: String, _ message: String) async {
        if let stream = pairs[request]?.error { await send(writer.data(streamID: stream, Array(message.utf8)[...])) }
        await finish(request)
    }

    private func send(_ frame: [UInt8]) async {
        guard !clientGone else { return }
        do { try await client.write(frame) } catch { clientGone = true }
    }
}
