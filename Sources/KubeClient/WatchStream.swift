import KubeAPI
import NIOCore
import NIOHTTP1

extension RESTClient {
    /// Opens a watch and returns its events once the server has accepted it.
    ///
    /// The watch has its own connection for its whole life (outside the pool's limit) and no client-side timeout:
    /// it ends when the server closes it (`options.timeoutSeconds`, a restart) or when the consumer stops
    /// iterating, which closes the connection. An `ERROR` event ends the stream by throwing its `Status`; a
    /// 410 (`isGone`) means `resourceVersion` is too old and the caller must list again.
    /// - Parameters:
    ///   - namespace: nil watches a namespaced resource across all namespaces.
    ///   - options: selectors and the server-side timeout (paging fields are ignored).
    ///   - resourceVersion: where to start; nil or "0" starts with synthetic ADDED events for current objects.
    ///   - allowWatchBookmarks: ask for periodic BOOKMARK events carrying the latest resourceVersion.
    /// - Throws: the server's `Status` when it refuses the watch (403, 404, 400), or a transport error.
    public func watch(_ resource: APIResourceInfo, namespace: String? = nil, options: ListOptions = ListOptions(),
                      resourceVersion: String? = nil, allowWatchBookmarks: Bool = true) async throws -> AsyncThrowingStream<WatchEvent, any Error> {
        let path = try ResourcePath.make(resource, namespace: namespace)
        var listOptions = options
        listOptions.limit = nil
        listOptions.continueToken = nil
        listOptions.resourceVersion = resourceVersion
        var query = [("watch", "true")] + listOptions.queryItems
        if allowWatchBookmarks { query.append(("allowWatchBookmarks", "true")) }
        let request = makeRequest(method: .GET, path: path, query: query, body: nil, contentType: "application/json")
        let connection: HTTPConnection
        do {
            connection = try await pool.dedicatedConnection()
        } catch {
            throw KubeClientError.transport(method: "GET", path: request.target, underlying: "\(error)")
        }
        let (events, output) = AsyncThrowingStream<WatchEvent, any Error>.makeStream()
        let headTimeout = config.requestTimeout
        let pool = self.pool
        do {
            // Cancelling the caller while the server has not answered yet closes the connection, which ends the wait.
            try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { (started: CheckedContinuation<Void, any Error>) in
                    let pump = Task {
                        await Self.pump(request, on: connection, headTimeout: headTimeout, started: started, output: output)
                        await pool.finished(connection)
                    }
                    output.onTermination = { _ in
                        pump.cancel()
                        connection.close()
                    }
                }
            } onCancel: {
                connection.close()
            }
        } catch {
            if Task.isCancelled { throw CancellationError() }
            throw error
        }
        return events
    }

    /// Relays one watch response: waits for the head (bounded by `headTimeout`), reports acceptance or refusal
    /// through `started`, then decodes events into `output` until the response ends.
    private static func pump(_ request: HTTPRequestParts, on connection: HTTPConnection, headTimeout: Duration,
                             started: CheckedContinuation<Void, any Error>,
                             output: AsyncThrowingStream<WatchEvent, any Error>.Continuation) async {
        var pendingStart: CheckedContinuation<Void, any Error>? = started
        let headTimer = Task {
            do {
                try await Task.sleep(for: headTimeout)
            } catch {
                return false
            }
            connection.close()
            return true
        }
        var status = 0
        do {
            var errorBody: [UInt8] = []
            var framer = JSONStreamFramer()
            for try await event in connection.send(request) {
                switch event {
                case .head(let head):
                    headTimer.cancel()
                    status = Int(head.status.code)
                    if status == 200 {
                        pendingStart?.resume()
                        pendingStart = nil
                    }
                case .body(let buffer) where status != 200:
                    errorBody.append(contentsOf: buffer.readableBytesView)
                case .body(let buffer):
                    for document in try framer.append(buffer.readableBytesView) {
                        let json: JSONValue
                        do {
                            json = try JSONValue(parsing: document)
                        } catch {
                            throw KubeClientError.invalidResponse("watch event is not JSON: \(error)")
                        }
                        output.yield(try WatchEvent(json: json))
                    }
                }
            }
            if status != 200 && status != 0 { throw KubeClientError.api(APIStatus(httpStatus: status, body: errorBody)) }
            if status == 0 { throw HTTPTransportError.closedBeforeResponse }
            output.finish()
        } catch {
            headTimer.cancel()
            let timerFired = await headTimer.value
            let failure: any Error
            if error is KubeClientError || error is CancellationError {
                failure = error
            } else if timerFired && status == 0 {
                failure = KubeClientError.timedOut(method: "GET", path: request.target, after: headTimeout)
            } else {
                failure = KubeClientError.transport(method: "GET", path: request.target, underlying: "\(error)")
            }
            if let start = pendingStart {
                start.resume(throwing: failure)
                pendingStart = nil
            } else {
                output.finish(throwing: failure)
            }
        }
        headTimer.cancel()
        pendingStart?.resume(throwing: CancellationError())
        connection.close()
    }
}
