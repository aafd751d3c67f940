import KubeAPI

/// The Kubernetes verbs over `JSONValue` objects, addressed by a `ResourceTable` entry.
extension RESTClient {
    /// GET one object.
    /// - Parameters:
    ///   - namespace: required for namespaced resources, nil for cluster-scoped ones.
    public func get(_ resource: APIResourceInfo, namespace: String? = nil, name: String,
                    resourceVersion: String? = nil) async throws -> JSONValue {
        let path = try ResourcePath.make(resource, namespace: namespace, name: name)
        let query = resourceVersion.map { [("resourceVersion", $0)] } ?? []
        return try await requestJSON(method: "GET", path: path, query: query)
    }

    /// One page of a list.
    /// - Parameters:
    ///   - namespace: nil lists a namespaced resource across all namespaces.
    public func list(_ resource: APIResourceInfo, namespace: String? = nil, options: ListOptions = ListOptions()) async throws -> ObjectList {
        let path = try ResourcePath.make(resource, namespace: namespace)
        return try ObjectList(await requestJSON(method: "GET", path: path, query: options.queryItems))
    }

    /// Every page of a list, following continue tokens; the result carries the first page's resourceVersion
    /// (all pages are read at that version, so it is where a watch should start).
    /// - Parameters:
    ///   - options: `limit` is the page size (500 when unset, client-go's pager default).
    public func listAll(_ resource: APIResourceInfo, namespace: String? = nil, options: ListOptions = ListOptions()) async throws -> ObjectList {
        var options = options
        if options.limit == nil { options.limit = 500 }
        var result = try await list(resource, namespace: namespace, options: options)
        options.resourceVersion = nil
        options.resourceVersionMatch = nil
        var token = result.continueToken
        while let next = token {
            options.continueToken = next
            let page = try await list(resource, namespace: namespace, options: options)
            result.items += page.items
            token = page.continueToken
        }
        result.continueToken = nil
        result.remainingItemCount = nil
        return result
    }

    /// POST a new object; the namespace defaults to the object's `metadata.namespace`.
    public func create(_ resource: APIResourceInfo, namespace: String? = nil, _ object: JSONValue,
                       options: WriteOptions = WriteOptions()) async throws -> JSONValue {
        let namespace = resource.namespaced ? (namespace ?? object.metadata.namespace) : namespace
        if resource.namespaced && (namespace ?? "").isEmpty {
            throw KubeClientError.invalidRequest("\(resource.qualifiedName) is namespaced: pass a namespace or set metadata.namespace")
        }
        let path = try ResourcePath.make(resource, namespace: namespace)
        return try await requestJSON(method: "POST", path: path, query: options.queryItems, body: object)
    }

    /// PUT an object back (optimistic concurrency: its `metadata.resourceVersion` must still be current, else the
    /// error `isConflict`).
    public func update(_ resource: APIResourceInfo, _ object: JSONValue, options: WriteOptions = WriteOptions()) async throws -> JSONValue {
        try await put(resource, object, subresource: nil, options: options)
    }

    /// PUT the `status` subresource: only `.status` changes, whatever else the object carries.
    public func updateStatus(_ resource: APIResourceInfo, _ object: JSONValue, options: WriteOptions = WriteOptions()) async throws -> JSONValue {
        try await put(resource, object, subresource: "status", options: options)
    }

    /// PUT to a subresource, e.g. a CSR's `approval` (the certificate controller's role allows update, not patch).
    public func update(_ resource: APIResourceInfo, _ object: JSONValue, subresource: String, options: WriteOptions = WriteOptions()) async throws -> JSONValue {
        try await put(resource, object, subresource: subresource, options: options)
    }

    private func put(_ resource: APIResourceInfo, _ object: JSONValue, subresource: String?, options: WriteOptions) async throws -> JSONValue {
        guard let name = object.metadata.name else {
            throw KubeClientError.invalidRequest("update of \(resource.qualifiedName): the object has no metadata.name")
        }
        let namespace = resource.namespaced ? object.metadata.namespace : nil
        let path = try ResourcePath.make(resource, namespace: namespace, name: name, subresource: subresource)
        return try await requestJSON(method: "PUT", path: path, query: options.queryItems, body: object)
    }

    /// PATCH an object (or a subresource such as "status" or "scale").
    /// - Parameters:
    ///   - patch: the patch document in the form `type` expects (an array for `.json`).
    ///   - options: `.apply` needs `fieldManager`.
    public func patch(_ resource: APIResourceInfo, namespace: String? = nil, name: String, _ patch: JSONValue,
                      type: PatchType = .strategicMerge, subresource: String? = nil,
                      options: WriteOptions = WriteOptions()) async throws -> JSONValue {
        if type == .apply && (options.fieldManager ?? "").isEmpty {
            throw KubeClientError.invalidRequest("an apply patch needs WriteOptions.fieldManager")
        }
        let path = try ResourcePath.make(resource, namespace: namespace, name: name, subresource: subresource)
        return try await requestJSON(method: "PATCH", path: path, query: options.queryItems, body: patch, contentType: type.contentType)
    }

    /// DELETE an object. Returns what the server answers: the object (still present while finalizers or a grace
    /// period hold it, or as it was) or a `Status` with `status: Success`.
    @discardableResult
    public func delete(_ resource: APIResourceInfo, namespace: String? = nil, name: String,
                       options: DeleteOptions = DeleteOptions()) async throws -> JSONValue {
        let path = try ResourcePath.make(resource, namespace: namespace, name: name)
        return try await requestJSON(method: "DELETE", path: path, body: options.json)
    }

    /// DELETE every object of a collection matching the selectors (deletecollection).
    @discardableResult
    public func deleteCollection(_ resource: APIResourceInfo, namespace: String? = nil, listOptions: ListOptions = ListOptions(),
                                 options: DeleteOptions = DeleteOptions()) async throws -> JSONValue {
        let path = try ResourcePath.make(resource, namespace: namespace)
        return try await requestJSON(method: "DELETE", path: path, query: listOptions.queryItems, body: options.json)
    }

    /// POST to a subresource: `pods/binding`, `pods/eviction`, `serviceaccounts/token`, ...
    public func create(_ resource: APIResourceInfo, namespace: String? = nil, name: String, subresource: String,
                       _ body: JSONValue, options: WriteOptions = WriteOptions()) async throws -> JSONValue {
        let path = try ResourcePath.make(resource, namespace: namespace, name: name, subresource: subresource)
        return try await requestJSON(method: "POST", path: path, query: options.queryItems, body: body)
    }

    /// GET a subresource such as `deployments/scale` or `pods/status`.
    public func get(_ resource: APIResourceInfo, namespace: String? = nil, name: String, subresource: String) async throws -> JSONValue {
        let path = try ResourcePath.make(resource, namespace: namespace, name: name, subresource: subresource)
        return try await requestJSON(method: "GET", path: path)
    }
}
