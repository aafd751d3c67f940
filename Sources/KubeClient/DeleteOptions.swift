import KubeAPI

/// How dependents of a deleted object are handled.
public enum PropagationPolicy: String, Sendable, Hashable {
    case orphan = "Orphan", background = "Background", foreground = "Foreground"
}

/// The body of a DELETE (metav1.DeleteOptions).
public struct DeleteOptions: Sendable, Hashable {
    /// 0 = immediately; nil = the object's default (pods: `terminationGracePeriodSeconds`).
    public var gracePeriodSeconds: Int64?
    /// Delete only if the object still has this UID (not a re-created namesake).
    public var preconditionUID: String?
    /// Delete only if nobody changed the object since this version.
    public var preconditionResourceVersion: String?
    public var propagationPolicy: PropagationPolicy?
    /// Validate and answer without persisting.
    public var dryRun: Bool

    public init(gracePeriodSeconds: Int64? = nil, preconditionUID: String? = nil, preconditionResourceVersion: String? = nil,
                propagationPolicy: PropagationPolicy? = nil, dryRun: Bool = false) {
        self.gracePeriodSeconds = gracePeriodSeconds
        self.preconditionUID = preconditionUID
        self.preconditionResourceVersion = preconditionResourceVersion
        self.propagationPolicy = propagationPolicy
        self.dryRun = dryRun
    }

    /// The DeleteOptions object; nil when nothing is set, so a plain delete sends no body.
    var json: JSONValue? {
        guard self != DeleteOptions() else { return nil }
        var body: JSONValue = ["apiVersion": "v1", "kind": "DeleteOptions"]
        if let gracePeriodSeconds { body["gracePeriodSeconds"] = .integer(gracePeriodSeconds) }
        if let preconditionUID { body[path: ["preconditions", "uid"]] = .string(preconditionUID) }
        if let preconditionResourceVersion { body[path: ["preconditions", "resourceVersion"]] = .string(preconditionResourceVersion) }
        if let propagationPolicy { body["propagationPolicy"] = .string(propagationPolicy.rawValue) }
        if dryRun { body["dryRun"] = ["All"] }
        return body
    }
}
