import KubeAPI

/// `DeleteOptions`, from the body (JSON, often without a Content-Type) or from query parameters (the Python
/// client sends `gracePeriodSeconds` and `propagationPolicy` in the query).
struct DeleteOptions: Sendable {
    var gracePeriodSeconds: Int64?
    var propagationPolicy: String?
    var preconditionUID: String?
    var preconditionResourceVersion: String?
    var dryRun: Bool

    init(_ context: RequestContext) throws {
        var body: JSONValue = .emptyObject
        if !context.body.isEmpty { body = try context.bodyJSON() }
        gracePeriodSeconds = try body["gracePeriodSeconds"]?.int64 ?? context.intQuery("gracePeriodSeconds")
        propagationPolicy = body["propagationPolicy"]?.string ?? context.query["propagationPolicy"]
        if propagationPolicy == nil, let orphan = body["orphanDependents"]?.bool ?? context.query["orphanDependents"].map({ $0 == "true" }) {
            propagationPolicy = orphan ? "Orphan" : "Background"
        }
        if let policy = propagationPolicy, !["Orphan", "Background", "Foreground"].contains(policy) {
            throw StatusError.badRequest("DeleteOptions.propagationPolicy: Unsupported value: \"\(policy)\"")
        }
        preconditionUID = body[path: ["preconditions", "uid"]]?.string
        preconditionResourceVersion = body[path: ["preconditions", "resourceVersion"]]?.string
        let bodyDryRunValues = body["dryRun"]?.array ?? []
        if let bad = bodyDryRunValues.first(where: { $0.string != "All" }) {
            throw StatusError(code: 422, reason: "Invalid",
                              message: "DeleteOptions.meta.k8s.io \"\" is invalid: dryRun: Unsupported value: \(String(decoding: bad.jsonBytes, as: UTF8.self)): supported values: \"All\"")
        }
        let bodyDryRun = !bodyDryRunValues.isEmpty
        dryRun = bodyDryRun || context.isDryRun
    }
}
