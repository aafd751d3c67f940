import KubeAPI
import Manifests
import Testing
@testable import ControllerManager

/// The volume binder's decisions: smallest fitting volume, pre-binding, WaitForFirstConsumer provisioning by the
/// local-path provisioner, phases and reclaim policies.
struct VolumeBindingTests {
    static func claim(_ name: String = "data", storage: String = "1Gi", className: String? = "local-path", selectedNode: String? = nil,
                      volumeName: String? = nil, phase: String = "Pending") -> JSONValue {
        var claim: JSONValue = ["apiVersion": "v1", "kind": "PersistentVolumeClaim",
                                "metadata": ["name": .string(name), "namespace": "default", "uid": .string("uid-" + name), "resourceVersion": "5"],
                                "spec": ["accessModes": ["ReadWriteOnce"], "resources": ["requests": ["storage": .string(storage)]],
                                         "volumeMode": "Filesystem"],
                                "status": ["phase": .string(phase)]]
        if let className { claim[path: ["spec", "storageClassName"]] = .string(className) }
        if let selectedNode { claim.metadata.annotations[VolumeMatching.selectedNodeAnnotation] = selectedNode }
        if let volumeName { claim[path: ["spec", "volumeName"]] = .string(volumeName) }
        return claim
    }

    static func volume(_ name: String, storage: String, className: String = "manual", claimRef: JSONValue? = nil,
                       phase: String = "Available", policy: String = "Retain") -> JSONValue {
        var volume: JSONValue = ["apiVersion": "v1", "kind": "PersistentVolume",
                                 "metadata": ["name": .string(name), "uid": .string("uid-" + name), "resourceVersion": "3"],
                                 "spec": ["capacity": ["storage": .string(storage)], "accessModes": ["ReadWriteOnce"],
                                          "storageClassName": .string(className), "volumeMode": "Filesystem",
                                          "persistentVolumeReclaimPolicy": .string(policy), "hostPath": ["path": "/srv/x"]],
                                 "status": ["phase": .string(phase)]]
        if let claimRef { volume[path: ["spec", "claimRef"]] = claimRef }
        return volume
    }

    static let localPath: JSONValue = ["apiVersion": "storage.k8s.io/v1", "kind": "StorageClass", "metadata": ["name": "local-path"],
                                       "provisioner": .string(WellKnown.localPathProvisioner), "reclaimPolicy": "Delete",
                                       "volumeBindingMode": "WaitForFirstConsumer"]
    static let node: JSONValue = ["apiVersion": "v1", "kind": "Node", "metadata": ["name": "w1", "labels": ["kubernetes.io/hostname": "w1"]]]

    static func updates(_ plan: VolumeBindingPlan) -> [JSONValue] {
        plan.actions.compactMap { if case .update(let object) = $0 { object } else { nil } }
    }

    static func statuses(_ plan: VolumeBindingPlan) -> [JSONValue] {
        plan.actions.compactMap { if case .updateStatus(let object) = $0 { object } else { nil } }
    }

    @Test func bindsTheSmallestFittingVolumeOnBothSides() throws {
        let claim = Self.claim(className: "manual")
        let volumes = [Self.volume("big", storage: "10Gi"), Self.volume("small", storage: "2Gi"), Self.volume("tiny", storage: "500Mi"),
                       Self.volume("other-class", storage: "1Gi", className: "fast")]
        let plan = VolumeBindingSync().syncClaim(claim, volumes: volumes, classes: [:], nodes: [:])
        let volume = try #require(Self.updates(plan).first { $0.kind == "PersistentVolume" })
        #expect(volume.metadata.name == "small")
        #expect(volume[path: ["spec", "claimRef", "uid"]] == "uid-data")
        #expect(volume.metadata.annotations[VolumeMatching.boundByControllerAnnotation] == "yes")
        let bound = try #require(Self.updates(plan).first { $0.kind == "PersistentVolumeClaim" })
        #expect(bound[path: ["spec", "volumeName"]] == "small")
        #expect(bound.metadata.annotations[VolumeMatching.bindCompletedAnnotation] == "yes")
        let claimStatus = try #require(Self.statuses(plan).first { $0.kind == "PersistentVolumeClaim" })
        #expect(claimStatus["status"]?["phase"] == "Bound" && claimStatus[path: ["status", "capacity", "storage"]] == "2Gi")
        // Follow-up status writes go without a resourceVersion: the spec write before them changed it.
        #expect(claimStatus.metadata.resourceVersion == nil)
        #expect(Self.statuses(plan).first { $0.kind == "PersistentVolume" }?["status"]?["phase"] == "Bound")
    }

    @Test func aClaimWithoutClassAndNoVolumeWaitsAndSaysWhy() {
        let plan = VolumeBindingSync().syncClaim(Self.claim(className: nil), volumes: [], classes: [:], nodes: [:])
        #expect(plan.actions.isEmpty)
        #expect(plan.events.map(\.reason) == ["FailedBinding"])
    }

    @Test func waitForFirstConsumerWaitsForTheSchedulerThenProvisionsOnTheSelectedNode() throws {
        let classes = ["local-path": Self.localPath]
        let waiting = VolumeBindingSync().syncClaim(Self.claim(), volumes: [], classes: classes, nodes: ["w1": Self.node])
        #expect(waiting.actions.isEmpty)
        #expect(waiting.events.map(\.reason) == ["WaitForFirstConsumer"])

        let claim = Self.claim(selectedNode: "w1")
        let plan = VolumeBindingSync().syncClaim(claim, volumes: [], classes: classes, nodes: ["w1": Self.node])
        let annotated = try #require(Self.updates(plan).first)
        #expect(annotated.metadata.annotations[VolumeMatching.storageProvisionerAnnotation] == WellKnown.localPathProvisioner)
        let created = try #require(plan.actions.compactMap { if case .create(let object) = $0 { object } else { nil } }.first)
        #expect(created.metadata.name == "pvc-uid-data")
        #expect(created[path: ["spec", "hostPath", "path"]] == .string(WellKnown.localPathStorageDir + "/pvc-uid-data_default_data"))
        #expect(created[path: ["spec", "hostPath", "type"]] == "DirectoryOrCreate")
        let term = created[path: ["spec", "nodeAffinity", "required", "nodeSelectorTerms"]]?.array?.first
        #expect(term?["matchExpressions"]?.array?.first?["values"] == ["w1"])
        #expect(created[path: ["spec", "claimRef", "uid"]] == "uid-data")
        #expect(created[path: ["spec", "persistentVolumeReclaimPolicy"]] == "Delete")
        #expect(created[path: ["spec", "capacity", "storage"]] == "1Gi")

        // The provisioned volume, pre-bound to the claim, is then bound both ways.
        var provisioned = created
        provisioned.metadata.uid = "uid-pv"
        let binding = VolumeBindingSync().syncClaim(annotated, volumes: [provisioned], classes: classes, nodes: ["w1": Self.node])
        #expect(Self.updates(binding).first { $0.kind == "PersistentVolumeClaim" }?[path: ["spec", "volumeName"]] == "pvc-uid-data")
    }

    @Test func localPathRefusesWhatANodeDirectoryCannotDo() {
        var claim = Self.claim(selectedNode: "w1")
        claim[path: ["spec", "accessModes"]] = ["ReadWriteMany"]
        let plan = VolumeBindingSync().syncClaim(claim, volumes: [], classes: ["local-path": Self.localPath], nodes: ["w1": Self.node])
        #expect(plan.events.contains { $0.reason == "ProvisioningFailed" && $0.message.contains("ReadWriteMany") })
        #expect(!plan.actions.contains { if case .create = $0 { true } else { false } })
    }

    @Test func volumePhasesFollowTheirClaims() {
        let sync = VolumeBindingSync()
        #expect(Self.statuses(sync.syncVolume(Self.volume("v", storage: "1Gi", phase: "Pending"), claims: []))
            .first?["status"]?["phase"] == "Available")
        let ref: JSONValue = ["namespace": "default", "name": "data", "uid": "uid-data"]
        let bound = Self.claim(volumeName: "v", phase: "Bound")
        #expect(Self.statuses(sync.syncVolume(Self.volume("v", storage: "1Gi", claimRef: ref, phase: "Available"), claims: [bound]))
            .first?["status"]?["phase"] == "Bound")
        // The claim is gone: Retain keeps the volume Released.
        let retained = sync.syncVolume(Self.volume("v", storage: "1Gi", claimRef: ref, phase: "Bound"), claims: [])
        #expect(Self.statuses(retained).first?["status"]?["phase"] == "Released")
        #expect(Fixtures.deletedNames(retained.actions).isEmpty)
        // Delete removes what the local-path provisioner made; other volumes cannot be deleted here and fail.
        var provisioned = Self.volume("pvc-x", storage: "1Gi", claimRef: ref, phase: "Bound", policy: "Delete")
        provisioned.metadata.annotations[VolumeMatching.provisionedByAnnotation] = WellKnown.localPathProvisioner
        #expect(Fixtures.deletedNames(sync.syncVolume(provisioned, claims: []).actions) == ["pvc-x"])
        let foreign = sync.syncVolume(Self.volume("v", storage: "1Gi", claimRef: ref, phase: "Bound", policy: "Delete"), claims: [])
        #expect(Self.statuses(foreign).first?["status"]?["phase"] == "Failed")
    }

    @Test func aBoundClaimWhoseVolumeIsGoneIsLost() {
        var claim = Self.claim(volumeName: "gone", phase: "Bound")
        claim.metadata.annotations[VolumeMatching.bindCompletedAnnotation] = "yes"
        let plan = VolumeBindingSync().syncClaim(claim, volumes: [], classes: [:], nodes: [:])
        #expect(Self.statuses(plan).first?["status"]?["phase"] == "Lost")
        #expect(plan.events.map(\.reason) == ["ClaimLost"])
    }
}
