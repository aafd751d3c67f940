import KubeAPI

/// The text of a 403 in upstream's words (`responsewriters.forbiddenMessage`), e.g.
/// `User "bob" cannot list resource "pods" in API group "" in the namespace "default"`.
public func ForbiddenMessage(_ attributes: AuthorizationAttributes) -> String {
    let user = attributes.user.name
    guard attributes.isResourceRequest else {
        return "User \(quoted(user)) cannot \(attributes.verb) path \(quoted(attributes.path))"
    }
    var resource = attributes.resource
    if !attributes.subresource.isEmpty { resource += "/" + attributes.subresource }
    let prefix = "User \(quoted(user)) cannot \(attributes.verb) resource \(quoted(resource)) in API group "
        + quoted(attributes.apiGroup)
    if !attributes.namespace.isEmpty {
        return prefix + " in the namespace \(quoted(attributes.namespace))"
    }
    return prefix + " at the cluster scope"
}

/// Go's `%q` for the strings that reach these messages: quotes and backslashes escaped.
func quoted(_ text: String) -> String {
    "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
}

extension StatusError {
    /// The 403 a failed authorization answers (upstream `responsewriters.Forbidden` + `apierrors.NewForbidden`):
    /// `pods "web" is forbidden: User ... : <reason>`, or `forbidden: User ... cannot get path "/x"` for a
    /// non-resource request. `details` names the group, the resource (without subresource) and the object.
    public static func forbidden(_ attributes: AuthorizationAttributes, reason: String = "") -> StatusError {
        var message = ForbiddenMessage(attributes)
        if !reason.isEmpty { message += ": " + reason }
        var details: JSONValue = .emptyObject
        let resource = attributes.isResourceRequest ? attributes.resource : ""
        let group = attributes.isResourceRequest ? attributes.apiGroup : ""
        if !attributes.name.isEmpty && attributes.isResourceRequest { details["name"] = .string(attributes.name) }
        if !group.isEmpty { details["group"] = .string(group) }
        if !resource.isEmpty { details["kind"] = .string(resource) }
        return StatusError(code: 403, reason: "Forbidden",
                           message: forbiddenPrefix(group: group, resource: resource, name: attributes.name) + message,
                           details: details)
    }

    /// An admission refusal (upstream `admission.NewForbidden`): `nodes "b" is forbidden: <reason>`.
    public static func admissionForbidden(group: String, resource: String, name: String, _ reason: String) -> StatusError {
        var details: JSONValue = .emptyObject
        if !name.isEmpty { details["name"] = .string(name) }
        if !group.isEmpty { details["group"] = .string(group) }
        details["kind"] = .string(resource)
        return StatusError(code: 403, reason: "Forbidden",
                           message: forbiddenPrefix(group: group, resource: resource, name: name) + reason,
                           details: details)
    }

    /// `apierrors.NewForbidden`'s lead-in: `forbidden: `, `pods is forbidden: ` or `pods "web" is forbidden: `.
    static func forbiddenPrefix(group: String, resource: String, name: String) -> String {
        guard !resource.isEmpty else { return "forbidden: " }
        let qualified = group.isEmpty ? resource : resource + "." + group
        return name.isEmpty ? "\(qualified) is forbidden: " : "\(qualified) \(quoted(name)) is forbidden: "
    }
}
