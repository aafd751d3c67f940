import KubeAPI

/// Typed convenience over the generated models: the resource is found from the model's group/version/kind, and
/// objects go through `JSONValue` (unknown fields are dropped on the way, so controllers that write objects back
/// should prefer the `JSONValue` verbs or patches).
extension RESTClient {
    /// The served resource of a model type, e.g. `CoreV1.Pod.self` → pods.
    public static func resource<Model: APIKindModel>(for type: Model.Type) throws -> APIResourceInfo {
        let gvk = Model.groupVersionKind
        guard let info = ResourceTable.resource(kind: gvk.kind, group: gvk.group, version: gvk.version) else {
            throw KubeClientError.invalidRequest("no served resource has kind \(gvk)")
        }
        return info
    }

    public func get<Model: APIObjectModel>(_ type: Model.Type, namespace: String? = nil, name: String) async throws -> Model {
        try await decode(get(Self.resource(for: type), namespace: namespace, name: name), as: type)
    }

    /// Every object of the collection (all pages).
    public func list<Model: APIObjectModel>(_ type: Model.Type, namespace: String? = nil,
                                            options: ListOptions = ListOptions()) async throws -> [Model] {
        try await listAll(Self.resource(for: type), namespace: namespace, options: options).items.map { try decode($0, as: type) }
    }

    public func create<Model: APIObjectModel>(_ object: Model, namespace: String? = nil,
                                              options: WriteOptions = WriteOptions()) async throws -> Model {
        var object = object
        object.setTypeMeta()
        let created = try await create(Self.resource(for: Model.self), namespace: namespace, JSONValue(encoding: object), options: options)
        return try decode(created, as: Model.self)
    }

    public func update<Model: APIObjectModel>(_ object: Model, options: WriteOptions = WriteOptions()) async throws -> Model {
        var object = object
        object.setTypeMeta()
        let updated = try await update(Self.resource(for: Model.self), JSONValue(encoding: object), options: options)
        return try decode(updated, as: Model.self)
    }

    private func decode<Model: Decodable>(_ json: JSONValue, as type: Model.Type) throws -> Model {
        do {
            return try json.decode(as: type)
        } catch {
            throw KubeClientError.invalidResponse("cannot read \(type) from the server's answer: \(error)")
        }
    }
}
