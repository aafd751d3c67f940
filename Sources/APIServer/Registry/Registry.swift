import Foundation
import KubeAPI
import Manifests
import Storage

/// The generic REST storage of the bundled kube-apiserver: create, get, list, watch, update, patch, delete and
/// deletecollection of every storable resource in `ResourceTable`, on top of a revisioned `StorageBackend`.
///
/// It is a `Sendable` class rather than an actor on purpose: every piece of state lives in the store, and the store's
/// compare-and-swap is what keeps concurrent writers correct, so serialising requests here would only cost latency.
public final class Registry: Sendable {
    let store: any StorageBackend
    /// How often a watch with `allowWatchBookmarks=true` gets a BOOKMARK (upstream: about a minute).
    let bookmarkInterval: Duration
    /// The clock used for timestamps; injectable so tests can be deterministic.
    let now: @Sendable () -> KubeTime
    /// Allocates Service cluster IPs from `--service-cluster-ip-range`; nil = Services get no cluster IP.
    let serviceAllocator: ServiceAllocator?
    /// Admission after validation, with the objects in hand (NodeRestriction); nil admits everything.
    let admission: Admission?

    /// An admission check: the request, the stored object (nil on create) and the object about to be stored (nil
    /// on delete); a non-nil error refuses the write.
    public typealias Admission = @Sendable (APIRequest, JSONValue?, JSONValue?) async -> StatusError?
    /// How many times a write retries after losing a compare-and-swap race it did not ask to lose
    /// (unconditional updates, patches, deletes).
    static let maxRetries = 32

    /// - Parameters:
    ///   - store: where objects live; its revision is every object's `resourceVersion`.
    ///   - bookmarkInterval: the period of BOOKMARK events on watches that ask for them.
    ///   - now: the clock.
    ///   - serviceNetwork: the Service cluster IP range.
    public init(store: any StorageBackend, bookmarkInterval: Duration = .seconds(60),
                now: @escaping @Sendable () -> KubeTime = { KubeTime.now() }, serviceNetwork: IPNetwork? = nil,
                admission: Admission? = nil) {
        self.store = store
        self.admission = admission
        serviceAllocator = serviceNetwork.map { ServiceAllocator(network: $0) }
        self.bookmarkInterval = bookmarkInterval
        self.now = now
    }

    /// API views served by converting to and from another stored resource.
    static let versionTranslations: [any VersionTranslation.Type] = [EventsV1Translation.self, AutoscalingV1Translation.self]

    /// Answers one API request. Never throws: every failure becomes a `Status` body with upstream's code and reason.
    public func handle(_ request: APIRequest) async -> APIResponse {
        for translation in Self.versionTranslations where translation.applies(to: request) {
            do {
                return translation.translate(await handle(try translation.storedRequest(request)))
            } catch {
                return Self.failure(error)
            }
        }
        let context: RequestContext
        do {
            context = try RequestContext(request)
        } catch {
            return Self.failure(error)
        }
        do {
            let response = try await dispatch(context)
            guard case .object(let status, let body, let headers) = response else { return response }
            return .object(status: status, body: body, headers: headers + context.warnings.headers)
        } catch {
            return Self.failure(error)
        }
    }

    /// Every failure as upstream's `Status` body with its code and reason.
    static func failure(_ error: any Error) -> APIResponse {
        let status: StatusError
        switch error {
        case let error as StatusError: status = error
        case let error as StorageError: status = statusError(error)
        default: status = .internalError("\(error)")
        }
        return response(status.code, status.status)
    }

    /// Subresources the registry serves itself; the rest (log, exec, eviction, token, ...) are served by other
    /// handlers or answer 404 like an unknown path.
    static let servedSubresources: Set<String> = ["status", "finalize", "scale", "binding", "approval"]

    /// Routes by verb and subresource.
    func dispatch(_ context: RequestContext) async throws -> APIResponse {
        let sub = context.subresource
        if let sub, !Self.servedSubresources.contains(sub) || context.info.subresource(sub) == nil {
            throw StatusError(code: 404, reason: "NotFound", message: "the server could not find the requested resource")
        }
        let verbs = sub.flatMap { context.info.subresource($0)?.verbs } ?? context.info.verbs
        guard verbs.contains(context.tableVerb) else {
            throw StatusError.methodNotAllowed("the server does not allow this method on the requested resource")
        }
        switch (context.verb, sub) {
        case (.get, "scale"):
            return try await getScale(context)
        case (.update, "scale"), (.patch, "scale"):
            return try await updateScale(context)
        case (.create, "binding"):
            return try await bind(context)
        case (.get, nil), (.get, "status"), (.get, "approval"):
            return try await get(context)
        case (.list, _):
            return try await list(context)
        case (.watch, _):
            return try await watch(context)
        case (.create, nil):
            return try await create(context)
        case (.update, _):
            return try await update(context)
        case (.patch, _) where sub != "finalize":
            return try await patch(context)
        case (.delete, nil):
            return try await delete(context)
        case (.deletecollection, nil):
            return try await deleteCollection(context)
        default:
            throw StatusError.methodNotAllowed("the server does not allow this method on the requested resource")
        }
    }

    /// Maps a storage failure that escaped a handler to the closest upstream status.
    static func statusError(_ error: StorageError) -> StatusError {
        switch error.code {
        case .compacted:
            return .expired("too old resource version: \(error.revision.map(String.init) ?? "")")
        case .futureRevision:
            return StatusError(code: 504, reason: "Timeout", message: "Too large resource version")
        case .invalidContinueToken:
            return .badRequest("continue key is not valid")
        default:
            return .internalError(error.description)
        }
    }
}

// MARK: - Admission

extension Registry {
    /// Runs the admission check for a write; requests the registry makes itself are not checked.
    func admit(_ context: RequestContext, old: JSONValue?, new: JSONValue?) async throws {
        guard let admission, let request = context.request else { return }
        if let refusal = await admission(request, old, new) { throw refusal }
    }
}

// MARK: - Object encoding

extension Registry {
    /// The stored form: the object without `resourceVersion`, which the store's revision supplies on the way out.
    static func encode(_ object: JSONValue) -> [UInt8] {
        var object = object
        object.metadata.resourceVersion = nil
        return object.jsonBytes
    }

    /// The served form of a stored value: `resourceVersion` is the value's mod revision.
    static func decode(_ value: KeyValue) throws -> JSONValue {
        var object: JSONValue
        do {
            object = try JSONValue(parsing: value.value)
        } catch {
            throw StatusError.internalError("stored object \(value.key) is not valid JSON: \(error)")
        }
        object.metadata.resourceVersion = String(value.modRevision)
        return object
    }

    /// Reads one object, or nil when absent.
    func read(_ key: String) async throws -> (value: KeyValue, object: JSONValue)? {
        guard let value = try await store.get(key) else { return nil }
        return (value, try Self.decode(value))
    }

    /// The one place an `APIResponse.object` is built, so the seam's shape is spelled once.
    static func response(_ code: Int, _ object: JSONValue) -> APIResponse {
        .object(status: code, body: object, headers: [])
    }
}
