import KubeAPI

/// ControllerRevisions of a DaemonSet (upstream `constructHistory`, `snapshot`, `Match`, `cleanupHistory`): each
/// distinct template is stored once as `<daemonset>-<hash>` with a revision number, and pods carry the hash.
/// StatefulSets keep their history the same way (their data is the same template patch), so `snapshot` and
/// `construct` take the owner's kind.
public enum DaemonSetHistory {
    /// The revision data: a strategic merge patch that restores the template (upstream `getPatch`).
    /// - Parameters:
    ///   - daemonSet: the DaemonSet.
    public static func patchData(_ daemonSet: JSONValue) -> JSONValue {
        var template = daemonSet[path: ["spec", "template"]] ?? .emptyObject
        template["$patch"] = "replace"
        return ["spec": ["template": template]]
    }

    /// Whether a revision stores the DaemonSet's current template.
    /// - Parameters:
    ///   - daemonSet: the DaemonSet.
    ///   - revision: a ControllerRevision.
    public static func matches(_ daemonSet: JSONValue, _ revision: JSONValue) -> Bool {
        revision["data"] == patchData(daemonSet)
    }

    /// A new revision of the current template.
    /// - Parameters:
    ///   - daemonSet: the DaemonSet.
    ///   - number: its revision number.
    ///   - kind: the owner's type (a DaemonSet or a StatefulSet).
    public static func snapshot(_ daemonSet: JSONValue, number: Int64, kind: ResourceKind = .daemonSet) -> JSONValue {
        let collisionCount = daemonSet[path: ["status", "collisionCount"]]?.int64.flatMap { Int32(exactly: $0) }
        let hash = TemplateHash.compute(daemonSet[path: ["spec", "template"]] ?? .emptyObject, collisionCount: collisionCount)
        var meta = ObjectMetaView()
        meta.name = (daemonSet.metadata.name ?? "") + "-" + hash
        meta.namespace = daemonSet.metadata.namespace
        var labels = (daemonSet[path: ["spec", "template"]] ?? .emptyObject).metadata.labels
        labels[DaemonPods.revisionHashLabel] = hash
        meta.labels = labels
        meta.annotations = daemonSet.metadata.annotations
        meta.ownerReferences = [ControllerRef.new(owner: daemonSet, kind: kind)]
        var revision: JSONValue = ["apiVersion": "apps/v1", "kind": "ControllerRevision"]
        revision.metadata = meta
        revision["data"] = patchData(daemonSet)
        revision["revision"] = .integer(number)
        return revision
    }

    /// `revision`, 0 when absent.
    public static func number(_ revision: JSONValue) -> Int64 { revision["revision"]?.int64 ?? 0 }

    /// The current revision's hash and the writes that bring the history in line.
    public struct Outcome: Sendable, Hashable {
        /// The current revision (as it will be after the writes).
        public var current: JSONValue?
        /// The revisions of earlier templates.
        public var old: [JSONValue]
        /// Creates, updates and deletes of revisions, and relabels of pods of deduplicated revisions.
        public var actions: [ControllerAction]
        /// Set when a revision of the same name but another template exists: `status.collisionCount` must be
        /// bumped (this is the new value) and the sync retried.
        public var collisionCount: Int64?

        /// The current hash ("" when there is no current revision).
        public var hash: String { current?.metadata.labels[DaemonPods.revisionHashLabel] ?? "" }
    }

    /// Upstream `constructHistory`.
    /// - Parameters:
    ///   - daemonSet: the DaemonSet.
    ///   - owned: the revisions it owns (after claiming).
    ///   - namespaceRevisions: every revision in the namespace, to detect name collisions.
    ///   - pods: the DaemonSet's pods, to relabel when duplicate revisions are merged.
    ///   - kind: the owner's type.
    public static func construct(_ daemonSet: JSONValue, owned: [JSONValue], namespaceRevisions: [JSONValue], pods: [JSONValue],
                                 kind: ResourceKind = .daemonSet) -> Outcome {
        var outcome = Outcome(current: nil, old: [], actions: [], collisionCount: nil)
        var currents: [JSONValue] = []
        for var revision in owned {
            if revision.metadata.labels[DaemonPods.revisionHashLabel] == nil {
                // Older revisions lack the label; the name is the hash, which avoids recomputing it.
                revision.metadata.labels[DaemonPods.revisionHashLabel] = revision.metadata.name ?? ""
                outcome.actions.append(.update(revision))
            }
            if matches(daemonSet, revision) { currents.append(revision) } else { outcome.old.append(revision) }
        }
        let next = (outcome.old.map(number).max() ?? 0) + 1
        if currents.isEmpty {
            let created = snapshot(daemonSet, number: next, kind: kind)
            if let existing = namespaceRevisions.first(where: { $0.metadata.name == created.metadata.name }) {
                if matches(daemonSet, existing) {
                    outcome.current = existing
                } else {
                    outcome.collisionCount = (daemonSet[path: ["status", "collisionCount"]]?.int64 ?? 0) + 1
                }
                return outcome
            }
            outcome.actions.append(.create(created))
            outcome.current = created
            return outcome
        }
        // Upstream `dedupCurHistories`: keep the last of the highest-numbered duplicates, relabel every pod whose
        // hash differs from it (upstream relabels all such pods, not only those of the duplicates), then delete
        // the other duplicates.
        var keep = currents[0]
        for candidate in currents where number(candidate) >= number(keep) { keep = candidate }
        if currents.count > 1 {
            let keepHash = keep.metadata.labels[DaemonPods.revisionHashLabel] ?? ""
            for pod in pods where pod.metadata.labels[DaemonPods.revisionHashLabel] != keepHash {
                outcome.actions.append(.patch(ObjectRef(pod, kind: .pod), .merge,
                                              ["metadata": ["labels": [DaemonPods.revisionHashLabel: .string(keepHash)]]]))
            }
            for duplicate in currents where duplicate.metadata.name != keep.metadata.name {
                outcome.actions.append(.delete(ObjectRef(duplicate, kind: .controllerRevision)))
            }
        }
        if number(keep) < next {
            keep["revision"] = .integer(next)
            outcome.actions.append(.update(keep))
        }
        outcome.current = keep
        return outcome
    }

    /// Upstream `cleanupHistory`: delete the oldest old revisions beyond `revisionHistoryLimit` (default 10)
    /// whose hash no pod carries any more.
    /// - Parameters:
    ///   - daemonSet: the DaemonSet.
    ///   - old: the old revisions.
    ///   - pods: all its pods, deleted terminal ones included.
    public static func cleanup(_ daemonSet: JSONValue, old: [JSONValue], pods: [JSONValue]) -> [ControllerAction] {
        let keep = daemonSet[path: ["spec", "revisionHistoryLimit"]]?.int ?? 10
        var toKill = old.count - keep
        guard toKill > 0 else { return [] }
        let live = Set(pods.compactMap { $0.metadata.labels[DaemonPods.revisionHashLabel] }.filter { !$0.isEmpty })
        var actions: [ControllerAction] = []
        for revision in old.sorted(by: { number($0) < number($1) }) {
            if toKill <= 0 { break }
            if live.contains(revision.metadata.labels[DaemonPods.revisionHashLabel] ?? "") { continue }
            actions.append(.delete(ObjectRef(revision, kind: .controllerRevision)))
            toKill -= 1
        }
        return actions
    }
}
