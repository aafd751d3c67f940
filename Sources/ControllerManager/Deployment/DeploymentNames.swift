/// The annotation, label and condition names the deployment controller writes (upstream `deploymentutil`
/// constants); `kubectl rollout` reads the same names.
public enum DeploymentNames {
    /// The revision of a ReplicaSet, copied to its Deployment.
    public static let revision = "deployment.kubernetes.io/revision"
    /// Earlier revisions a ReplicaSet had before a rollback made it current again.
    public static let revisionHistory = "deployment.kubernetes.io/revision-history"
    /// `spec.replicas` of the Deployment when it last scaled the ReplicaSet.
    public static let desiredReplicas = "deployment.kubernetes.io/desired-replicas"
    /// `spec.replicas + maxSurge` at that time: the denominator of proportional scaling.
    public static let maxReplicas = "deployment.kubernetes.io/max-replicas"
    /// The label that keeps each ReplicaSet's pods apart.
    public static let podTemplateHash = "pod-template-hash"
    /// Deployment annotations never copied to ReplicaSets (upstream `annotationsToSkip`).
    public static let notCopied: Set<String> = [
        "kubectl.kubernetes.io/last-applied-configuration", revision, revisionHistory, desiredReplicas, maxReplicas,
        "deprecated.deployment.rollback.to",
    ]
    /// Longest `revision-history` annotation kept (upstream `maxRevHistoryLengthInChars`).
    public static let maxRevisionHistoryLength = 2000

    /// Progressing reasons.
    public static let newReplicaSetCreated = "NewReplicaSetCreated"
    public static let foundNewReplicaSet = "FoundNewReplicaSet"
    public static let replicaSetUpdated = "ReplicaSetUpdated"
    public static let newReplicaSetAvailable = "NewReplicaSetAvailable"
    public static let progressDeadlineExceeded = "ProgressDeadlineExceeded"
    public static let deploymentPaused = "DeploymentPaused"
    public static let deploymentResumed = "DeploymentResumed"
    public static let replicaSetCreateError = "ReplicaSetCreateError"
    /// Available reasons.
    public static let minimumReplicasAvailable = "MinimumReplicasAvailable"
    public static let minimumReplicasUnavailable = "MinimumReplicasUnavailable"
}
