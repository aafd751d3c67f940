import KubeAPI

/// Requests that are answered by computation instead of storage: token requests and reviews, access reviews, and
/// who-am-I. The
/// registry would store them like any object, so they are caught here first (upstream registers them as
/// create-only REST endpoints without storage).
extension APIHandler {
    func virtualResource(_ request: APIRequest) async -> APIResponse? {
        switch (request.group, request.resource, request.subresource, request.verb) {
        case ("", "serviceaccounts", "token"?, .create):
            guard let tokenIssuer else {
                return Registry.failure(StatusError(code: 404, reason: "NotFound",
                                                    message: "the server could not find the requested resource (no --service-account-signing-key-file)"))
            }
            return await registry.tokenRequest(request, issuer: tokenIssuer)
        case ("", "pods", "log"?, .get):
            return await podLog(request)
        case ("", "pods", "eviction"?, .create):
            return await evict(request)
        case ("authentication.k8s.io", "tokenreviews", nil, .create):
            guard let tokens = authenticator.tokens else {
                return Registry.failure(StatusError(code: 500, reason: "InternalError", message: "no token authenticators are configured"))
            }
            return await registry.tokenReview(request, authenticator: tokens, apiAudiences: apiAudiences)
        case ("authentication.k8s.io", "selfsubjectreviews", nil, .create):
            return selfSubjectReview(request.user)
        case ("authorization.k8s.io", "subjectaccessreviews", nil, .create),
             ("authorization.k8s.io", "selfsubjectaccessreviews", nil, .create),
             ("authorization.k8s.io", "localsubjectaccessreviews", nil, .create):
            return await accessReview(request)
        case ("authorization.k8s.io", "selfsubjectrulesreviews", nil, .create):
            return await rulesReview(request)
        case (_, _, _, .create) where Self.createOnly.contains("\(request.group)/\(request.resource)"):
            return Registry.failure(StatusError(code: 405, reason: "MethodNotAllowed",
                                                message: "\(request.resource).\(request.group) is not served by this server yet"))
        case (_, _, _, _) where Self.createOnly.contains("\(request.group)/\(request.resource)"):
            return Registry.failure(StatusError.methodNotAllowed("the server does not allow this method on the requested resource"))
        default:
            return nil
        }
    }

    /// The JSON body of a computed request (reviews, evictions), or the 400 upstream answers for one it cannot read.
    static func jsonBody(_ request: APIRequest) -> Result<JSONValue, StatusError> {
        do {
            return .success(try JSONValue(parsing: request.body))
        } catch {
            return .failure(.badRequest("the body of the request could not be decoded as JSON: \(error)"))
        }
    }

    /// Resources that are only ever created and answered, never stored.
    static let createOnly: Set<String> = [
        "authentication.k8s.io/tokenreviews", "authentication.k8s.io/selfsubjectreviews",
        "authorization.k8s.io/subjectaccessreviews", "authorization.k8s.io/selfsubjectaccessreviews",
        "authorization.k8s.io/localsubjectaccessreviews", "authorization.k8s.io/selfsubjectrulesreviews",
    ]

    /// `kubectl auth whoami`: the requester's own user info.
    private func selfSubjectReview(_ user: UserInfo) -> APIResponse {
        var info: JSONValue = ["username": .string(user.name), "groups": .array(user.groups.map { .string($0) })]
        if let uid = user.uid { info["uid"] = .string(uid) }
        if !user.extra.isEmpty {
            info["extra"] = .object(.init(uniqueKeysWithValues: user.extra.sorted { $0.key < $1.key }.map { ($0.key, .array($0.value.map { .string($0) })) }))
        }
        return .object(status: 201, body: [
            "kind": "SelfSubjectReview", "apiVersion": "authentication.k8s.io/v1",
            "metadata": ["creationTimestamp": .null], "status": ["userInfo": info],
        ], headers: [])
    }
}
