import KubeAPI

/// One change of a watch. `ERROR` events never appear here: the stream throws their `Status` instead.
public struct WatchEvent: Sendable {
    public enum EventType: String, Sendable, Hashable {
        case added = "ADDED", modified = "MODIFIED", deleted = "DELETED", bookmark = "BOOKMARK"
    }

    public var type: EventType
    /// The object after the change (for DELETED: its last state; for BOOKMARK: only kind and resourceVersion).
    public var object: JSONValue

    public init(type: EventType, object: JSONValue) {
        self.type = type
        self.object = object
    }

    /// The resourceVersion this event brings the watcher to: where to resume after the stream ends.
    public var resourceVersion: String? { object.metadata.resourceVersion }

    /// Reads one `{"type":..,"object":..}` line.
    /// - Throws: `KubeClientError.api` for an ERROR event, `.invalidResponse` for anything unreadable.
    init(json: JSONValue) throws {
        guard let typeName = json["type"]?.string, let object = json["object"] else {
            throw KubeClientError.invalidResponse("a watch event without type or object: \(json.jsonString.prefix(200))")
        }
        if typeName == "ERROR" { throw KubeClientError.api(APIStatus(watchError: object)) }
        guard let type = EventType(rawValue: typeName) else {
            throw KubeClientError.invalidResponse("unknown watch event type \"\(typeName)\"")
        }
        self.init(type: type, object: object)
    }
}
