import KubeAPI

/// What the VolumeBinding filter knows of a pod's claims (upstream's PreFilter state), read from the claim, volume
/// and StorageClass caches once per attempt.
public struct PodVolumes: Sendable {
    /// A claim bound to a volume: the volume's required node affinity terms (nil: any node).
    public struct Bound: Sendable {
        public var claim: String
        public var terms: [JSONValue]?
    }

    /// A WaitForFirstConsumer claim that is not bound yet.
    public struct Delayed: Sendable {
        public var claim: JSONValue
        /// The class's provisioner ("" or `kubernetes.io/no-provisioner`: only existing volumes can serve it).
        public var provisioner: String
        /// Free volumes that fit the claim, to check their node affinity per node.
        public var candidates: [JSONValue]

        var canProvision: Bool { !provisioner.isEmpty && provisioner != "kubernetes.io/no-provisioner" }
        public var name: String { claim.metadata.name ?? "" }
    }

    /// Claims the pod names that do not exist.
    public var missing: [String] = []
    /// Claims being deleted.
    public var deleting: [String] = []
    /// Unbound claims of Immediate classes: the volume binder must bind them before the pod can go anywhere.
    public var unboundImmediate: [String] = []
    public var bound: [Bound] = []
    public var delayed: [Delayed] = []

    public init() {}

    /// Reads the pod's claims from the caches.
    /// - Parameters:
    ///   - claimNames: the pod's `persistentVolumeClaim` volumes.
    ///   - namespace: the pod's namespace.
    ///   - claim: a claim by namespace and name.
    ///   - volumes: every PersistentVolume.
    ///   - storageClass: a StorageClass by name.
    public init(claimNames: [String], namespace: String, claim: (String, String) -> JSONValue?, volumes: [JSONValue],
                storageClass: (String) -> JSONValue?) {
        for name in claimNames {
            guard let object = claim(namespace, name) else { missing.append(name); continue }
            if object.metadata.isBeingDeleted { deleting.append(name); continue }
            let volumeName = object[path: ["spec", "volumeName"]]?.string ?? ""
            if !volumeName.isEmpty {
                let volume = volumes.first { $0.metadata.name == volumeName }
                bound.append(Bound(claim: name, terms: volume?[path: ["spec", "nodeAffinity", "required", "nodeSelectorTerms"]]?.array))
                continue
            }
            let className = VolumeMatching.storageClass(object)
            let storageClass = className.isEmpty ? nil : storageClass(className)
            guard storageClass?["volumeBindingMode"]?.string == "WaitForFirstConsumer" else {
                unboundImmediate.append(name)
                continue
            }
            let free = volumes.filter { volume in
                let ref = volume[path: ["spec", "claimRef"]]
                return (ref == nil || ref?.isNull == true || VolumeMatching.isBound(volume, to: object)) && VolumeMatching.fits(volume, object)
                    && (volume[path: ["status", "phase"]]?.string ?? "Available") == "Available"
            }
            delayed.append(Delayed(claim: object, provisioner: storageClass?["provisioner"]?.string ?? "", candidates: free))
        }
    }

    /// Whether the pod needs volume work before it is bound (a claim to provision or bind on the chosen node).
    public var needsBinding: Bool { !delayed.isEmpty }
}

/// Upstream's VolumeBinding filter: a pod whose claims are missing or unbound (Immediate) fits nowhere yet; a bound
/// volume's node affinity must admit the node; a WaitForFirstConsumer claim needs a provisioner or a free fitting
/// volume whose node affinity admits the node. Upstream's messages.
public enum VolumeBinding {
    public static func filter(_ volumes: PodVolumes) -> FilterPlugin {
        FilterPlugin(name: "VolumeBinding") { _, node in
            if let name = volumes.missing.first { return [FilterFailure("persistentvolumeclaim \"\(name)\" not found")] }
            if let name = volumes.deleting.first { return [FilterFailure("persistentvolumeclaim \"\(name)\" is being deleted")] }
            if !volumes.unboundImmediate.isEmpty { return [FilterFailure("pod has unbound immediate PersistentVolumeClaims")] }
            for bound in volumes.bound {
                if let terms = bound.terms, !NodeSelectorTerms.matchAny(terms, labels: node.labels, name: node.name) {
                    return [FilterFailure("node(s) had volume node affinity conflict")]
                }
            }
            for claim in volumes.delayed where !claim.canProvision {
                let available = claim.candidates.contains { volume in
                    guard let terms = volume[path: ["spec", "nodeAffinity", "required", "nodeSelectorTerms"]]?.array else { return true }
                    return NodeSelectorTerms.matchAny(terms, labels: node.labels, name: node.name)
                }
                if !available { return [FilterFailure("node(s) didn't find available persistent volumes to bind")] }
            }
            return []
        }
    }
}
