import KubeAPI
import KubeClient

/// Carries out a controller's planned actions against the API server with that controller's own client. An
/// object that is already gone (404) or already exists (409 on create) is what the plan wanted anyway; other
/// failures throw, so the key is requeued with back-off and planned again from fresh state.
public struct ActionExecutor: Sendable {
    let client: RESTClient

    public init(client: RESTClient) { self.client = client }

    static func resource(_ kind: ResourceKind) -> APIResourceInfo? {
        let parts = kind.apiVersion.split(separator: "/").map(String.init)
        let group = parts.count == 2 ? parts[0] : ""
        return ResourceTable.resource(kind: kind.kind, group: group, version: parts.last)
    }

    static func resource(of object: JSONValue) -> APIResourceInfo? {
        guard let apiVersion = object.apiVersion, let kind = object.kind else { return nil }
        return resource(ResourceKind(apiVersion, kind))
    }

    public func execute(_ action: ControllerAction) async throws {
        do {
            switch action {
            case .create(let object):
                guard let info = Self.resource(of: object) else { throw ControllerManagerError("no resource for \(action.target)") }
                _ = try await client.create(info, namespace: object.metadata.namespace, object)
            case .update(let object):
                guard let info = Self.resource(of: object) else { throw ControllerManagerError("no resource for \(action.target)") }
                _ = try await client.update(info, object)
            case .updateStatus(let object):
                guard let info = Self.resource(of: object) else { throw ControllerManagerError("no resource for \(action.target)") }
                _ = try await client.updateStatus(info, object)
            case .patch(let ref, let type, let body):
                guard let info = Self.resource(ref.kind) else { throw ControllerManagerError("no resource for \(action.target)") }
                let clientType: KubeClient.PatchType = switch type {
                case .strategicMerge: .strategicMerge
                case .merge: .merge
                case .json: .json
                }
                _ = try await client.patch(info, namespace: ref.namespace, name: ref.name, body, type: clientType)
            case .delete(let ref, let policy, let grace):
                guard let info = Self.resource(ref.kind) else { throw ControllerManagerError("no resource for \(action.target)") }
                _ = try await client.delete(info, namespace: ref.namespace, name: ref.name,
                                            options: DeleteOptions(gracePeriodSeconds: grace, preconditionUID: ref.uid,
                                                                   propagationPolicy: policy.flatMap(PropagationPolicy.init(rawValue:))))
            case .deleteCollection(let kind, let namespace):
                guard let info = Self.resource(kind) else { throw ControllerManagerError("no resource for \(action.target)") }
                _ = try await client.deleteCollection(info, namespace: namespace)
            case .updateSubresource(let object, let subresource):
                guard let info = Self.resource(of: object) else { throw ControllerManagerError("no resource for \(action.target)") }
                _ = try await client.update(info, object, subresource: subresource)
            }
        } catch let error as KubeClientError where error.isNotFound {
            return
        } catch let error as KubeClientError where error.isAlreadyExists {
            if case .create = action { return }
            throw error
        }
    }

    /// Creates one object and answers what the server stored (its generated name), nil when it already existed.
    public func create(_ object: JSONValue) async throws -> JSONValue? {
        guard let info = Self.resource(of: object) else { throw ControllerManagerError("no resource for \(object.kind ?? "?")") }
        do {
            return try await client.create(info, namespace: object.metadata.namespace, object)
        } catch let error as KubeClientError where error.isAlreadyExists {
            return nil
        }
    }

    /// Writes an object's whole status as a merge patch of the status subresource: for controllers whose role may
    /// patch but not update it (upstream's pod GC and node lifecycle patch pod status).
    public func patchStatus(_ object: JSONValue) async throws {
        guard let info = Self.resource(of: object), let name = object.metadata.name else {
            throw ControllerManagerError("no resource for \(object.kind ?? "?")")
        }
        do {
            _ = try await client.patch(info, namespace: object.metadata.namespace, name: name, ["status": object["status"] ?? .emptyObject],
                                       type: .merge, subresource: "status")
        } catch let error as KubeClientError where error.isNotFound {}
    }

    /// Runs the actions one after another; the first failure stops the rest.
    public func execute(_ actions: [ControllerAction]) async throws {
        for action in actions { try await execute(action) }
    }

    /// A batch of independent creates at once (slow start), failing if any failed.
    public func executeBatch(_ actions: [ControllerAction]) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for action in actions { group.addTask { try await execute(action) } }
            try await group.waitForAll()
        }
    }
}
