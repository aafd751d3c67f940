import HTTPTransport
import KubeAPI

/// What a URL path addresses, as upstream's `RequestInfoFactory` decides: a resource request
/// (`/api/v1/namespaces/default/pods/web/status`) or a non-resource path (`/version`, `/api/v1`, `/healthz`).
/// Authorization and routing both start from this one decision.
enum RequestRoute: Equatable {
    case nonResource(path: String)
    case resource(ResourcePath)

    /// The parts of a resource request's path.
    struct ResourcePath: Equatable {
        var group: String
        var version: String
        var namespace: String?
        var resource: String
        var name: String?
        var subresource: String?
        /// Segments after the subresource (e.g. the rest of a `proxy/` path).
        var rest: [String] = []
    }

    /// Subresources of a namespace that upstream parses as `namespaces/<name>/<sub>` rather than as a namespaced
    /// collection.
    static let namespaceSubresources: Set<String> = ["status", "finalize"]

    /// Parses a percent-encoded path; nil when a segment's encoding is malformed.
    static func parse(_ rawPath: String) -> RequestRoute? {
        var segments: [String] = []
        for raw in rawPath.split(separator: "/", omittingEmptySubsequences: true) {
            guard let segment = PercentDecoding.decode(raw, plusIsSpace: false) else { return nil }
            segments.append(segment)
        }
        let path = "/" + segments.joined(separator: "/")
        let group: String
        var rest: ArraySlice<String>
        switch segments.first {
        case "api" where segments.count >= 3:
            group = ""
            rest = segments[1...]
        case "apis" where segments.count >= 4:
            group = segments[1]
            rest = segments[2...]
        default:
            return .nonResource(path: path)
        }
        let version = rest.removeFirst()
        var namespace: String?
        if rest.first == "namespaces", rest.count >= 2 {
            let afterName = rest.dropFirst(2)
            if afterName.isEmpty || (afterName.count == 1 && namespaceSubresources.contains(afterName.first ?? "")) {
                // `namespaces/<name>` and `namespaces/<name>/status|finalize` address the Namespace itself.
                return .resource(ResourcePath(group: group, version: version, namespace: nil, resource: "namespaces",
                                              name: rest[rest.startIndex + 1], subresource: afterName.first))
            }
            namespace = rest[rest.startIndex + 1]
            rest = afterName
        }
        guard let resource = rest.first else { return .nonResource(path: path) }
        let parts = Array(rest)
        return .resource(ResourcePath(
            group: group, version: version, namespace: namespace, resource: resource,
            name: parts.count > 1 ? parts[1] : nil, subresource: parts.count > 2 ? parts[2] : nil,
            rest: parts.count > 3 ? Array(parts[3...]) : []))
    }
}

extension RequestRoute.ResourcePath {
    /// The registry verb of an HTTP method on this path (upstream's verb mapping; `watch=true` is decided later by
    /// the registry from the query).
    func verb(method: String, query: [String: String]) -> APIRequest.Verb? {
        let isWatch = ["1", "true"].contains(query["watch"] ?? "")
        switch method {
        case "GET", "HEAD":
            if isWatch { return .watch }
            return name == nil ? .list : .get
        case "POST": return .create
        case "PUT": return .update
        case "PATCH": return .patch
        case "DELETE": return name == nil ? .deletecollection : .delete
        default: return nil
        }
    }
}
