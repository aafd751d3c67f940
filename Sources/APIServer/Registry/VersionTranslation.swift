import KubeAPI

/// A second API view of a stored resource (upstream stores one version and converts): requests for the view are
/// turned into requests for the stored resource, and the answers, lists and watch events turned back, so both views
/// read and write the same objects and share one resourceVersion.
protocol VersionTranslation: SendableMetatype {
    /// The view's `apiVersion` (lists carry it too).
    static var viewAPIVersion: String { get }
    static func applies(to request: APIRequest) -> Bool
    /// The request against the stored resource.
    static func storedRequest(_ request: APIRequest) throws -> APIRequest
    /// One object (never a list or a Status) as the view shows it.
    static func toView(_ object: JSONValue) -> JSONValue
}

extension VersionTranslation {
    /// The view of a registry answer: objects, the items of lists and the objects of watch events.
    static func translate(_ response: APIResponse) -> APIResponse {
        switch response {
        case .object(let status, let body, let headers):
            return .object(status: status, body: viewOfAnswer(body), headers: headers)
        case .watch(let events):
            let (stream, continuation) = AsyncThrowingStream<JSONValue, any Error>.makeStream()
            let pump = Task {
                do {
                    for try await event in events {
                        var translated = event
                        if let object = event["object"] { translated["object"] = viewOfAnswer(object) }
                        continuation.yield(translated)
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in pump.cancel() }
            return .watch(stream)
        case .stream:
            return response
        }
    }

    static func viewOfAnswer(_ body: JSONValue) -> JSONValue {
        if body.kind == "Status" { return body }
        if var list = body.object, let items = list["items"]?.array {
            list["items"] = .array(items.map(toView))
            list["apiVersion"] = .string(viewAPIVersion)
            return .object(list)
        }
        return toView(body)
    }
}
