import KubeAPI

/// SelfSubjectRulesReview (`kubectl auth can-i --list`): the rules the authorizer chain would apply to the requester
/// in one namespace, split into resource and non-resource rules as upstream's `selfsubjectrulesreview` REST does.
extension APIHandler {
    func rulesReview(_ request: APIRequest) async -> APIResponse {
        let review: JSONValue
        switch Self.jsonBody(request) {
        case .success(let body): review = body
        case .failure(let error): return Registry.failure(error)
        }
        guard let namespace = review["spec"]?["namespace"]?.string, !namespace.isEmpty else {
            return Registry.failure(StatusError.badRequest("no namespace on request: set spec.namespace"))
        }
        let resolved = await (authorizer as? any RuleResolver)?.rules(for: request.user, namespace: namespace)
            ?? ResolvedRules(incomplete: true, errors: ["the authorizer cannot list rules"])
        func strings(_ values: [String]) -> JSONValue { .array(values.map(JSONValue.string)) }
        var resourceRules: [JSONValue] = []
        var nonResourceRules: [JSONValue] = []
        for rule in resolved.rules {
            if !rule.nonResourceURLs.isEmpty {
                nonResourceRules.append(["verbs": strings(rule.verbs), "nonResourceURLs": strings(rule.nonResourceURLs)])
            }
            if !rule.resources.isEmpty {
                var entry: JSONValue = ["verbs": strings(rule.verbs), "apiGroups": strings(rule.apiGroups), "resources": strings(rule.resources)]
                if !rule.resourceNames.isEmpty { entry["resourceNames"] = strings(rule.resourceNames) }
                resourceRules.append(entry)
            }
        }
        var status: JSONValue = ["resourceRules": .array(resourceRules), "nonResourceRules": .array(nonResourceRules),
                                 "incomplete": .bool(resolved.incomplete || !resolved.errors.isEmpty)]
        if !resolved.errors.isEmpty { status["evaluationError"] = .string(resolved.errors.joined(separator: ", ")) }
        var answer = review
        answer["apiVersion"] = "authorization.k8s.io/v1"
        answer["kind"] = "SelfSubjectRulesReview"
        answer["status"] = status
        return .object(status: 201, body: answer, headers: [])
    }
}
