import KubeAPI
import Testing
@testable import ControllerManager

struct GarbageCollectionTests {
    static func object(_ name: String, namespace: String? = "default", owners: [OwnerReference] = [], finalizers: [String] = [],
                       deleting: Bool = false) -> JSONValue {
        var meta = ObjectMetaView()
        meta.name = name
        meta.namespace = namespace
        meta.uid = "uid-" + name
        meta.resourceVersion = "7"
        meta.ownerReferences = owners
        meta.finalizers = finalizers
        if deleting { meta.fields["deletionTimestamp"] = Fixtures.time(0) }
        var object = JSONValue.emptyObject
        object.metadata = meta
        return object
    }

    static func ref(_ name: String, kind: String = "ReplicaSet", block: Bool? = true) -> OwnerReference {
        OwnerReference(apiVersion: "apps/v1", kind: kind, name: name, uid: "uid-" + name, controller: true, blockOwnerDeletion: block)
    }

    @Test func dependentsOfVanishedOwnersAreDeletedInTheBackground() {
        let pod = Self.object("p", owners: [Self.ref("rs")])
        let actions = GarbageCollection(objects: [KindedObject(.pod, pod)]).plan()
        #expect(actions == [.delete(ObjectRef(kind: .pod, namespace: "default", name: "p", uid: "uid-p"), propagationPolicy: "Background")])
        let orphaning = Self.object("q", owners: [Self.ref("rs")], finalizers: ["orphan"])
        #expect(GarbageCollection(objects: [KindedObject(.pod, orphaning)]).plan().first
                == .delete(ObjectRef(kind: .pod, namespace: "default", name: "q", uid: "uid-q"), propagationPolicy: "Orphan"))
    }

    @Test func liveOwnersKeepDependentsAndDanglingReferencesAreRemoved() {
        let rs = Self.object("rs")
        let pod = Self.object("p", owners: [Self.ref("rs"), Self.ref("gone")])
        let actions = GarbageCollection(objects: [KindedObject(.replicaSet, rs), KindedObject(.pod, pod)]).plan()
        #expect(actions == [.patch(ObjectRef(kind: .pod, namespace: "default", name: "p", uid: "uid-p"), .strategicMerge,
                                   ["metadata": ["ownerReferences": [["$patch": "delete", "uid": "uid-gone"]], "uid": "uid-p"]])])
        let fine = Self.object("f", owners: [Self.ref("rs")])
        #expect(GarbageCollection(objects: [KindedObject(.replicaSet, rs), KindedObject(.pod, fine)]).plan().isEmpty)
    }

    @Test func ownersInAnotherNamespaceOrOfAnotherKindAreDangling() {
        let rs = Self.object("rs", namespace: "other")
        let pod = Self.object("p", owners: [Self.ref("rs")])
        #expect(GarbageCollection(objects: [KindedObject(.replicaSet, rs), KindedObject(.pod, pod)]).plan().count == 1)
        let node = Self.object("rs", namespace: nil)
        let clusterOwned = Self.object("c", owners: [OwnerReference(apiVersion: "v1", kind: "Node", name: "rs", uid: "uid-rs")])
        #expect(GarbageCollection(objects: [KindedObject(.node, node), KindedObject(.configMap, clusterOwned)]).plan().isEmpty,
                "a cluster-scoped owner is visible from every namespace")
        let unwatched = Self.object("u", owners: [OwnerReference(apiVersion: "example.com/v1", kind: "Widget", name: "w", uid: "uid-w")])
        #expect(GarbageCollection(objects: [KindedObject(.pod, unwatched)], observedKinds: [.replicaSet, .pod]).plan().isEmpty)
    }

    @Test func foregroundDeletionWaitsForBlockingDependents() {
        let deployment = Self.object("d", finalizers: ["foregroundDeletion"], deleting: true)
        let rs = Self.object("rs", owners: [Self.ref("d", kind: "Deployment")])
        let pod = Self.object("p", owners: [Self.ref("rs")])
        let gc = GarbageCollection(objects: [KindedObject(.deployment, deployment), KindedObject(.replicaSet, rs), KindedObject(.pod, pod)])
        // The ReplicaSet's owner waits for it and it has a dependent itself: it is deleted in the foreground too.
        #expect(gc.plan() == [.delete(ObjectRef(kind: .replicaSet, namespace: "default", name: "rs", uid: "uid-rs"), propagationPolicy: "Foreground")])
        // Once no blocking dependent is left, the owner drops its finalizer.
        let loose = Self.object("x", owners: [Self.ref("d", kind: "Deployment", block: false)])
        let done = GarbageCollection(objects: [KindedObject(.deployment, deployment), KindedObject(.pod, loose)]).plan()
        #expect(done.first == .patch(ObjectRef(kind: .deployment, namespace: "default", name: "d", uid: "uid-d"), .merge,
                                     ["metadata": ["finalizers": nil, "resourceVersion": "7"]]))
        #expect(done.last == .delete(ObjectRef(kind: .pod, namespace: "default", name: "x", uid: "uid-x"), propagationPolicy: "Background"),
                "non-blocking dependents are still collected")
    }

    @Test func foregroundCyclesAreUnblockedBeforeDeleting() {
        let owner = Self.object("a", finalizers: ["foregroundDeletion"], deleting: true)
        let middle = Self.object("b", owners: [Self.ref("a")])
        let child = Self.object("c", owners: [Self.ref("b")], finalizers: ["foregroundDeletion"], deleting: true)
        let actions = GarbageCollection(objects: [KindedObject(.replicaSet, owner), KindedObject(.replicaSet, middle), KindedObject(.replicaSet, child)])
            .attempt(KindedObject(.replicaSet, middle))
        var unblocked = Self.ref("a")
        unblocked.blockOwnerDeletion = false
        #expect(actions == [.patch(ObjectRef(kind: .replicaSet, namespace: "default", name: "b", uid: "uid-b"), .strategicMerge,
                                   ["metadata": ["ownerReferences": [unblocked.json], "uid": "uid-b"]]),
                            .delete(ObjectRef(kind: .replicaSet, namespace: "default", name: "b", uid: "uid-b"), propagationPolicy: "Foreground")])
    }

    @Test func orphanDeletionStripsReferencesThenTheFinalizer() {
        let rs = Self.object("rs", finalizers: ["orphan", "custom"], deleting: true)
        let pods = ["p1", "p2"].map { Self.object($0, owners: [Self.ref("rs")]) }
        let actions = GarbageCollection(objects: [KindedObject(.replicaSet, rs)] + pods.map { KindedObject(.pod, $0) }).plan()
        #expect(actions.count == 3)
        #expect(actions[0] == .patch(ObjectRef(kind: .pod, namespace: "default", name: "p1", uid: "uid-p1"), .strategicMerge,
                                     ["metadata": ["ownerReferences": [["$patch": "delete", "uid": "uid-rs"]], "uid": "uid-p1"]]))
        #expect(actions[2] == .patch(ObjectRef(kind: .replicaSet, namespace: "default", name: "rs", uid: "uid-rs"), .merge,
                                     ["metadata": ["finalizers": ["custom"], "resourceVersion": "7"]]))
    }
}
