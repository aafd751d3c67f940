import KubeAPI

extension Registry {
    /// `POST /apis/authentication.k8s.io/v1/tokenreviews`: tells a caller (a webhook, kubelet, an aggregated
    /// server) who a token belongs to (upstream's `pkg/registry/authentication/tokenreview`).
    ///
    /// Answers 201 with the review echoed and `status` filled: `authenticated`, `user` (`username`, `uid`, `groups`,
    /// `extra`) and `audiences` for a valid token, `error` otherwise. A rejected token is not an HTTP error.
    /// - Parameters:
    ///   - request: the routed request (resource "tokenreviews").
    ///   - authenticator: the server's bearer-token authenticators.
    ///   - apiAudiences: `--api-audiences`, the audiences checked when the review names none.
    public func tokenReview(_ request: APIRequest, authenticator: any TokenAuthenticator, apiAudiences: [String]) async
        -> APIResponse
    {
        do {
            return try await review(request, authenticator: authenticator, apiAudiences: apiAudiences)
        } catch let error as StatusError {
            return Self.response(error.code, error.status)
        } catch {
            let status = StatusError.internalError("\(error)")
            return Self.response(status.code, status.status)
        }
    }

    private func review(_ request: APIRequest, authenticator: any TokenAuthenticator, apiAudiences: [String]) async
        throws -> APIResponse
    {
        guard let info = ResourceTable.resource(group: "authentication.k8s.io", version: "v1", plural: "tokenreviews")
        else { throw StatusError.internalError("resource tokenreviews is not served") }
        if let namespace = request.namespace, !namespace.isEmpty {
            throw StatusError.badRequest("namespace is not allowed on this type: \(namespace)")
        }
        guard !request.body.isEmpty else { throw StatusError.badRequest("the body of the request was empty") }
        var body: JSONValue
        do {
            body = try JSONValue(parsing: request.body)
        } catch {
            throw StatusError.badRequest("the body of the request could not be decoded as JSON: \(error)")
        }
        guard body.object != nil else {
            throw StatusError.badRequest("the body of the request must be a JSON object, got \(body.typeName)")
        }
        try RequestContext.checkType(&body, info)
        guard let token = body[path: ["spec", "token"]]?.string, !token.isEmpty else {
            throw StatusError.badRequest("token is required for TokenReview in authentication")
        }
        var audiences = try TokenRequestRules.strings(body[path: ["spec", "audiences"]], "spec.audiences")
        if audiences.isEmpty { audiences = apiAudiences }

        let outcome = await authenticator.authenticate(token: token, audiences: audiences.isEmpty ? nil : audiences)
        var status: JSONObject = [:]
        switch outcome.result {
        case .authenticated(let user):
            if !audiences.isEmpty && Audiences.intersect(audiences, outcome.audiences).isEmpty {
                throw StatusError.internalError("error validating audiences")
            }
            status["authenticated"] = true
            status["user"] = Self.userJSON(user)
            if !outcome.audiences.isEmpty { status["audiences"] = .array(outcome.audiences.map(JSONValue.string)) }
        case .rejected(let reason):
            status["user"] = .emptyObject
            status["error"] = .string(reason)
        case .notApplicable:
            status["user"] = .emptyObject
            status["error"] = .string(RequestAuthenticator.invalidBearerToken)
        }
        if body["metadata"]?.object == nil { body["metadata"] = .emptyObject }
        if body[path: ["metadata", "creationTimestamp"]] == nil { body[path: ["metadata", "creationTimestamp"]] = .null }
        body["status"] = .object(status)
        return Self.response(201, body)
    }

    /// `authentication.k8s.io/v1` UserInfo: empty fields omitted, `extra` keys sorted for a stable body.
    static func userJSON(_ user: UserInfo) -> JSONValue {
        var json: JSONObject = ["username": .string(user.name)]
        if let uid = user.uid, !uid.isEmpty { json["uid"] = .string(uid) }
        if !user.groups.isEmpty { json["groups"] = .array(user.groups.map(JSONValue.string)) }
        if !user.extra.isEmpty {
            var extra = JSONObject()
            for key in user.extra.keys.sorted() {
                extra[key] = .array((user.extra[key] ?? []).map(JSONValue.string))
            }
            json["extra"] = .object(extra)
        }
        return .object(json)
    }
}
