import Foundation
import KubeAPI
import Storage

/// Keeps an `RBACPolicySnapshot` in step with the store: one list of the four RBAC kinds, then a watch from the
/// list's revision, rebuilding the snapshot on every change (upstream reads informer caches the same way).
///
/// Level-triggered: when the watch ends with an error (history compacted, watcher too slow, 410) the cache lists
/// again rather than trying to patch over the gap, so it cannot drift from the store.
public final class RBACPolicyCache: Sendable {
    /// Every RBAC object lives under this prefix (`/registry/rbac.authorization.k8s.io/<plural>/...`).
    static let prefix = "/registry/rbac.authorization.k8s.io/"
    /// Plural per kind, from the resource table so key layout has one source (`ResourceKeys`).
    static let kinds: [(plural: String, prefix: String)] = ["clusterroles", "roles", "clusterrolebindings", "rolebindings"]
        .compactMap { plural in
            ResourceTable.resource(group: "rbac.authorization.k8s.io", version: "v1", plural: plural)
                .map { (plural, ResourceKeys.prefix($0)) }
        }

    let store: any StorageBackend
    private let box = SnapshotBox(RBACPolicySnapshot.empty)
    private let task = SnapshotBox<Task<Void, Never>?>(nil)
    /// How long to wait before listing again after the watch failed.
    let retryDelay: Duration

    public init(store: any StorageBackend, retryDelay: Duration = .milliseconds(200)) {
        self.store = store
        self.retryDelay = retryDelay
    }

    deinit {
        task.get()?.cancel()
    }

    /// The current policy; `empty` until `start()` has loaded it.
    public var snapshot: RBACPolicySnapshot { box.get() }

    /// Loads the policy and starts following changes. Returns once the first snapshot is in place.
    /// - Throws: a `StorageError` when the first list fails.
    public func start() async throws {
        let objects = try await Self.list(store, into: box)
        let (store, box, retryDelay) = (store, box, retryDelay)
        // The follower holds no reference to the cache, so dropping the cache (deinit) can cancel it.
        let follower = Task {
            var objects = objects
            var revision = box.get().revision
            while !Task.isCancelled {
                do {
                    try await Self.follow(store, into: box, &objects, from: &revision)
                    return  // the stream ended without error: cancelled
                } catch let error as StorageError where error.code == .closed {
                    return
                } catch {
                    try? await Task.sleep(for: retryDelay)
                    if let fresh = try? await Self.list(store, into: box) {
                        objects = fresh
                        revision = box.get().revision
                    }
                }
            }
        }
        task.get()?.cancel()
        task.set(follower)
    }

    /// Stops following the store; the last snapshot stays readable.
    public func stop() {
        task.get()?.cancel()
        task.set(nil)
    }

    /// Waits until the snapshot reflects `revision`, polling briefly. Pass the revision of an RBAC write: the
    /// snapshot's revision advances only with RBAC events, so another kind's revision may never be reached.
    /// - Returns: false when `timeout` passed first.
    @discardableResult
    public func waitFor(revision: Int64, timeout: Duration = .seconds(5)) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while box.get().revision < revision {
            if ContinuousClock.now >= deadline { return false }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return true
    }

    /// Lists everything, installs a snapshot at the list's revision and returns the objects by key.
    private static func list(_ store: any StorageBackend, into box: SnapshotBox<RBACPolicySnapshot>) async throws
        -> [String: JSONValue]
    {
        let page = try await store.list(prefix: prefix)
        var objects: [String: JSONValue] = [:]
        for value in page.items {
            if let object = try? JSONValue(parsing: value.value) { objects[value.key] = object }
        }
        box.set(build(objects, revision: page.revision))
        return objects
    }

    /// Applies watch events until the stream ends or fails.
    private static func follow(_ store: any StorageBackend, into box: SnapshotBox<RBACPolicySnapshot>,
                               _ objects: inout [String: JSONValue], from revision: inout Int64) async throws {
        let stream = try await store.watch(prefix: prefix, afterRevision: revision)
        for try await event in stream {
            switch event.kind {
            case .added, .modified:
                if let value = event.value, let object = try? JSONValue(parsing: value.value) {
                    objects[event.key] = object
                }
            case .deleted:
                objects[event.key] = nil
            }
            revision = event.revision
            box.set(build(objects, revision: revision))
        }
    }

    /// Sorts objects into the four kinds by key prefix and builds the snapshot.
    static func build(_ objects: [String: JSONValue], revision: Int64) -> RBACPolicySnapshot {
        var byKind: [String: [JSONValue]] = [:]
        for (key, object) in objects {
            // Longest prefix first would matter if one plural prefixed another; these four do not.
            guard let kind = kinds.first(where: { key.hasPrefix($0.prefix) }) else { continue }
            byKind[kind.plural, default: []].append(object)
        }
        return RBACPolicySnapshot(clusterRoles: byKind["clusterroles"] ?? [], roles: byKind["roles"] ?? [],
                                  clusterRoleBindings: byKind["clusterrolebindings"] ?? [],
                                  roleBindings: byKind["rolebindings"] ?? [], revision: revision)
    }
}
