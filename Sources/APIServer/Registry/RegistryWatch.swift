import KubeAPI
import Storage

extension Registry {
    /// A watch: `{"type":..,"object":..}` events in revision order. Without a resourceVersion (or with "0") the
    /// current matching objects come first as synthetic ADDED events. A selector turns an object that stops
    /// matching into DELETED and one that starts matching into ADDED, as upstream's filtered watch does.
    func watch(_ context: RequestContext) async throws -> APIResponse {
        let filter = try ObjectFilter(context)
        let info = context.info
        let prefix = ResourceKeys.prefix(info, namespace: context.namespace)
        let bookmarks = ["1", "true"].contains(context.query["allowWatchBookmarks"] ?? "")
        let timeout = try context.intQuery("timeoutSeconds")
        let requested = context.query["resourceVersion"] ?? ""

        var initial: [JSONValue] = []
        let start: Int64
        if requested.isEmpty || requested == "0" {
            let snapshot = try await store.list(prefix: prefix)
            for value in snapshot.items {
                let object = Self.withType(try Self.decode(value), info)
                if filter.matches(object) { initial.append(["type": "ADDED", "object": object]) }
            }
            start = snapshot.revision
        } else {
            guard let revision = Int64(requested), revision >= 0 else {
                throw StatusError.badRequest("invalid resource version: \(requested)")
            }
            start = revision
        }

        let source: WatchStream
        do {
            source = try await store.watch(prefix: prefix, afterRevision: start)
        } catch let error as StorageError where error.code == .compacted {
            // Upstream answers 200 and sends the 410 as the only event, so clients re-list.
            let expired = StatusError(code: 410, reason: "Expired",
                                      message: "too old resource version: \(start) (\(error.revision.map(String.init) ?? ""))")
            return .watch(AsyncThrowingStream { continuation in
                continuation.yield(["type": "ERROR", "object": expired.status])
                continuation.finish()
            })
        }

        let interval = bookmarkInterval
        let initialEvents = initial
        let stream = AsyncThrowingStream<JSONValue, any Error> { continuation in
            let progress = WatchProgress(start)
            let pump = Task {
                for event in initialEvents { continuation.yield(event) }
                do {
                    for try await change in source {
                        if let event = try Self.watchEvent(change, filter: filter, info: info) {
                            continuation.yield(event)
                        }
                        await progress.advance(to: change.revision)
                    }
                } catch let error as StorageError where error.code == .compacted || error.code == .watcherTooSlow {
                    let expired = StatusError(code: 410, reason: "Expired", message: "too old resource version: \(start)")
                    continuation.yield(["type": "ERROR", "object": expired.status])
                } catch {
                    // The store closed or the stream was cancelled: end the watch cleanly.
                }
                continuation.finish()
            }
            let ticker: Task<Void, Never>? = bookmarks ? Task {
                while !Task.isCancelled {
                    try? await Task.sleep(for: interval)
                    if Task.isCancelled { break }
                    let revision = await progress.revision
                    continuation.yield(["type": "BOOKMARK", "object": [
                        "kind": .string(info.kind), "apiVersion": .string(info.groupVersion),
                        "metadata": ["resourceVersion": .string(String(revision))],
                    ]])
                }
            } : nil
            let timer: Task<Void, Never>? = timeout.map { seconds in
                Task {
                    try? await Task.sleep(for: .seconds(seconds))
                    if !Task.isCancelled { continuation.finish() }
                }
            }
            continuation.onTermination = { _ in
                pump.cancel()
                source.cancel()
                ticker?.cancel()
                timer?.cancel()
            }
        }
        return .watch(stream)
    }

    /// Turns one store change into the event a client with this filter sees, or nil when it sees nothing.
    static func watchEvent(_ change: WatchEvent, filter: ObjectFilter, info: APIResourceInfo) throws -> JSONValue? {
        let new = try change.value.map { withType(try decode($0), info) }
        var old = try change.previous.map { withType(try decode($0), info) }
        let newMatches = new.map(filter.matches) ?? false
        let oldMatches = old.map(filter.matches) ?? false
        switch (change.kind, oldMatches, newMatches) {
        case (.added, _, true), (.modified, false, true):
            return ["type": "ADDED", "object": new ?? .null]
        case (.modified, true, true):
            return ["type": "MODIFIED", "object": new ?? .null]
        case (.modified, true, false):
            return ["type": "DELETED", "object": new ?? .null]
        case (.deleted, true, _):
            old?.metadata.resourceVersion = String(change.revision)
            return ["type": "DELETED", "object": old ?? .null]
        default:
            return nil
        }
    }
}

/// The newest revision a watch has passed, which BOOKMARK events report.
actor WatchProgress {
    private(set) var revision: Int64

    init(_ revision: Int64) { self.revision = revision }

    func advance(to revision: Int64) { self.revision = max(self.revision, revision) }
}
