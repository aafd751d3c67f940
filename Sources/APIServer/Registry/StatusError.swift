import KubeAPI

/// An API error in upstream's `Status` shape: thrown anywhere inside the registry and turned into the response body
/// at the one exit point (`Registry.handle`), so handlers read as straight-line code.
public struct StatusError: Error, Sendable {
    /// The HTTP status code (also `Status.code`).
    public var code: Int
    /// The upstream `StatusReason`, e.g. "NotFound".
    public var reason: String
    /// The human-readable message kubectl prints after `Error from server (<reason>):`.
    public var message: String
    /// `details`, when upstream sets them (name, group, kind, causes).
    public var details: JSONValue?

    public init(code: Int, reason: String, message: String, details: JSONValue? = nil) {
        self.code = code
        self.reason = reason
        self.message = message
        self.details = details
    }

    /// The `Status` object sent to the client.
    public var status: JSONValue {
        var body: JSONValue = [
            "kind": "Status", "apiVersion": "v1", "metadata": .emptyObject, "status": "Failure",
            "message": .string(message), "reason": .string(reason),
        ]
        if let details { body["details"] = details }
        body["code"] = .integer(Int64(code))
        return body
    }

    /// `details` naming one object: upstream puts the resource plural in `kind` and sets `group` only for named
    /// groups.
    static func details(_ info: APIResourceInfo, name: String) -> JSONValue {
        var details: JSONValue = ["name": .string(name)]
        if !info.group.isEmpty { details["group"] = .string(info.group) }
        details["kind"] = .string(info.plural)
        return details
    }

    static func notFound(_ info: APIResourceInfo, _ name: String) -> StatusError {
        StatusError(code: 404, reason: "NotFound", message: "\(info.qualifiedName) \"\(name)\" not found",
                    details: details(info, name: name))
    }

    static func alreadyExists(_ info: APIResourceInfo, _ name: String) -> StatusError {
        StatusError(code: 409, reason: "AlreadyExists", message: "\(info.qualifiedName) \"\(name)\" already exists",
                    details: details(info, name: name))
    }

    static func conflict(_ info: APIResourceInfo, _ name: String) -> StatusError {
        StatusError(code: 409, reason: "Conflict",
                    message: "Operation cannot be fulfilled on \(info.qualifiedName) \"\(name)\": the object has been "
                        + "modified; please apply your changes to the latest version and try again",
                    details: details(info, name: name))
    }

    static func badRequest(_ message: String) -> StatusError {
        StatusError(code: 400, reason: "BadRequest", message: message)
    }

    static func methodNotAllowed(_ message: String) -> StatusError {
        StatusError(code: 405, reason: "MethodNotAllowed", message: message)
    }

    static func unsupportedMediaType(_ type: String) -> StatusError {
        StatusError(code: 415, reason: "UnsupportedMediaType", message: "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json (got \(type))")
    }

    static func expired(_ message: String) -> StatusError {
        StatusError(code: 410, reason: "Expired", message: message)
    }

    static func forbidden(_ message: String) -> StatusError {
        StatusError(code: 403, reason: "Forbidden", message: message)
    }

    static func internalError(_ message: String) -> StatusError {
        StatusError(code: 500, reason: "InternalError", message: "Internal error occurred: \(message)")
    }

    /// 422 Invalid with one cause per field error, message as upstream's `NewInvalid`:
    /// `Deployment.apps "x" is invalid: [a: ..., b: ...]` (no brackets for a single error).
    static func invalid(_ info: APIResourceInfo, _ name: String, _ errors: [FieldError]) -> StatusError {
        let qualifiedKind = info.group.isEmpty ? info.kind : info.kind + "." + info.group
        let joined = errors.count == 1 ? errors[0].description : "[" + errors.map(\.description).joined(separator: ", ") + "]"
        var details = details(info, name: name)
        details["kind"] = .string(info.kind)
        details["causes"] = .array(errors.map { error in
            ["reason": .string(error.kind.rawValue), "message": .string(error.message), "field": .string(error.path)]
        })
        return StatusError(code: 422, reason: "Invalid", message: "\(qualifiedKind) \"\(name)\" is invalid: \(joined)",
                           details: details)
    }
}
