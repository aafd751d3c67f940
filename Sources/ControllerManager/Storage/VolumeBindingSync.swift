import KubeAPI
import Manifests

/// What one sync of a claim or a volume decided: writes in order (each object's spec before its status) and
/// events about the claim or volume.
public struct VolumeBindingPlan: Sendable, Hashable {
    public var actions: [ControllerAction] = []
    public var events: [ControllerEvent] = []
}

/// The PersistentVolume controller's decisions (upstream `pv_controller.go`, `syncClaim` and `syncVolume`):
/// binds each claim to the smallest fitting volume, or has one provisioned, completes bindings a user pre-bound on
/// either side, keeps the phases (Available, Bound, Released, Failed; Pending, Bound, Lost) true, and reclaims
/// volumes whose claim is gone (Retain keeps them Released; Delete deletes what the local-path provisioner made).
///
/// WaitForFirstConsumer claims are left alone until the scheduler has placed their first pod and written the
/// `volume.kubernetes.io/selected-node` annotation; then a fitting volume whose node affinity admits that node is
/// bound, or the local-path provisioner makes one there. (Upstream the scheduler itself pre-binds static volumes
/// for such claims; here the scheduler only picks the node and this controller binds, with the same outcome.)
public struct VolumeBindingSync: Sendable {
    public init() {}

    // MARK: - Claims

    /// - Parameters:
    ///   - claim: the claim.
    ///   - volumes: every PersistentVolume.
    ///   - classes: StorageClasses by name.
    ///   - nodes: Nodes by name (for the selected node's labels).
    public func syncClaim(_ claim: JSONValue, volumes: [JSONValue], classes: [String: JSONValue], nodes: [String: JSONValue]) -> VolumeBindingPlan {
        var plan = VolumeBindingPlan()
        guard !claim.metadata.isBeingDeleted else { return plan }
        let volumeName = claim[path: ["spec", "volumeName"]]?.string ?? ""
        if volumeName.isEmpty {
            syncUnboundClaim(&plan, claim, volumes: volumes, classes: classes, nodes: nodes)
            return plan
        }
        guard let volume = volumes.first(where: { $0.metadata.name == volumeName }) else {
            if claim.metadata.annotations[VolumeMatching.bindCompletedAnnotation] != nil {
                setClaimPhase(&plan, claim, "Lost")
                plan.events.append(ControllerEvent("Warning", reason: "ClaimLost", message: "Bound claim has lost its PersistentVolume. Data on the volume is lost!"))
            } else {
                setClaimPhase(&plan, claim, "Pending")
            }
            return plan
        }
        let ref = volume[path: ["spec", "claimRef"]]
        if ref == nil || ref?.isNull == true {
            // The user pre-bound the claim to a free volume: bind the volume to it.
            guard VolumeMatching.fits(volume, claim) else {
                plan.events.append(ControllerEvent("Warning", reason: "FailedBinding", message: "volume \"\(volumeName)\" does not fit the claim"))
                setClaimPhase(&plan, claim, "Pending")
                return plan
            }
            bind(&plan, volume: volume, claim: claim, byController: false)
        } else if VolumeMatching.isBound(volume, to: claim) {
            bind(&plan, volume: volume, claim: claim, byController: claim.metadata.annotations[VolumeMatching.boundByControllerAnnotation] == "yes")
        } else if claim.metadata.annotations[VolumeMatching.bindCompletedAnnotation] != nil {
            setClaimPhase(&plan, claim, "Lost")
            plan.events.append(ControllerEvent("Warning", reason: "ClaimMisbound", message: "Two claims are bound to the same volume, this one is bound incorrectly"))
        } else {
            plan.events.append(ControllerEvent("Warning", reason: "FailedBinding", message: "volume \"\(volumeName)\" already bound to a different claim."))
            setClaimPhase(&plan, claim, "Pending")
        }
        return plan
    }

    private func syncUnboundClaim(_ plan: inout VolumeBindingPlan, _ claim: JSONValue, volumes: [JSONValue], classes: [String: JSONValue],
                                  nodes: [String: JSONValue]) {
        let className = VolumeMatching.storageClass(claim)
        let storageClass = className.isEmpty ? nil : classes[className]
        let delayed = storageClass?["volumeBindingMode"]?.string == "WaitForFirstConsumer"
        let selected = claim.metadata.annotations[VolumeMatching.selectedNodeAnnotation]
        var binding = false
        defer {
            // An unbound claim is Pending; after an annotation write the status goes without a resourceVersion.
            if !binding { setClaimPhase(&plan, claim, "Pending", unconditional: !plan.actions.isEmpty) }
        }
        if delayed && selected == nil {
            plan.events.append(ControllerEvent(reason: "WaitForFirstConsumer", message: "waiting for first consumer to be created before binding"))
            return
        }
        let node = selected.flatMap { nodes[$0] }
        if delayed && node == nil {
            plan.events.append(ControllerEvent("Warning", reason: "ProvisioningFailed", message: "selected node \"\(selected ?? "")\" does not exist"))
            return
        }
        if let volume = VolumeMatching.best(for: claim, among: volumes, node: node) {
            binding = true
            bind(&plan, volume: volume, claim: claim, byController: true)
            return
        }
        guard !className.isEmpty else {
            plan.events.append(ControllerEvent(reason: "FailedBinding", message: "no persistent volumes available for this claim and no storage class is set"))
            return
        }
        guard let storageClass else {
            plan.events.append(ControllerEvent("Warning", reason: "ProvisioningFailed", message: "storageclass.storage.k8s.io \"\(className)\" not found"))
            return
        }
        let provisioner = storageClass["provisioner"]?.string ?? ""
        if claim.metadata.annotations[VolumeMatching.storageProvisionerAnnotation] != provisioner {
            var annotated = claim
            annotated.metadata.annotations[VolumeMatching.storageProvisionerAnnotation] = provisioner
            annotated.metadata.annotations[VolumeMatching.betaStorageProvisionerAnnotation] = provisioner
            plan.actions.append(.update(annotated))
        }
        guard provisioner == WellKnown.localPathProvisioner else {
            plan.events.append(ControllerEvent(reason: "ExternalProvisioning", message: "Waiting for a volume to be created either by the external provisioner "
                + "'\(provisioner)' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered."))
            return
        }
        if let refusal = LocalPathVolume.refusal(claim, storageClass: storageClass) {
            plan.events.append(ControllerEvent("Warning", reason: "ProvisioningFailed", message: refusal))
            return
        }
        guard let node else { return }
        plan.actions.append(.create(LocalPathVolume.volume(for: claim, storageClass: storageClass, node: node)))
        plan.events.append(ControllerEvent(reason: "Provisioning", message: "External provisioner is provisioning volume for claim "
            + "\"\(claim.metadata.namespace ?? "")/\(claim.metadata.name ?? "")\""))
        plan.events.append(ControllerEvent(reason: "ProvisioningSucceeded", message: "Successfully provisioned volume \(LocalPathVolume.name(for: claim))"))
    }

    /// Upstream `bind`: the volume's claimRef (and its phase), then the claim's volumeName, annotations, phase,
    /// capacity and access modes. Each status write follows its object's spec write, so it is sent without a
    /// resourceVersion (the status subresource changes nothing else).
    private func bind(_ plan: inout VolumeBindingPlan, volume: JSONValue, claim: JSONValue, byController: Bool) {
        var volume = volume
        let ref: JSONValue = ["apiVersion": "v1", "kind": "PersistentVolumeClaim", "namespace": .string(claim.metadata.namespace ?? "default"),
                              "name": .string(claim.metadata.name ?? ""), "uid": .string(claim.metadata.uid ?? ""),
                              "resourceVersion": .string(claim.metadata.resourceVersion ?? "")]
        let held = volume[path: ["spec", "claimRef"]]
        if held?["uid"]?.string != claim.metadata.uid {
            volume[path: ["spec", "claimRef"]] = ref
            if byController && (held == nil || held?.isNull == true) {
                volume.metadata.annotations[VolumeMatching.boundByControllerAnnotation] = "yes"
            }
            plan.actions.append(.update(volume))
        }
        if volume[path: ["status", "phase"]]?.string != "Bound" {
            var status = volume
            status.metadata.resourceVersion = nil
            status["status"] = ["phase": "Bound"]
            plan.actions.append(.updateStatus(status))
        }
        var bound = claim
        bound[path: ["spec", "volumeName"]] = .string(volume.metadata.name ?? "")
        bound.metadata.annotations[VolumeMatching.bindCompletedAnnotation] = "yes"
        if byController { bound.metadata.annotations[VolumeMatching.boundByControllerAnnotation] = "yes" }
        if bound != claim {
            plan.actions.append(.update(bound))
            bound.metadata.resourceVersion = nil
        }
        var status = claim["status"] ?? .emptyObject
        status["phase"] = "Bound"
        status["accessModes"] = volume[path: ["spec", "accessModes"]]
        status["capacity"] = volume[path: ["spec", "capacity"]]
        if status != claim["status"] {
            bound["status"] = status
            plan.actions.append(.updateStatus(bound))
            if claim[path: ["status", "phase"]]?.string != "Bound" {
                plan.events.append(ControllerEvent(reason: "Bound", message: "bound to volume \"\(volume.metadata.name ?? "")\""))
            }
        }
    }

    private func setClaimPhase(_ plan: inout VolumeBindingPlan, _ claim: JSONValue, _ phase: String, unconditional: Bool = false) {
        guard claim[path: ["status", "phase"]]?.string != phase else { return }
        var updated = claim
        if unconditional { updated.metadata.resourceVersion = nil }
        updated[path: ["status", "phase"]] = .string(phase)
        plan.actions.append(.updateStatus(updated))
    }

    // MARK: - Volumes

    /// - Parameters:
    ///   - volume: the volume.
    ///   - claims: every claim (of all namespaces).
    ///   - cleanupPods: the local-path cleanup helper pods.
    ///   - nodes: Nodes by name.
    public func syncVolume(_ volume: JSONValue, claims: [JSONValue], cleanupPods: [JSONValue] = [], nodes: [String: JSONValue] = [:]) -> VolumeBindingPlan {
        var plan = VolumeBindingPlan()
        guard !volume.metadata.isBeingDeleted else { return plan }
        let ref = volume[path: ["spec", "claimRef"]]
        guard let ref, !ref.isNull else {
            setVolumePhase(&plan, volume, "Available")
            return plan
        }
        let claim = claims.first { $0.metadata.namespace == ref["namespace"]?.string && $0.metadata.name == ref["name"]?.string }
        let uid = ref["uid"]?.string ?? ""
        if uid.isEmpty {
            // Pre-bound by a user to a claim that has not been bound yet.
            setVolumePhase(&plan, volume, "Available")
            return plan
        }
        guard let claim, claim.metadata.uid == uid else {
            reclaim(&plan, volume, cleanupPods: cleanupPods, nodes: nodes)
            return plan
        }
        let claimVolume = claim[path: ["spec", "volumeName"]]?.string ?? ""
        if claimVolume.isEmpty { return plan }
        if claimVolume == volume.metadata.name {
            setVolumePhase(&plan, volume, "Bound")
        } else if volume.metadata.annotations[VolumeMatching.boundByControllerAnnotation] == "yes" {
            // This controller bound the volume to a claim that then bound elsewhere: free it again.
            var unbound = volume
            unbound[path: ["spec", "claimRef"]] = nil
            unbound.metadata.annotations[VolumeMatching.boundByControllerAnnotation] = nil
            plan.actions.append(.update(unbound))
        } else {
            reclaim(&plan, volume, cleanupPods: cleanupPods, nodes: nodes)
        }
        return plan
    }

    /// The claim is gone: Released, then the reclaim policy. A local-path volume is deleted once its cleanup pod
    /// has removed the directory on its node (at once when that node no longer exists).
    private func reclaim(_ plan: inout VolumeBindingPlan, _ volume: JSONValue, cleanupPods: [JSONValue], nodes: [String: JSONValue]) {
        let phase = volume[path: ["status", "phase"]]?.string ?? ""
        if phase == "Failed" { return }
        let name = volume.metadata.name ?? ""
        switch volume[path: ["spec", "persistentVolumeReclaimPolicy"]]?.string ?? "Retain" {
        case "Delete" where LocalPathVolume.isProvisioned(volume):
            setVolumePhase(&plan, volume, "Released")
            let helper = cleanupPods.first { pod in
                pod.metadata.name == LocalPathCleanup.podName(volume) && pod.metadata.ownerReferences.contains { $0.uid == volume.metadata.uid }
            }
            switch helper.map({ PodView($0).phase }) {
            case nil:
                guard let node = LocalPathCleanup.node(of: volume, nodes: nodes) else {
                    plan.actions.append(.delete(ObjectRef(volume, kind: .persistentVolume)))
                    plan.events.append(ControllerEvent(reason: "VolumeDelete", message: "deleted volume \(name): its node is gone, so is its directory"))
                    return
                }
                plan.actions.append(.create(LocalPathCleanup.pod(for: volume, node: node.metadata.name ?? "")))
            case "Succeeded":
                plan.actions.append(.delete(ObjectRef(volume, kind: .persistentVolume)))
                plan.events.append(ControllerEvent(reason: "VolumeDelete", message: "deleted volume \(name) and its directory: its claim is gone and its reclaim policy is Delete"))
            case "Failed":
                let node = helper?[path: ["spec", "nodeName"]]?.string ?? ""
                plan.actions.removeAll { if case .updateStatus = $0 { true } else { false } }
                setVolumePhase(&plan, volume, "Failed", message: "removing the volume directory on node \(node) failed; see `kubectl logs -n kube-system \(LocalPathCleanup.podName(volume))`")
                plan.events.append(ControllerEvent("Warning", reason: "VolumeFailedDelete", message: "cleanup pod \(LocalPathCleanup.podName(volume)) failed"))
            default:
                break
            }
        case "Delete":
            setVolumePhase(&plan, volume, "Failed", message: "error getting deleter volume plugin for volume \"\(name)\": no deletable volume plugin matched")
            plan.events.append(ControllerEvent("Warning", reason: "VolumeFailedDelete", message: "no deletable volume plugin matched; delete the volume by hand"))
        case "Recycle":
            setVolumePhase(&plan, volume, "Failed", message: "recycling is deprecated and not supported; use Retain or Delete")
            plan.events.append(ControllerEvent("Warning", reason: "VolumeFailedRecycle", message: "recycling is not supported"))
        default:
            setVolumePhase(&plan, volume, "Released")
        }
    }

    private func setVolumePhase(_ plan: inout VolumeBindingPlan, _ volume: JSONValue, _ phase: String, message: String? = nil) {
        guard volume[path: ["status", "phase"]]?.string != phase else { return }
        var updated = volume
        updated["status"] = ["phase": .string(phase)]
        if let message { updated[path: ["status", "message"]] = .string(message) }
        plan.actions.append(.updateStatus(updated))
    }
}
