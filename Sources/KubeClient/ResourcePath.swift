import KubeAPI

/// URL paths of resources: `<pathPrefix>[/namespaces/<ns>]/<plural>[/<name>[/<subresource>]]`.
enum ResourcePath {
    /// Builds a path, refusing the mistakes the server would answer with a confusing 404: a namespaced resource
    /// addressed by name without a namespace, or a namespace given for a cluster-scoped resource.
    /// - Parameters:
    ///   - namespace: nil for cluster-scoped resources and for lists/watches across all namespaces.
    static func make(_ info: APIResourceInfo, namespace: String?, name: String? = nil, subresource: String? = nil) throws -> String {
        var path = info.pathPrefix
        if let namespace, !namespace.isEmpty {
            guard info.namespaced else {
                throw KubeClientError.invalidRequest("\(info.qualifiedName) is cluster-scoped: do not pass a namespace (\"\(namespace)\")")
            }
            path += "/namespaces/" + segment(namespace)
        } else if info.namespaced && name != nil {
            throw KubeClientError.invalidRequest("\(info.qualifiedName) is namespaced: pass a namespace to address \"\(name ?? "")\"")
        }
        path += "/" + info.plural
        if let name {
            guard !name.isEmpty else { throw KubeClientError.invalidRequest("\(info.qualifiedName): the object name is empty") }
            path += "/" + segment(name)
        }
        if let subresource {
            guard name != nil else { throw KubeClientError.invalidRequest("\(info.qualifiedName)/\(subresource) needs an object name") }
            path += "/" + subresource
        }
        return path
    }

    /// Escapes a path segment so a stray "/" or "?" cannot change which object is addressed, leaving the
    /// characters RFC 3986 allows in a segment readable (as Go's `url.PathEscape` does), so names such as
    /// `system:node:worker-1` appear in logs as written.
    static func segment(_ text: String) -> String { QueryEncoding.escape(text, keeping: segmentSafe) }

    static let segmentSafe = QueryEncoding.unreserved.union("!$&'()*+=:@".utf8)
}
