import KubeAPI

/// Which controller keys ("namespace/name") an informer event should enqueue (upstream `addPod`/`updatePod`
/// handlers with `resolveControllerRef` and `getPodReplicaSets`): handlers only enqueue, the sync decides.
public enum EventRouting {
    /// The key of the object's controller when it is of `ownerKind`: what a change of an owned object wakes.
    /// - Parameters:
    ///   - object: a dependent (a pod, a ReplicaSet, ...).
    ///   - ownerKind: the controller kind the loop runs ("ReplicaSet").
    ///   - owners: the current owners of that kind, to check the uid still matches (a re-created namesake is
    ///     not the owner).
    public static func controllerKey(of object: JSONValue, ownerKind: String, owners: [JSONValue]) -> String? {
        guard let ref = ControllerRef.of(object), ref.kind == ownerKind else { return nil }
        let namespace = object.metadata.namespace ?? ""
        guard owners.contains(where: { $0.metadata.name == ref.name && $0.metadata.uid == ref.uid && ($0.metadata.namespace ?? "") == namespace })
        else { return nil }
        return namespace.isEmpty ? ref.name : namespace + "/" + ref.name
    }

    /// For an orphan: the keys of every owner in its namespace whose `spec.selector` matches it, so one of them
    /// can adopt it. Objects with a controller yield nothing here.
    /// - Parameters:
    ///   - object: a dependent.
    ///   - owners: candidate owners.
    public static func adoptionCandidates(for object: JSONValue, owners: [JSONValue]) -> [String] {
        guard ControllerRef.of(object) == nil else { return [] }
        let namespace = object.metadata.namespace ?? ""
        return owners.filter { owner in
            guard (owner.metadata.namespace ?? "") == namespace,
                  let selector = try? LabelSelector(apiSelector: owner[path: ["spec", "selector"]]), !selector.isEmpty else { return false }
            return selector.matches(object: object)
        }.map { namespace + "/" + ($0.metadata.name ?? "") }
    }

    /// Keys to enqueue for an object event: its controller, or for an orphan every owner that could adopt it;
    /// on an update whose controller reference changed, the old controller too (it must notice the loss).
    /// - Parameters:
    ///   - object: the object after the event.
    ///   - previous: the object before an update, if any.
    ///   - ownerKind: the controller kind.
    ///   - owners: the current owners of that kind.
    public static func keys(for object: JSONValue, previous: JSONValue? = nil, ownerKind: String, owners: [JSONValue]) -> [String] {
        var keys: [String] = []
        if let previous, ControllerRef.of(previous) != ControllerRef.of(object),
           let old = controllerKey(of: previous, ownerKind: ownerKind, owners: owners) {
            keys.append(old)
        }
        if let current = controllerKey(of: object, ownerKind: ownerKind, owners: owners) {
            keys.append(current)
        } else if ControllerRef.of(object) == nil {
            keys += adoptionCandidates(for: object, owners: owners)
        }
        var seen = Set<String>()
        return keys.filter { seen.insert($0).inserted }
    }
}
