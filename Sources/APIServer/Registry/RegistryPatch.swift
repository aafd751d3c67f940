import KubeAPI
import Manifests
import Storage

/// The four PATCH media types upstream serves.
enum PatchType: String, Sendable {
    case json = "application/json-patch+json"
    case merge = "application/merge-patch+json"
    case strategic = "application/strategic-merge-patch+json"
    case apply = "application/apply-patch+yaml"

    /// The type of a Content-Type header, ignoring parameters such as `charset`; 415 otherwise.
    init(contentType: String?) throws {
        let base = (contentType ?? "").split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        guard let type = PatchType(rawValue: base.lowercased()) else { throw StatusError.unsupportedMediaType(base) }
        self = type
    }
}

extension Registry {
    /// PATCH: the patch is applied to the newest object on every attempt, so a lost race is simply retried. A
    /// `metadata.resourceVersion` the patch sets is a precondition. An apply patch on a missing object creates it.
    func patch(_ context: RequestContext) async throws -> APIResponse {
        let type = try PatchType(contentType: context.contentType)
        let patch: JSONValue
        do {
            patch = try context.bodyJSON()
        } catch let error as StatusError where type == .apply {
            // An apply configuration may be real YAML (kubectl sends JSON, which is YAML too).
            guard let text = String(validating: context.body, as: UTF8.self),
                  let documents = try? YAMLToJSON.documents(text), documents.count == 1, let document = documents.first else {
                throw StatusError.badRequest("the apply configuration is neither JSON nor a single YAML document: \(error.message)")
            }
            patch = document
        }
        if type != .json, patch.object == nil {
            throw StatusError.badRequest("the body of a \(type.rawValue) patch must be a JSON object, got \(patch.typeName)")
        }
        if type == .json, patch.array == nil {
            throw StatusError.badRequest("the body of a JSON patch must be a JSON array of operations, got \(patch.typeName)")
        }
        if type == .apply, (context.query["fieldManager"] ?? "").isEmpty {
            throw StatusError(code: 422, reason: "Invalid",
                              message: "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch")
        }
        let info = context.info
        let rootType = GeneratedPatchSchema.shared.rootType(group: info.group, version: info.version, kind: info.kind)
        if type == .apply, context.subresource == nil, try await store.get(context.key) == nil {
            var intent = patch
            try RequestContext.checkType(&intent, info)
            if let name = intent.metadata.name, name != context.name {
                throw StatusError.badRequest("the name of the object (\(name)) does not match the name on the URL (\(context.name))")
            }
            intent.metadata.name = context.name
            if let namespace = context.namespace { intent.metadata.namespace = namespace }
            let created = try await createObject(try Self.ownedApply(intent, onto: nil, context, rootType: rootType), context)
            return Self.response(201, created)
        }
        let result = try await updateLoop(context) { old in
            if type == .apply { return try Self.ownedApply(patch, onto: old, context, rootType: rootType) }
            do throws(PatchError) {
                switch type {
                case .json: return try JSONPatch.apply(patch, to: old)
                case .merge: return MergePatch.apply(patch, to: old)
                case .strategic:
                    return try StrategicMergePatch.apply(patch, to: old, schema: GeneratedPatchSchema.shared, rootType: rootType)
                case .apply:
                    return ServerSideApply.apply(patch, onto: old, schema: GeneratedPatchSchema.shared, rootType: rootType)
                }
            } catch {
                throw StatusError(code: error.httpStatus, reason: error.httpStatus == 400 ? "BadRequest" : "Invalid",
                                  message: error.message)
            }
        }
        return Self.response(200, result)
    }

    /// Server-side apply with field ownership for the request's field manager; conflicts become upstream's 409 with
    /// one `FieldManagerConflict` cause per field.
    static func ownedApply(_ config: JSONValue, onto live: JSONValue?, _ context: RequestContext, rootType: String?) throws -> JSONValue {
        do {
            return try ServerSideApply.apply(
                config, onto: live, manager: context.query["fieldManager"] ?? "", force: context.query["force"] == "true",
                time: KubeTime.now().rfc3339, subresource: context.subresource,
                ignoringStatus: context.ownsNoStatus, schema: GeneratedPatchSchema.shared, rootType: rootType)
        } catch {
            let causes: [JSONValue] = error.items.map { item in
                ["reason": "FieldManagerConflict", "message": .string("conflict with \"\(item.manager)\" using \(item.apiVersion)"),
                 "field": .string(FieldSet.describe(item.path))]
            }
            var details: JSONValue = ["name": .string(context.name), "kind": .string(context.info.plural), "causes": .array(causes)]
            if !context.info.group.isEmpty { details["group"] = .string(context.info.group) }
            throw StatusError(code: 409, reason: "Conflict", message: error.message, details: details)
        }
    }
}
