import KubeAPI

/// SubjectAccessReview, SelfSubjectAccessReview and LocalSubjectAccessReview: "may this user do this?", answered by
/// the same authorizer chain that guards every request. The kubelet asks this for every call to its own API.
extension APIHandler {
    func accessReview(_ request: APIRequest) async -> APIResponse {
        let review: JSONValue
        switch Self.jsonBody(request) {
        case .success(let body): review = body
        case .failure(let error): return Registry.failure(error)
        }
        let spec = review["spec"] ?? .emptyObject
        let user: UserInfo
        switch request.resource {
        case "selfsubjectaccessreviews":
            user = request.user
        default:
            let groups = (spec["groups"]?.array ?? []).compactMap(\.string)
            var extra: [String: [String]] = [:]
            for (key, values) in spec["extra"]?.object ?? [:] { extra[key] = (values.array ?? []).compactMap(\.string) }
            user = UserInfo(name: spec["user"]?.string ?? "", groups: groups, uid: spec["uid"]?.string, extra: extra)
            if user.name.isEmpty && groups.isEmpty {
                return Registry.failure(Self.invalidReview(request.resource, "spec.user", "at least one of user or group must be specified"))
            }
        }
        let attributes: AuthorizationAttributes
        if let resource = spec["resourceAttributes"]?.object {
            var namespace = resource["namespace"]?.string ?? ""
            if request.resource == "localsubjectaccessreviews" {
                let routed = request.namespace ?? ""
                if !namespace.isEmpty && namespace != routed {
                    return Registry.failure(Self.invalidReview(request.resource, "spec.resourceAttributes.namespace",
                                                               "must match metadata.namespace"))
                }
                namespace = routed
            }
            attributes = AuthorizationAttributes(
                user: user, verb: resource["verb"]?.string ?? "", isResourceRequest: true,
                apiGroup: resource["group"]?.string ?? "", apiVersion: resource["version"]?.string ?? "",
                resource: resource["resource"]?.string ?? "", subresource: resource["subresource"]?.string ?? "",
                namespace: namespace, name: resource["name"]?.string ?? "")
        } else if let nonResource = spec["nonResourceAttributes"]?.object {
            attributes = .nonResource(user, nonResource["verb"]?.string ?? "", path: nonResource["path"]?.string ?? "")
        } else {
            return Registry.failure(Self.invalidReview(request.resource, "spec.resourceAttributes",
                                                       "exactly one of nonResourceAttributes or resourceAttributes must be specified"))
        }
        var status: JSONValue
        switch await authorizer.authorize(attributes) {
        case .allow:
            status = ["allowed": true]
        case .deny(let reason):
            status = ["allowed": false, "denied": true]
            if !reason.isEmpty { status["reason"] = .string(reason) }
        case .noOpinion(let reason):
            status = ["allowed": false]
            if !reason.isEmpty { status["reason"] = .string(reason) }
        }
        var answer = review
        answer["apiVersion"] = "authorization.k8s.io/v1"
        answer["kind"] = .string(Self.reviewKinds[request.resource] ?? "SubjectAccessReview")
        answer["status"] = status
        return .object(status: 201, body: answer, headers: [])
    }

    static let reviewKinds = ["subjectaccessreviews": "SubjectAccessReview", "selfsubjectaccessreviews": "SelfSubjectAccessReview",
                              "localsubjectaccessreviews": "LocalSubjectAccessReview"]

    private static func invalidReview(_ resource: String, _ field: String, _ detail: String) -> StatusError {
        let kind = reviewKinds[resource] ?? "SubjectAccessReview"
        return StatusError(code: 422, reason: "Invalid", message: "\(kind).authorization.k8s.io \"\" is invalid: \(field): Invalid value: \(detail)")
    }
}
