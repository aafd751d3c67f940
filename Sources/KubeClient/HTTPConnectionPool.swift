import NIOSSL

/// A small pool of keep-alive connections to one server: at most `limit` connections carry requests at a time;
/// further requests wait for one to come back. Idle connections that the server closed, or that sat idle longer
/// than `maxIdle` (servers close those on their side, often silently), are dropped instead of reused.
actor HTTPConnectionPool {
    private let server: ServerURL
    private let tls: NIOSSLContext?
    private let connectTimeout: Duration
    private let limit: Int
    private let maxIdle: Duration
    private var idle: [HTTPConnection] = []
    private var leased = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []
    private var closed = false
    /// Watch connections, so `shutdown` can end them too.
    private var dedicated: [ObjectIdentifier: HTTPConnection] = [:]

    init(server: ServerURL, tls: NIOSSLContext?, connectTimeout: Duration, limit: Int, maxIdle: Duration = .seconds(90)) {
        self.server = server
        self.tls = tls
        self.connectTimeout = connectTimeout
        self.limit = max(1, limit)
        self.maxIdle = maxIdle
    }

    /// A connection for one request: an idle one when available, else a new one while under the limit, else the
    /// next one released. Pass `fresh` to skip idle connections (the retry after a stale keep-alive).
    func acquire(fresh: Bool = false) async throws -> HTTPConnection {
        guard !closed else { throw HTTPTransportError.clientShutDown }
        while leased >= limit {
            await withCheckedContinuation { waiters.append($0) }
        }
        leased += 1
        let now = ContinuousClock.now
        while !fresh, let candidate = idle.popLast() {
            if candidate.isUsable && now - candidate.lastUsed < maxIdle { return candidate }
            candidate.close()
        }
        do {
            return try await HTTPConnection.connect(to: server, tls: tls, timeout: connectTimeout)
        } catch {
            returnSlot()
            throw error
        }
    }

    /// Gives a connection back; unusable ones (closed, timed out, `Connection: close`) are dropped.
    func release(_ connection: HTTPConnection) {
        if connection.isUsable && !closed { idle.append(connection) } else { connection.close() }
        returnSlot()
    }

    private func returnSlot() {
        leased -= 1
        if !waiters.isEmpty { waiters.removeFirst().resume() }
    }

    /// Closes every idle connection and every watch; leased ones close when released.
    func shutdown() {
        closed = true
        for connection in idle + dedicated.values { connection.close() }
        idle.removeAll()
        dedicated.removeAll()
    }

    /// Connections a watch owns for its whole life are outside the pool's limit (client-go gives each watch its
    /// own HTTP/1.1 connection too). Call `finished` when the watch ends.
    func dedicatedConnection() async throws -> HTTPConnection {
        guard !closed else { throw HTTPTransportError.clientShutDown }
        let connection = try await HTTPConnection.connect(to: server, tls: tls, timeout: connectTimeout)
        if closed {
            connection.close()
            throw HTTPTransportError.clientShutDown
        }
        dedicated[ObjectIdentifier(connection)] = connection
        return connection
    }

    /// Forgets a watch connection that has ended.
    func finished(_ connection: HTTPConnection) {
        connection.close()
        dedicated[ObjectIdentifier(connection)] = nil
    }

    /// How many idle connections are kept (for tests of reuse).
    var idleCount: Int { idle.count }
}
