import KubeAPI
import Storage

extension Registry {
    /// Resources whose DELETE answers with the object rather than a `Status` of kind Success (upstream
    /// `ReturnDeletedObject`, and every graceful or finalized deletion).
    static let returnsDeletedObject: Set<String> = ["/pods", "/services", "/namespaces"]

    /// Resources deleted gracefully: the object stays with a deletion timestamp until the kubelet confirms.
    static let graceful: Set<String> = ["/pods"]

    func delete(_ context: RequestContext) async throws -> APIResponse {
        let options = try DeleteOptions(context)
        let (code, body) = try await deleteObject(context, key: context.key, name: context.name, options: options)
        return Self.response(code, body)
    }

    /// Deletes one object, or starts its deletion when finalizers or a grace period keep it; returns the response.
    func deleteObject(_ context: RequestContext, key: String, name: String,
                      options: DeleteOptions) async throws -> (Int, JSONValue) {
        let info = context.info
        let resource = "\(info.group)/\(info.plural)"
        for _ in 0..<Self.maxRetries {
            guard let (stored, old) = try await read(key) else { throw StatusError.notFound(info, name) }
            if let uid = options.preconditionUID, uid != old.metadata.uid {
                throw StatusError(code: 409, reason: "Conflict",
                                  message: "Operation cannot be fulfilled on \(info.qualifiedName) \"\(name)\": Precondition failed: UID in precondition: \(uid), UID in object meta: \(old.metadata.uid ?? "")",
                                  details: StatusError.details(info, name: name))
            }
            if let version = options.preconditionResourceVersion, version != old.metadata.resourceVersion {
                throw StatusError(code: 409, reason: "Conflict",
                                  message: "Operation cannot be fulfilled on \(info.qualifiedName) \"\(name)\": Precondition failed: ResourceVersion in precondition: \(version), ResourceVersion in object meta: \(old.metadata.resourceVersion ?? "")",
                                  details: StatusError.details(info, name: name))
            }
            try await admit(context, old: old, new: nil)
            do {
                if let pending = try await beginDeletion(old, stored: stored, key: key, info: info, options: options) {
                    return (200, Self.withType(pending, info))
                }
                var removed = old
                if !options.dryRun {
                    let result = try await store.delete(key, expectedRevision: stored.modRevision)
                    removed.metadata.resourceVersion = String(result.deleted.modRevision)
                }
                if Self.returnsDeletedObject.contains(resource) { return (200, Self.withType(removed, info)) }
                return (200, Self.successStatus(info, name: name, uid: old.metadata.uid))
            } catch let error as StorageError where error.code == .conflict {
                continue
            } catch let error as StorageError where error.code == .notFound {
                throw StatusError.notFound(info, name)
            }
        }
        throw StatusError.conflict(info, name)
    }

    /// When the object must outlive this DELETE (namespaces, finalizers, propagation finalizers, a pod's grace
    /// period), marks it as deleting and returns the stored result; nil means "remove it now".
    func beginDeletion(_ old: JSONValue, stored: KeyValue, key: String, info: APIResourceInfo,
                       options: DeleteOptions) async throws -> JSONValue? {
        let resource = "\(info.group)/\(info.plural)"
        var object = old
        var meta = object.metadata
        let isNamespace = resource == "/namespaces"
        var grace: Int64 = 0
        if Self.graceful.contains(resource) {
            let phase = old[path: ["status", "phase"]]?.string ?? ""
            let bound = !(old[path: ["spec", "nodeName"]]?.string ?? "").isEmpty
            if bound && phase != "Succeeded" && phase != "Failed" {
                grace = options.gracePeriodSeconds ?? old[path: ["spec", "terminationGracePeriodSeconds"]]?.int64 ?? 30
            }
            grace = max(0, grace)
        }
        switch options.propagationPolicy {
        case "Foreground" where !meta.finalizers.contains("foregroundDeletion"): meta.finalizers.append("foregroundDeletion")
        case "Orphan" where !meta.finalizers.contains("orphan"): meta.finalizers.append("orphan")
        default: break
        }
        let namespaceHeld = isNamespace && !(old[path: ["spec", "finalizers"]]?.array ?? []).isEmpty
        guard grace > 0 || !meta.finalizers.isEmpty || namespaceHeld else { return nil }
        if meta.isBeingDeleted {
            // Already deleting: a shorter grace period may still be requested; otherwise nothing changes.
            let current = meta.deletionGracePeriodSeconds ?? 0
            guard grace < current || meta.finalizers != old.metadata.finalizers else { return old }
            if grace < current {
                meta.deletionGracePeriodSeconds = grace
                meta.deletionTimestamp = now().truncatedToSeconds.adding(seconds: grace)
            }
        } else {
            meta.deletionTimestamp = now().truncatedToSeconds.adding(seconds: grace)
            meta.deletionGracePeriodSeconds = grace
        }
        meta.resourceVersion = nil
        object.metadata = meta
        if isNamespace { object[path: ["status", "phase"]] = "Terminating" }
        if options.dryRun { return object }
        if grace == 0 && meta.finalizers.isEmpty && !namespaceHeld {
            return nil
        }
        return try Self.decode(try await store.update(key, value: Self.encode(object), expectedRevision: stored.modRevision))
    }

    /// DELETE on a collection: every matching object goes through the single-object path; the answer is the list
    /// of what was deleted (or marked for deletion).
    func deleteCollection(_ context: RequestContext) async throws -> APIResponse {
        let filter = try ObjectFilter(context)
        let options = try DeleteOptions(context)
        let page = try await store.list(prefix: ResourceKeys.prefix(context.info, namespace: context.namespace))
        var items: [JSONValue] = []
        for value in page.items {
            let object = try Self.decode(value)
            guard filter.matches(object) else { continue }
            let name = object.metadata.name ?? ""
            do {
                let (_, body) = try await deleteObject(context, key: value.key, name: name, options: options)
                items.append(body.kind == "Status" ? Self.withType(object, context.info) : body)
            } catch let error as StatusError where error.code == 404 {
                continue  // deleted concurrently: already gone, as requested
            }
        }
        let revision = try await store.currentRevision()
        return Self.response(200, Self.listObject(context.info, items: items, revision: revision, continue: nil))
    }

    /// upstream's `Status` of kind Success for deletions that do not return the object.
    static func successStatus(_ info: APIResourceInfo, name: String, uid: String?) -> JSONValue {
        var details = StatusError.details(info, name: name)
        if let uid { details["uid"] = .string(uid) }
        return ["kind": "Status", "apiVersion": "v1", "metadata": .emptyObject, "status": "Success", "details": details]
    }
}
