import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// One request as the transport writes it: the target is the path with its query, already encoded.
struct HTTPRequestParts: Sendable {
    var method: HTTPMethod
    var target: String
    var headers: HTTPHeaders
    var body: [UInt8]
}

/// A response as it arrives: the head, then body chunks; the stream finishes at the end of the response.
enum HTTPResponseEvent: Sendable {
    case head(HTTPResponseHead)
    case body(ByteBuffer)
}

/// Transport failures below the HTTP status level.
enum HTTPTransportError: Error, CustomStringConvertible, Sendable {
    /// The connection closed before a response head arrived: on a reused keep-alive connection this usually means
    /// the server timed it out while idle, and an idempotent request may be sent again on a new one.
    case closedBeforeResponse
    /// The connection closed in the middle of a response.
    case closedMidResponse
    /// `RESTClient.shutdown()` was called.
    case clientShutDown

    var description: String {
        switch self {
        case .closedBeforeResponse: "the server closed the connection before responding"
        case .closedMidResponse: "the server closed the connection in the middle of a response"
        case .clientShutDown: "the client has been shut down"
        }
    }
}

/// One HTTP/1.1 keep-alive connection (TLS when the server is HTTPS).
///
/// NIO's async channel must be used inside `executeThenClose`, so each connection owns a task that runs that scope
/// and takes requests from a queue, one at a time, streaming each response back to its requester. The pool
/// guarantees a connection has at most one request outstanding; a watch holds its connection until it ends.
final class HTTPConnection: Sendable {
    typealias Channel = NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>
    typealias ResponseSink = AsyncThrowingStream<HTTPResponseEvent, any Error>.Continuation

    private struct Job: Sendable {
        var request: HTTPRequestParts
        var sink: ResponseSink
    }

    private struct State: Sendable {
        var usable = true
        var requests = 0
        var lastUsed = ContinuousClock.now
    }

    private let channel: any NIOCore.Channel
    private let jobs: AsyncStream<Job>.Continuation
    private let state = LockedValue(State())

    /// Opens a connection and starts its serving task.
    static func connect(to server: ServerURL, tls: NIOSSLContext?, timeout: Duration) async throws -> HTTPConnection {
        let hostname = server.hostIsIPAddress ? nil : server.host
        let asyncChannel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(timeout.timeAmount)
            .connect(host: server.host, port: server.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    // Best effort, as on the server side: some sandboxes refuse TCP_NODELAY (EACCES inside runc
                    // containers here), and a failed bootstrap option would fail the whole connection.
                    _ = try? channel.syncOptions?.setOption(.socketOption(.tcp_nodelay), value: 1)
                    let sync = channel.pipeline.syncOperations
                    if let tls { try sync.addHandler(NIOSSLClientHandler(context: tls, serverHostname: hostname)) }
                    try sync.addHTTPClientHandlers()
                    return try Channel(wrappingChannelSynchronously: channel)
                }
            }
        return HTTPConnection(asyncChannel)
    }

    private init(_ asyncChannel: Channel) {
        channel = asyncChannel.channel
        let (stream, continuation) = AsyncStream<Job>.makeStream()
        jobs = continuation
        Task { [state] in
            var pending = stream.makeAsyncIterator()
            do {
                try await asyncChannel.executeThenClose { inbound, outbound in
                    var parts = inbound.makeAsyncIterator()
                    while let job = await pending.next() {
                        let keepAlive = try await Self.exchange(job, parts: &parts, outbound: outbound)
                        if !keepAlive { return }
                    }
                }
            } catch {
                // The failing job was already told; the connection is done either way.
            }
            state.withLock { $0.usable = false }
            continuation.finish()
            // A job queued while the connection was dying fails here instead of hanging.
            while let job = await pending.next() { job.sink.finish(throwing: HTTPTransportError.closedBeforeResponse) }
        }
    }

    /// Writes one request and relays its response. Returns whether the connection may be reused.
    private static func exchange(_ job: Job, parts: inout NIOAsyncChannelInboundStream<HTTPClientResponsePart>.AsyncIterator,
                                 outbound: NIOAsyncChannelOutboundWriter<HTTPClientRequestPart>) async throws -> Bool {
        var sawHead = false
        do {
            let request = job.request
            try await outbound.write(.head(HTTPRequestHead(version: .http1_1, method: request.method, uri: request.target,
                                                           headers: request.headers)))
            if !request.body.isEmpty { try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: request.body)))) }
            try await outbound.write(.end(nil))
            var keepAlive = true
            while let part = try await parts.next() {
                switch part {
                case .head(let head):
                    sawHead = true
                    keepAlive = head.isKeepAlive
                    job.sink.yield(.head(head))
                case .body(let buffer):
                    job.sink.yield(.body(buffer))
                case .end:
                    job.sink.finish()
                    return keepAlive
                }
            }
            throw sawHead ? HTTPTransportError.closedMidResponse : HTTPTransportError.closedBeforeResponse
        } catch let error as HTTPTransportError {
            job.sink.finish(throwing: error)
            throw error
        } catch {
            // Write failures and resets before any response are "closed before response" for the retry rule.
            job.sink.finish(throwing: sawHead ? error : HTTPTransportError.closedBeforeResponse)
            throw error
        }
    }

    /// Whether the pool may hand this connection out again.
    var isUsable: Bool { channel.isActive && state.withLock { $0.usable } }

    /// How many requests this connection has carried (a failure on a reused one may be a stale keep-alive).
    var requestCount: Int { state.withLock { $0.requests } }

    /// When the last request on this connection started.
    var lastUsed: ContinuousClock.Instant { state.withLock { $0.lastUsed } }

    /// Sends a request; the returned stream relays the response.
    func send(_ request: HTTPRequestParts) -> AsyncThrowingStream<HTTPResponseEvent, any Error> {
        let (stream, sink) = AsyncThrowingStream<HTTPResponseEvent, any Error>.makeStream()
        state.withLock {
            $0.requests += 1
            $0.lastUsed = .now
        }
        if case .terminated = jobs.yield(Job(request: request, sink: sink)) {
            sink.finish(throwing: HTTPTransportError.closedBeforeResponse)
        }
        return stream
    }

    /// Closes the connection (used on timeouts and cancelled watches: the response in flight cannot be skipped).
    func close() {
        state.withLock { $0.usable = false }
        channel.close(promise: nil)
    }
}

extension Duration {
    /// The same span as NIO's `TimeAmount`.
    var timeAmount: TimeAmount {
        .nanoseconds(components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000)
    }
}
