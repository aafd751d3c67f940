import KubeAPI

/// Parsing, defaulting and validation of a TokenRequest body.
enum TokenRequestRules {
    static let groupVersion = "authentication.k8s.io/v1"
    /// Upstream's defaulted `spec.expirationSeconds`.
    static let defaultExpirationSeconds: Int64 = 3600
    /// Shorter tokens are refused: they would expire before clients typically refresh.
    static let minExpirationSeconds: Int64 = 600
    static let maxExpirationSeconds: Int64 = 1 << 32

    /// TokenRequest as a kind, for 422 messages (`TokenRequest.authentication.k8s.io "" is invalid: ...`).
    static let tokenRequestInfo = APIResourceInfo(group: "authentication.k8s.io", version: "v1", kind: "TokenRequest",
                                                  plural: "tokenrequests", namespaced: true, verbs: ["create"])

    static func info(_ group: String, _ plural: String) throws -> APIResourceInfo {
        guard let info = ResourceTable.resource(group: group, version: "v1", plural: plural) else {
            throw StatusError.internalError("resource \(plural) is not served")
        }
        return info
    }

    /// The body as a TokenRequest object; an empty body is an empty request (everything defaulted).
    static func body(_ request: APIRequest) throws -> JSONValue {
        var object: JSONValue
        if request.body.isEmpty {
            object = .emptyObject
        } else {
            do {
                object = try JSONValue(parsing: request.body)
            } catch {
                throw StatusError.badRequest("the body of the request could not be decoded as JSON: \(error)")
            }
        }
        guard object.object != nil else {
            throw StatusError.badRequest("the body of the request must be a JSON object, got \(object.typeName)")
        }
        try RequestContext.checkType(&object, tokenRequestInfo)
        return object
    }

    /// A list of strings (absent or null: empty); anything else is 400 as a decoding error.
    static func strings(_ value: JSONValue?, _ field: String) throws -> [String] {
        guard let value, !value.isNull else { return [] }
        guard let items = value.array else { throw StatusError.badRequest("\(field) must be a list of strings") }
        return try items.map { item in
            guard let text = item.string else { throw StatusError.badRequest("\(field) must be a list of strings") }
            return text
        }
    }

    static func expirationSeconds(_ value: JSONValue?) throws -> Int64 {
        guard let value, !value.isNull else { return defaultExpirationSeconds }
        guard let seconds = value.int64 else {
            throw StatusError.badRequest("spec.expirationSeconds must be an integer")
        }
        return seconds
    }

    static func validate(expirationSeconds seconds: Int64) -> [FieldError] {
        if seconds < minExpirationSeconds {
            return [FieldError(kind: .invalid, "spec.expirationSeconds",
                               "Invalid value: \(seconds): may not specify a duration less than 10 minutes")]
        }
        if seconds > maxExpirationSeconds {
            return [FieldError(kind: .invalid, "spec.expirationSeconds",
                               "Invalid value: \(seconds): may not specify a duration larger than 2^32 seconds")]
        }
        return []
    }
}
