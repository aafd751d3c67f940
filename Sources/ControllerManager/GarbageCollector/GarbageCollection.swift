import KubeAPI

/// An object with the type the listing came from (list items carry no `kind`).
public struct KindedObject: Sendable, Hashable {
    /// The object's type.
    public var kind: ResourceKind
    /// The object.
    public var object: JSONValue

    /// Pairs an object with its type.
    /// - Parameters:
    ///   - kind: the type.
    ///   - object: the object.
    public init(_ kind: ResourceKind, _ object: JSONValue) {
        self.kind = kind
        self.object = object
    }
}

/// The garbage collector's decisions over a snapshot of every object it watches (upstream
/// `pkg/controller/garbagecollector`: `attemptToDeleteItem`, `processDeletingDependentsItem`,
/// `attemptToOrphanWorker`), as one pass that yields API calls:
///
/// - a dependent with no existing owner left is deleted, honouring its own `orphan`/`foregroundDeletion`
///   finalizer as the propagation policy (Background otherwise);
/// - a dependent with a live owner loses only its references to owners that are gone (dangling) or are being
///   deleted in the foreground;
/// - a dependent whose owners are all gone or deleting in the foreground, and which itself has dependents, is
///   deleted in the foreground so the deletion cascades (with its references made non-blocking first when one of
///   its dependents is also deleting in the foreground, to break cycles);
/// - an owner deleting in the foreground drops its `foregroundDeletion` finalizer once no dependent with
///   `blockOwnerDeletion: true` remains;
/// - an owner deleted with `orphan` has its reference removed from every dependent, then drops the finalizer.
///
/// Owner references to kinds outside `observedKinds` are treated as live: the snapshot cannot prove such an owner
/// absent (upstream would ask the API server; the loop can add those kinds instead).
public struct GarbageCollection: Sendable {
    /// The finalizer of foreground deletion.
    public static let foregroundFinalizer = "foregroundDeletion"
    /// The finalizer of orphaning deletion.
    public static let orphanFinalizer = "orphan"

    let objects: [KindedObject]
    let byUID: [String: KindedObject]
    let dependents: [String: [KindedObject]]
    let observedKinds: Set<ResourceKind>?

    /// Indexes a snapshot.
    /// - Parameters:
    ///   - objects: every object the collector watches.
    ///   - observedKinds: the kinds the snapshot covers completely; nil means every referenced kind is covered.
    public init(objects: [KindedObject], observedKinds: Set<ResourceKind>? = nil) {
        self.objects = objects
        var byUID: [String: KindedObject] = [:]
        var dependents: [String: [KindedObject]] = [:]
        for item in objects {
            if let uid = item.object.metadata.uid { byUID[uid] = item }
            for ref in item.object.metadata.ownerReferences { dependents[ref.uid, default: []].append(item) }
        }
        self.byUID = byUID
        self.dependents = dependents
        self.observedKinds = observedKinds
    }

    /// Every action the snapshot calls for, object by object in input order.
    public func plan() -> [ControllerAction] {
        objects.flatMap(attempt)
    }

    /// The actions for one object.
    /// - Parameters:
    ///   - item: an object of the snapshot.
    public func attempt(_ item: KindedObject) -> [ControllerAction] {
        let meta = item.object.metadata
        let uid = meta.uid ?? ""
        if meta.isBeingDeleted {
            if meta.finalizers.contains(Self.foregroundFinalizer) {
                return blockingDependents(of: uid).isEmpty ? [removeFinalizer(Self.foregroundFinalizer, from: item)] : []
            }
            if meta.finalizers.contains(Self.orphanFinalizer) {
                let orphaned = (dependents[uid] ?? []).map {
                    ControllerAction.patch(ObjectRef($0.object, kind: $0.kind), .strategicMerge,
                                           ControllerRef.removeOwnersPatch($0.object, ownerUIDs: [uid]))
                }
                return orphaned + [removeFinalizer(Self.orphanFinalizer, from: item)]
            }
            // Being deleted is a one-way trip; its dependents are handled once it is gone.
            return []
        }
        let references = meta.ownerReferences
        guard !references.isEmpty else { return [] }
        var solid: [OwnerReference] = [], dangling: [OwnerReference] = [], waiting: [OwnerReference] = []
        for ref in references {
            switch classify(ref, dependent: item) {
            case .solid: solid.append(ref)
            case .dangling: dangling.append(ref)
            case .waiting: waiting.append(ref)
            }
        }
        let target = ObjectRef(item.object, kind: item.kind)
        if !solid.isEmpty {
            let stale = (dangling + waiting).map(\.uid)
            return stale.isEmpty ? [] : [.patch(target, .strategicMerge, ControllerRef.removeOwnersPatch(item.object, ownerUIDs: stale))]
        }
        let ownDependents = dependents[uid] ?? []
        if !waiting.isEmpty && !ownDependents.isEmpty {
            var actions: [ControllerAction] = []
            if ownDependents.contains(where: { isDeletingDependents($0.object) }) {
                let unblocked = references.filter { $0.blockOwnerDeletion == true }.map { ref -> JSONValue in
                    var copy = ref
                    copy.blockOwnerDeletion = false
                    return copy.json
                }
                actions.append(.patch(target, .strategicMerge, ["metadata": ["ownerReferences": .array(unblocked), "uid": .string(uid)]]))
            }
            return actions + [.delete(target, propagationPolicy: "Foreground")]
        }
        let policy = meta.finalizers.contains(Self.orphanFinalizer) ? "Orphan"
            : meta.finalizers.contains(Self.foregroundFinalizer) ? "Foreground" : "Background"
        return [.delete(target, propagationPolicy: policy)]
    }

    enum OwnerState { case solid, dangling, waiting }

    /// Upstream `classifyReferences`/`isDangling`: an owner is dangling when no object of that uid and kind
    /// exists where the dependent could see it (its namespace, or cluster scope).
    func classify(_ ref: OwnerReference, dependent: KindedObject) -> OwnerState {
        if let observedKinds, !observedKinds.contains(where: { $0.kind == ref.kind && group($0.apiVersion) == group(ref.apiVersion) }) {
            return .solid
        }
        guard let owner = byUID[ref.uid], owner.kind.kind == ref.kind, owner.object.metadata.name == ref.name else { return .dangling }
        let ownerNamespace = owner.object.metadata.namespace ?? ""
        if !ownerNamespace.isEmpty && ownerNamespace != (dependent.object.metadata.namespace ?? "") { return .dangling }
        return isDeletingDependents(owner.object) ? .waiting : .solid
    }

    /// The API group of an apiVersion ("" for the core group), so a reference written as apps/v1 finds an owner
    /// listed through another version of the same group.
    func group(_ apiVersion: String) -> String {
        apiVersion.contains("/") ? String(apiVersion.split(separator: "/")[0]) : ""
    }

    /// Being deleted with the `foregroundDeletion` finalizer.
    func isDeletingDependents(_ object: JSONValue) -> Bool {
        object.metadata.isBeingDeleted && object.metadata.finalizers.contains(Self.foregroundFinalizer)
    }

    /// Dependents whose reference to the owner has `blockOwnerDeletion: true`.
    /// - Parameters:
    ///   - ownerUID: the owner.
    public func blockingDependents(of ownerUID: String) -> [KindedObject] {
        (dependents[ownerUID] ?? []).filter { item in
            item.object.metadata.ownerReferences.contains { $0.uid == ownerUID && $0.blockOwnerDeletion == true }
        }
    }

    /// Upstream `removeFinalizer`: a merge patch of the remaining finalizers, guarded by the resourceVersion read.
    func removeFinalizer(_ finalizer: String, from item: KindedObject) -> ControllerAction {
        let remaining = item.object.metadata.finalizers.filter { $0 != finalizer }
        var meta: JSONValue = ["finalizers": remaining.isEmpty ? .null : .array(remaining.map(JSONValue.string))]
        if let version = item.object.metadata.resourceVersion { meta["resourceVersion"] = .string(version) }
        return .patch(ObjectRef(item.object, kind: item.kind), .merge, ["metadata": meta])
    }
}
