import KubeAPI

/// The annotations a Deployment keeps on its ReplicaSets (upstream `SetNewReplicaSetAnnotations`,
/// `SetReplicasAnnotations`, `copyDeploymentAnnotationsToReplicaSet`).
public enum ReplicaSetAnnotations {
    /// Copies the Deployment's annotations (except `DeploymentNames.notCopied`) onto the ReplicaSet; returns
    /// whether anything changed.
    /// - Parameters:
    ///   - deployment: the Deployment.
    ///   - rs: the ReplicaSet to edit.
    @discardableResult
    public static func copyFromDeployment(_ deployment: JSONValue, to rs: inout JSONValue) -> Bool {
        var annotations = rs.metadata.annotations
        var changed = false
        for (key, value) in deployment.metadata.annotations where !DeploymentNames.notCopied.contains(key) && annotations[key] != value {
            annotations[key] = value
            changed = true
        }
        if changed { rs.metadata.annotations = annotations }
        return changed
    }

    /// Sets `desired-replicas` and `max-replicas`; returns whether either changed.
    /// - Parameters:
    ///   - rs: the ReplicaSet to edit.
    ///   - desired: the Deployment's `spec.replicas`.
    ///   - max: `spec.replicas + maxSurge`.
    @discardableResult
    public static func setReplicas(_ rs: inout JSONValue, desired: Int, max: Int) -> Bool {
        var annotations = rs.metadata.annotations
        var changed = false
        for (key, value) in [(DeploymentNames.desiredReplicas, String(desired)), (DeploymentNames.maxReplicas, String(max))]
        where annotations[key] != value {
            annotations[key] = value
            changed = true
        }
        if changed { rs.metadata.annotations = annotations }
        return changed
    }

    /// Whether `setReplicas` would change anything.
    public static func replicasNeedUpdate(_ rs: JSONValue, desired: Int, max: Int) -> Bool {
        let annotations = rs.metadata.annotations
        return annotations[DeploymentNames.desiredReplicas] != String(desired) || annotations[DeploymentNames.maxReplicas] != String(max)
    }

    /// Upstream `SetNewReplicaSetAnnotations`: copy the Deployment's annotations, raise the revision to
    /// `newRevision` when it is lower (remembering the old one in `revision-history`, which is how a rolled-back-to
    /// ReplicaSet keeps its past), and for a ReplicaSet about to be created also set the replicas annotations.
    /// - Parameters:
    ///   - deployment: the Deployment.
    ///   - rs: the new ReplicaSet to edit.
    ///   - newRevision: max old revision + 1.
    ///   - exists: false when the ReplicaSet is about to be created.
    public static func setNewReplicaSetAnnotations(_ deployment: JSONValue, _ rs: inout JSONValue, newRevision: Int64, exists: Bool) -> Bool {
        var changed = copyFromDeployment(deployment, to: &rs)
        var annotations = rs.metadata.annotations
        let oldText = annotations[DeploymentNames.revision]
        let oldRevision: Int64
        if let oldText, !oldText.isEmpty {
            guard let parsed = Int64(oldText) else { return false }
            oldRevision = parsed
        } else {
            oldRevision = 0
        }
        if oldRevision < newRevision {
            annotations[DeploymentNames.revision] = String(newRevision)
            changed = true
            if let oldText {
                let history = annotations[DeploymentNames.revisionHistory] ?? ""
                if history.isEmpty {
                    annotations[DeploymentNames.revisionHistory] = oldText
                } else {
                    var entries = history.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                    var total = history.count + oldText.count + 1
                    var start = 0
                    while total > DeploymentNames.maxRevisionHistoryLength && start < entries.count {
                        total -= entries[start].count + 1
                        start += 1
                    }
                    if total <= DeploymentNames.maxRevisionHistoryLength {
                        entries = Array(entries[start...]) + [oldText]
                        annotations[DeploymentNames.revisionHistory] = entries.joined(separator: ",")
                    }
                }
            }
        }
        rs.metadata.annotations = annotations
        if !exists {
            let desired = DeploymentMath.replicas(deployment)
            if setReplicas(&rs, desired: desired, max: desired + DeploymentMath.maxSurge(deployment)) { changed = true }
        }
        return changed
    }
}
