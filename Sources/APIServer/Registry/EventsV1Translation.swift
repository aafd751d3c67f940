import KubeAPI

/// events.k8s.io/v1 Events are the same objects as core v1 Events, seen with other field names (upstream stores one
/// resource and converts). Requests for events.k8s.io are translated to core requests on the way in and their
/// answers back on the way out, so both APIs read and write the same events and share one resourceVersion.
enum EventsV1Translation: VersionTranslation {
    static let viewAPIVersion = "events.k8s.io/v1"

    /// events.k8s.io/v1 name -> core/v1 name.
    static let fields: [(events: String, core: String)] = [
        ("regarding", "involvedObject"), ("note", "message"), ("reportingController", "reportingComponent"),
        ("deprecatedSource", "source"), ("deprecatedFirstTimestamp", "firstTimestamp"),
        ("deprecatedLastTimestamp", "lastTimestamp"), ("deprecatedCount", "count"),
    ]

    static func applies(to request: APIRequest) -> Bool {
        request.group == "events.k8s.io" && request.resource == "events"
    }

    /// The core request that does the work.
    static func storedRequest(_ request: APIRequest) throws -> APIRequest {
        var core = request
        core.group = ""
        core.version = "v1"
        if let selector = request.query["fieldSelector"] {
            core.query["fieldSelector"] = renameSelector(selector)
        }
        guard !request.body.isEmpty, let body = try? JSONValue(parsing: request.body) else { return core }
        switch PatchType(rawValue: (request.contentType ?? "").split(separator: ";").first.map(String.init) ?? "") {
        case .json?:
            core.body = JSONValue.array((body.array ?? []).map(renameOperation)).jsonBytes
        default:
            core.body = toCore(body).jsonBytes
        }
        return core
    }

    static func toCore(_ object: JSONValue) -> JSONValue {
        guard var members = object.object else { return object }
        for (events, core) in fields where members[events] != nil {
            members[core] = members[events]
            members[events] = nil
        }
        if members["apiVersion"]?.string == "events.k8s.io/v1" { members["apiVersion"] = "v1" }
        return .object(members)
    }

    /// The events.k8s.io view of one core Event.
    static func toView(_ object: JSONValue) -> JSONValue {
        guard var members = object.object else { return object }
        for (events, core) in fields where members[core] != nil {
            members[events] = members[core]
            members[core] = nil
        }
        if members["apiVersion"]?.string == "v1" || members["apiVersion"] == nil { members["apiVersion"] = .string(viewAPIVersion) }
        return .object(members)
    }

    private static func renameOperation(_ operation: JSONValue) -> JSONValue {
        var operation = operation
        for key in ["path", "from"] {
            guard let path = operation[key]?.string else { continue }
            for (events, core) in fields where path == "/" + events || path.hasPrefix("/" + events + "/") {
                operation[key] = .string("/" + core + path.dropFirst(events.count + 1))
            }
        }
        return operation
    }

    private static func renameSelector(_ selector: String) -> String {
        var result = selector
        for (events, core) in fields {
            result = result.replacingOccurrences(of: events + ".", with: core + ".")
            result = result.replacingOccurrences(of: events + "=", with: core + "=")
            result = result.replacingOccurrences(of: events + "!=", with: core + "!=")
        }
        return result
    }
}
