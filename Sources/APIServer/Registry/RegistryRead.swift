import KubeAPI
import Storage

/// The label and field selectors of a list, watch or deletecollection request.
struct ObjectFilter: Sendable {
    let labels: LabelSelector
    let fields: FieldSelector
    let selectable: SelectableFields
    /// Set when a watch addresses one object by name.
    let name: String?

    /// Parses `labelSelector` and `fieldSelector`; a bad selector or unsupported field is 400 BadRequest.
    init(_ context: RequestContext) throws {
        do {
            labels = try LabelSelector(parsing: context.query["labelSelector"] ?? "")
            fields = try FieldSelector(parsing: context.query["fieldSelector"] ?? "")
            selectable = SelectableFieldTable.fields(for: context.info)
            try fields.validate(against: selectable)
            name = context.name.isEmpty ? nil : context.name
        } catch {
            throw StatusError.badRequest(error.message)
        }
    }

    func matches(_ object: JSONValue) -> Bool {
        (name == nil || object.metadata.name == name) && labels.matches(object: object) && fields.matches(object, fields: selectable)
    }
}

extension Registry {
    func get(_ context: RequestContext) async throws -> APIResponse {
        guard let (_, object) = try await read(context.key) else { throw StatusError.notFound(context.info, context.name) }
        return Self.response(200, object)
    }

    /// Lists with selectors and pagination. With a `limit`, pages are read from the store until `limit` matching
    /// items are collected (as upstream does), and the continue token is the store's token after the last key read.
    func list(_ context: RequestContext) async throws -> APIResponse {
        let filter = try ObjectFilter(context)
        let limit = max(0, Int(try context.intQuery("limit") ?? 0))
        let continueToken = context.query["continue"].flatMap { $0.isEmpty ? nil : $0 }
        let revision = try await listRevision(context, continuing: continueToken != nil)
        let prefix = ResourceKeys.prefix(context.info, namespace: context.namespace)

        var items: [JSONValue] = []
        var token = continueToken
        var listRevision: Int64 = 0
        repeat {
            let page: ListResult
            do {
                let want = limit == 0 ? 0 : limit - items.count
                page = try await store.list(prefix: prefix, limit: want, continueToken: token,
                                            revision: token == nil ? revision : nil)
            } catch let error as StorageError {
                throw Self.listError(error, revision: revision, continuing: token != nil)
            }
            listRevision = page.revision
            for value in page.items {
                let object = try Self.decode(value)
                if filter.matches(object) { items.append(Self.withType(object, context.info)) }
            }
            token = page.continueToken
        } while token != nil && limit > 0 && items.count < limit
        return Self.response(200, Self.listObject(context.info, items: items, revision: listRevision, continue: token))
    }

    /// The store revision a list reads at: `resourceVersionMatch=Exact` with a positive `resourceVersion` reads that
    /// revision; everything else (unset, 0, NotOlderThan) reads the newest, which satisfies "not older than" too.
    func listRevision(_ context: RequestContext, continuing: Bool) async throws -> Int64? {
        guard !continuing, let text = context.query["resourceVersion"], !text.isEmpty else { return nil }
        guard let requested = Int64(text), requested >= 0 else {
            throw StatusError.badRequest("invalid resource version: \(text)")
        }
        let compacted = try await store.compactedRevision()
        if requested > 0 && requested < compacted {
            throw StatusError.expired("too old resource version: \(requested) (\(compacted))")
        }
        if context.query["resourceVersionMatch"] == "Exact" && requested > 0 { return requested }
        let current = try await store.currentRevision()
        if requested > current {
            throw StatusError(code: 504, reason: "Timeout",
                              message: "Too large resource version: \(requested), current: \(current)")
        }
        return nil
    }

    static func listError(_ error: StorageError, revision: Int64?, continuing: Bool) -> StatusError {
        switch error.code {
        case .compacted where continuing:
            return .expired("The provided continue parameter is too old to display a consistent list result. "
                + "You can start a new list without the continue parameter.")
        case .compacted:
            return .expired("too old resource version: \(revision.map(String.init) ?? "") (\(error.revision.map(String.init) ?? ""))")
        case .invalidContinueToken:
            return .badRequest("continue key is not valid: \(error.message)")
        default:
            return statusError(error)
        }
    }

    /// `<Kind>List` with the collection's resourceVersion and continue token.
    static func listObject(_ info: APIResourceInfo, items: [JSONValue], revision: Int64, continue token: String?) -> JSONValue {
        var metadata: JSONValue = ["resourceVersion": .string(String(revision))]
        if let token { metadata["continue"] = .string(token) }
        return ["kind": .string(info.kind + "List"), "apiVersion": .string(info.groupVersion),
                "metadata": metadata, "items": .array(items)]
    }

    /// Objects always carry `kind` and `apiVersion` on the way out, list items included.
    static func withType(_ object: JSONValue, _ info: APIResourceInfo) -> JSONValue {
        var object = object
        if object.kind == nil { object["kind"] = .string(info.kind) }
        if object.apiVersion == nil { object["apiVersion"] = .string(info.groupVersion) }
        return object
    }
}
