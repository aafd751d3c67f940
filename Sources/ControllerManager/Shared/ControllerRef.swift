import KubeAPI

/// Owner references the way controllers use them: the one `controller: true` reference, and the patches that
/// adopt an orphan or release an object (upstream `controller_ref_manager.go`).
public enum ControllerRef {
    /// The reference with `controller: true`, if any (upstream `metav1.GetControllerOf`).
    /// - Parameters:
    ///   - object: any API object.
    public static func of(_ object: JSONValue) -> OwnerReference? {
        object.metadata.ownerReferences.first { $0.controller == true }
    }

    /// The reference a controller puts on what it creates (upstream `metav1.NewControllerRef`): controller and
    /// blockOwnerDeletion both true, so foreground deletion of the owner waits for the child.
    /// - Parameters:
    ///   - owner: the owning object.
    ///   - kind: the owner's type.
    public static func new(owner: JSONValue, kind: ResourceKind) -> OwnerReference {
        OwnerReference(apiVersion: kind.apiVersion, kind: kind.kind, name: owner.metadata.name ?? "",
                       uid: owner.metadata.uid ?? "", controller: true, blockOwnerDeletion: true)
    }

    /// The strategic merge patch that adopts `object` (upstream `ownerRefControllerPatch`); `metadata.uid` makes
    /// the patch fail if the object was replaced by a namesake.
    /// - Parameters:
    ///   - object: the orphan.
    ///   - owner: the adopting controller.
    ///   - ownerKind: the controller's type.
    ///   - finalizers: finalizers the adopter adds with the reference (the job controller's tracking finalizer).
    public static func adoptPatch(_ object: JSONValue, owner: JSONValue, ownerKind: ResourceKind, finalizers: [String] = []) -> JSONValue {
        var patch: JSONValue = ["metadata": ["ownerReferences": [new(owner: owner, kind: ownerKind).json],
                                             "uid": .string(object.metadata.uid ?? "")]]
        if !finalizers.isEmpty { patch[path: ["metadata", "finalizers"]] = .array(finalizers.map { .string($0) }) }
        return patch
    }

    /// The strategic merge patch that removes the references to `ownerUIDs` from an object (upstream
    /// `GenerateDeleteOwnerRefStrategicMergeBytes`).
    /// - Parameters:
    ///   - object: the dependent.
    ///   - ownerUIDs: the owners to forget.
    public static func removeOwnersPatch(_ object: JSONValue, ownerUIDs: [String]) -> JSONValue {
        ["metadata": ["ownerReferences": .array(ownerUIDs.map { ["$patch": "delete", "uid": .string($0)] }),
                      "uid": .string(object.metadata.uid ?? "")]]
    }
}

/// The outcome of claiming objects for a controller: what it owns after the claim and the patches that make the
/// API agree (upstream `BaseControllerRefManager.ClaimObject`).
public struct ClaimResult: Sendable, Hashable {
    /// The objects the controller owns, adopted ones included (with the new reference already added), in input order.
    public var claimed: [JSONValue]
    /// Adoption and release patches, to run before anything that relies on `claimed`.
    public var actions: [ControllerAction]
}

extension ControllerRef {
    /// Claims objects for a controller:
    /// - owned by someone else: ignored;
    /// - owned by this controller and matching: kept (even while the controller is being deleted);
    /// - owned but no longer matching: released, unless the controller is being deleted;
    /// - orphans that match, are not being deleted and live in the controller's namespace: adopted, unless the
    ///   controller is being deleted.
    /// - Parameters:
    ///   - objects: candidate objects (typically every pod of the namespace).
    ///   - objectKind: their type, for the patches.
    ///   - owner: the controller object.
    ///   - ownerKind: its type.
    ///   - matches: whether an object belongs to the controller (its selector).
    ///   - adoptFinalizers: finalizers an adoption adds (upstream `NewPodControllerRefManager`'s finalizers).
    public static func claim(_ objects: [JSONValue], objectKind: ResourceKind, owner: JSONValue, ownerKind: ResourceKind,
                             adoptFinalizers: [String] = [], matches: (JSONValue) -> Bool) -> ClaimResult {
        let ownerMeta = owner.metadata
        let ownerUID = ownerMeta.uid ?? ""
        let ownerDeleting = ownerMeta.isBeingDeleted
        var result = ClaimResult(claimed: [], actions: [])
        for object in objects {
            if let ref = of(object) {
                guard ref.uid == ownerUID else { continue }
                if matches(object) {
                    result.claimed.append(object)
                } else if !ownerDeleting {
                    result.actions.append(.patch(ObjectRef(object, kind: objectKind), .strategicMerge,
                                                 removeOwnersPatch(object, ownerUIDs: [ownerUID])))
                }
                continue
            }
            guard !ownerDeleting, matches(object), !object.metadata.isBeingDeleted else { continue }
            if let namespace = ownerMeta.namespace, !namespace.isEmpty, namespace != object.metadata.namespace { continue }
            result.actions.append(.patch(ObjectRef(object, kind: objectKind), .strategicMerge,
                                         adoptPatch(object, owner: owner, ownerKind: ownerKind, finalizers: adoptFinalizers)))
            var adopted = object
            adopted.metadata.ownerReferences.append(new(owner: owner, kind: ownerKind))
            adopted.metadata.finalizers += adoptFinalizers.filter { !adopted.metadata.finalizers.contains($0) }
            result.claimed.append(adopted)
        }
        return result
    }
}
