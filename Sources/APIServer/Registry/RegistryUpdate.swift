import KubeAPI
import Storage

extension Registry {
    /// PUT. A non-empty `metadata.resourceVersion` in the body is a compare-and-swap precondition; an empty one
    /// updates whatever is current.
    func update(_ context: RequestContext) async throws -> APIResponse {
        let body = try context.bodyObject()
        if let bodyName = body.metadata.name, !bodyName.isEmpty, bodyName != context.name {
            throw StatusError.badRequest("the name of the object (\(bodyName)) does not match the name on the URL (\(context.name))")
        }
        if Self.createOnUpdate.contains("\(context.info.group)/\(context.info.plural)"),
           context.subresource == nil, try await store.get(context.key) == nil
        {
            var fresh = body
            fresh.metadata.resourceVersion = nil
            fresh.metadata.name = context.name
            return Self.response(201, try await createObject(fresh, context))
        }
        let result = try await updateLoop(context) { _ in body }
        return Self.response(200, result)
    }

    /// Resources whose PUT creates a missing object (upstream strategies' `AllowCreateOnUpdate`).
    static let createOnUpdate: Set<String> = [
        "/endpoints", "/events", "coordination.k8s.io/leases", "discovery.k8s.io/endpointslices",
        "rbac.authorization.k8s.io/roles", "rbac.authorization.k8s.io/rolebindings",
        "rbac.authorization.k8s.io/clusterroles", "rbac.authorization.k8s.io/clusterrolebindings",
    ]

    /// Reads the current object, lets `change` compute the new one, and writes it with a compare-and-swap on the
    /// revision read. A lost race is retried against the newest object unless the new object names a
    /// resourceVersion other than the one read (the client's precondition), which is 409 Conflict.
    func updateLoop(_ context: RequestContext, change: (JSONValue) throws -> JSONValue) async throws -> JSONValue {
        let info = context.info
        for _ in 0..<Self.maxRetries {
            guard let (stored, old) = try await read(context.key) else { throw StatusError.notFound(info, context.name) }
            var new = try change(old)
            try RequestContext.checkType(&new, info)
            try context.pruneUnknownFields(&new)
            if let wanted = new.metadata.resourceVersion, !wanted.isEmpty, wanted != old.metadata.resourceVersion {
                throw StatusError.conflict(info, context.name)
            }
            new = prepareForUpdate(new, old: old, info: info, subresource: context.subresource)
            // Ownership of an ordinary write (an apply records its own; managedFields a client rewrote are kept).
            if !context.isApply, let manager = context.fieldManager, new.metadata.managedFields == old.metadata.managedFields {
                new = ServerSideApply.recordUpdate(old: old, new: new, manager: manager, time: KubeTime.now().rfc3339,
                                                   subresource: context.subresource, ignoringStatus: context.ownsNoStatus,
                                                   schema: GeneratedPatchSchema.shared, rootType: context.rootType)
            }
            // A binding is the one server-side write allowed to set an immutable pod field (spec.nodeName).
            let errors = context.subresource == "binding" ? [] : ObjectValidation.validateUpdate(new, old: old)
            if !errors.isEmpty { throw StatusError.invalid(info, context.name, errors) }
            try await admit(context, old: old, new: new)
            if context.isDryRun { return new }
            do {
                if Self.shouldDeleteDuringUpdate(new, old: old, info: info) {
                    let removed = try await store.delete(context.key, expectedRevision: stored.modRevision)
                    var gone = new
                    gone.metadata.resourceVersion = String(removed.revision)
                    return gone
                }
                if Self.encode(new) == stored.value { return old }
                return try Self.decode(try await store.update(context.key, value: Self.encode(new),
                                                              expectedRevision: stored.modRevision))
            } catch let error as StorageError where error.code == .conflict {
                continue
            } catch let error as StorageError where error.code == .notFound {
                throw StatusError.notFound(info, context.name)
            }
        }
        throw StatusError.conflict(info, context.name)
    }

    /// Keeps what clients cannot change (upstream `BeforeUpdate` plus the strategies' `PrepareForUpdate`):
    /// immutable metadata, deletion state, and the status/spec split between a resource and its status subresource.
    func prepareForUpdate(_ input: JSONValue, old: JSONValue, info: APIResourceInfo, subresource: String?) -> JSONValue {
        var new = input
        var meta = new.metadata
        let oldMeta = old.metadata
        // creationTimestamp is immutable; copying it also absorbs clients that re-serialise it as `+00:00`.
        meta.fields["creationTimestamp"] = oldMeta.fields["creationTimestamp"]
        for field in ["uid", "namespace", "name"] where (meta.fields[field]?.string ?? "").isEmpty {
            meta.fields[field] = oldMeta.fields[field]
        }
        for field in ["deletionTimestamp", "deletionGracePeriodSeconds", "generation"] {
            meta.fields[field] = oldMeta.fields[field]
        }
        // A write that leaves managedFields out keeps the recorded ownership (an explicit empty list resets it).
        if meta.fields["managedFields"] == nil { meta.fields["managedFields"] = oldMeta.fields["managedFields"] }
        meta.resourceVersion = nil
        new.metadata = meta
        switch subresource {
        case "status":
            // Only status (and labels/annotations, as upstream allows) change through /status.
            new = Self.replacingContent(of: new, with: old, keeping: ["status"])
        case "approval":
            // A CSR's approval writes only the Approved/Denied conditions; the issued certificate stays as it was.
            var kept = Self.replacingContent(of: new, with: old, keeping: [])
            if kept["status"] == nil { kept["status"] = .emptyObject }
            kept[path: ["status", "conditions"]] = new[path: ["status", "conditions"]]
            new = kept
        case "binding":
            break
        case "finalize":
            var kept = old
            kept[path: ["spec", "finalizers"]] = new[path: ["spec", "finalizers"]]
            kept.metadata.resourceVersion = nil
            new = kept
        default:
            SecretStringData.merge(&new, info)
            if info.subresource("status") != nil { new["status"] = old["status"] }
            if Self.content(of: new) != Self.content(of: old), new.metadata.generation != nil || new["spec"] != nil {
                new.metadata.generation = (old.metadata.generation ?? 0) + 1
            }
        }
        ObjectDefaults.apply(to: &new)
        return new
    }

    /// The object without metadata, status and type fields: what a generation counts changes of.
    static func content(of object: JSONValue) -> JSONObject {
        var members = object.object ?? [:]
        for key in ["metadata", "status", "apiVersion", "kind"] { members[key] = nil }
        return members
    }

    /// `new` with every top-level member except metadata, type and `keeping` taken from `old`.
    static func replacingContent(of new: JSONValue, with old: JSONValue, keeping: Set<String>) -> JSONValue {
        var result = old
        result["metadata"] = new["metadata"]
        for key in keeping { result[key] = new[key] }
        return result
    }

    /// An update that leaves a deleting object without finalizers removes it (upstream `ShouldDeleteDuringUpdate`):
    /// only once its grace period is over (0), and for namespaces only once `spec.finalizers` is empty too.
    static func shouldDeleteDuringUpdate(_ new: JSONValue, old: JSONValue, info: APIResourceInfo) -> Bool {
        guard old.metadata.isBeingDeleted, new.metadata.finalizers.isEmpty else { return false }
        if info.group.isEmpty && info.plural == "namespaces" {
            return (new[path: ["spec", "finalizers"]]?.array ?? []).isEmpty
        }
        return (old.metadata.deletionGracePeriodSeconds ?? 0) == 0
    }
}
