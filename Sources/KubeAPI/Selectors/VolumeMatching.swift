/// Which PersistentVolume may satisfy a claim (upstream `volume.FindMatchingVolume`): same storage class (no class
/// and `""` are the same), same volume mode, every requested access mode offered, enough capacity, the claim's
/// selector matching the volume's labels, and either free or pre-bound to exactly this claim. The smallest such
/// volume wins, so a large volume is not spent on a small claim; a volume pre-bound to the claim wins outright.
public enum VolumeMatching {
    public static let selectedNodeAnnotation = "volume.kubernetes.io/selected-node"
    public static let bindCompletedAnnotation = "pv.kubernetes.io/bind-completed"
    public static let boundByControllerAnnotation = "pv.kubernetes.io/bound-by-controller"
    public static let provisionedByAnnotation = "pv.kubernetes.io/provisioned-by"
    public static let storageProvisionerAnnotation = "volume.kubernetes.io/storage-provisioner"
    public static let betaStorageProvisionerAnnotation = "volume.beta.kubernetes.io/storage-provisioner"

    /// `spec.storageClassName`, "" when absent.
    public static func storageClass(_ object: JSONValue) -> String { object[path: ["spec", "storageClassName"]]?.string ?? "" }

    /// The storage a claim requests; zero when unparsable (validation rejects those).
    public static func requested(_ claim: JSONValue) -> Quantity {
        claim[path: ["spec", "resources", "requests", "storage"]].flatMap { try? Quantity(json: $0) } ?? Quantity(0)
    }

    /// A volume's capacity; nil when missing or unparsable.
    public static func capacity(_ volume: JSONValue) -> Quantity? {
        volume[path: ["spec", "capacity", "storage"]].flatMap { try? Quantity(json: $0) }
    }

    /// Whether a volume's claimRef names this claim (by uid when the reference carries one).
    public static func isBound(_ volume: JSONValue, to claim: JSONValue) -> Bool {
        guard let ref = volume[path: ["spec", "claimRef"]], ref["name"]?.string == claim.metadata.name,
              ref["namespace"]?.string == claim.metadata.namespace else { return false }
        let uid = ref["uid"]?.string ?? ""
        return uid.isEmpty || uid == claim.metadata.uid
    }

    /// Whether the volume could serve the claim, ignoring who holds it.
    public static func fits(_ volume: JSONValue, _ claim: JSONValue) -> Bool {
        guard storageClass(volume) == storageClass(claim), !volume.metadata.isBeingDeleted else { return false }
        let mode = { (object: JSONValue) in object[path: ["spec", "volumeMode"]]?.string ?? "Filesystem" }
        guard mode(volume) == mode(claim) else { return false }
        let offered = Set((volume[path: ["spec", "accessModes"]]?.array ?? []).compactMap(\.string))
        let wanted = (claim[path: ["spec", "accessModes"]]?.array ?? []).compactMap(\.string)
        guard wanted.allSatisfy(offered.contains) else { return false }
        guard let capacity = capacity(volume), capacity >= requested(claim) else { return false }
        if let selector = claim[path: ["spec", "selector"]], !selector.isNull {
            guard let parsed = try? LabelSelector(apiSelector: selector), parsed.matches(object: volume) else { return false }
        }
        return true
    }

    /// The best volume for a claim among `volumes`; `node`, when given, must satisfy the volume's node affinity
    /// (a WaitForFirstConsumer claim whose pod was placed there).
    public static func best(for claim: JSONValue, among volumes: [JSONValue], node: JSONValue?) -> JSONValue? {
        var best: JSONValue?
        for volume in volumes where fits(volume, claim) {
            let ref = volume[path: ["spec", "claimRef"]]
            let free = ref == nil || ref?.isNull == true
            guard free || isBound(volume, to: claim) else { continue }
            let phase = volume[path: ["status", "phase"]]?.string ?? ""
            guard phase != "Released", phase != "Failed" else { continue }
            if let node, !matchesNodeAffinity(volume, node: node) { continue }
            if !free { return volume }
            if let current = best, let have = capacity(current), let offered = capacity(volume), have <= offered { continue }
            best = volume
        }
        return best
    }

    /// The volume's required node affinity against a Node (any term matches); volumes without one fit anywhere.
    public static func matchesNodeAffinity(_ volume: JSONValue, node: JSONValue) -> Bool {
        guard let terms = volume[path: ["spec", "nodeAffinity", "required", "nodeSelectorTerms"]]?.array else { return true }
        return NodeSelectorTerms.matchAny(terms, labels: node.metadata.labels, name: node.metadata.name)
    }
}
