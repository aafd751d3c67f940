import KubeAPI
import Storage

/// The `scale` subresource (autoscaling/v1 `Scale`) of deployments, replicasets, statefulsets and
/// replicationcontrollers: a view of the parent's `spec.replicas`, `status.replicas` and selector. Writes go to the
/// parent's `spec.replicas`, so they bump its generation like any spec change.
extension Registry {
    func getScale(_ context: RequestContext) async throws -> APIResponse {
        guard let (_, parent) = try await read(context.key) else { throw StatusError.notFound(context.info, context.name) }
        return Self.response(200, try Self.scale(of: parent, info: context.info))
    }

    /// PUT or PATCH of `.../scale`: the new Scale is computed from the current one on every attempt, so a lost race
    /// is retried; a `resourceVersion` the new Scale names is the client's precondition on the parent.
    func updateScale(_ context: RequestContext) async throws -> APIResponse {
        let info = context.info
        let body = try context.bodyJSON()
        let patchType = context.verb == .patch ? try PatchType(contentType: context.contentType) : nil
        let scaleRoot = GeneratedPatchSchema.shared.rootType(group: "autoscaling", version: "v1", kind: "Scale")
        let updated = try await updateLoop(context) { parent in
            let current = try Self.scale(of: parent, info: info)
            let wanted: JSONValue
            do throws(PatchError) {
                switch patchType {
                case nil: wanted = body
                case .json?: wanted = try JSONPatch.apply(body, to: current)
                case .merge?: wanted = MergePatch.apply(body, to: current)
                case .strategic?:
                    wanted = try StrategicMergePatch.apply(body, to: current, schema: GeneratedPatchSchema.shared, rootType: scaleRoot)
                case .apply?:
                    wanted = ServerSideApply.apply(body, onto: current, schema: GeneratedPatchSchema.shared, rootType: scaleRoot)
                }
            } catch {
                throw StatusError(code: error.httpStatus, reason: error.httpStatus == 400 ? "BadRequest" : "Invalid",
                                  message: error.message)
            }
            let replicasValue = wanted[path: ["spec", "replicas"]]
            guard let replicas = replicasValue == nil ? 0 : replicasValue?.int64, replicas >= 0 else {
                let shown = replicasValue.map { String(decoding: $0.jsonBytes, as: UTF8.self) } ?? ""
                let field = FieldError(kind: .invalid, "spec.replicas", "Invalid value: \(shown): must be greater than or equal to 0")
                let scaleInfo = APIResourceInfo(group: "autoscaling", version: "v1", kind: "Scale", plural: "scale",
                                                namespaced: true, verbs: [])
                throw StatusError.invalid(scaleInfo, context.name, [field])
            }
            var next = parent
            next[path: ["spec", "replicas"]] = .integer(replicas)
            next.metadata.resourceVersion = wanted.metadata.resourceVersion.flatMap { $0.isEmpty ? nil : $0 }
                ?? parent.metadata.resourceVersion
            return next
        }
        return Self.response(200, try Self.scale(of: updated, info: info))
    }

    /// The Scale view of a parent object; `status.selector` is the parent's selector in string form, as the
    /// horizontal pod autoscaler reads it.
    static func scale(of parent: JSONValue, info: APIResourceInfo) throws -> JSONValue {
        let selectorText: String
        if info.group.isEmpty {
            // replicationcontrollers carry a plain map selector.
            let pairs = (parent[path: ["spec", "selector"]]?.object ?? [:]).compactMap { key, value in
                value.string.map { "\(key)=\($0)" }
            }
            selectorText = pairs.sorted().joined(separator: ",")
        } else {
            do {
                selectorText = try LabelSelector(apiSelector: parent[path: ["spec", "selector"]]).description
            } catch {
                throw StatusError.internalError("stored selector of \(info.qualifiedName) is invalid: \(error)")
            }
        }
        var metadata: JSONValue = .emptyObject
        for field in ["name", "namespace", "uid", "resourceVersion", "creationTimestamp"] {
            if let value = parent.metadata.fields[field] { metadata[field] = value }
        }
        return [
            "kind": "Scale", "apiVersion": "autoscaling/v1", "metadata": metadata,
            "spec": ["replicas": .integer(parent[path: ["spec", "replicas"]]?.int64 ?? 1)],
            "status": ["replicas": .integer(parent[path: ["status", "replicas"]]?.int64 ?? 0), "selector": .string(selectorText)],
        ]
    }
}
