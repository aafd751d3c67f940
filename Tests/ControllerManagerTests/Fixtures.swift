import KubeAPI
@testable import ControllerManager

/// Small builders for the objects the controller tests feed in.
enum Fixtures {
    static let now = KubeTime(seconds: 1_800_000_000)

    static func time(_ secondsAgo: Int64) -> JSONValue { .string(now.adding(seconds: -secondsAgo).rfc3339) }

    /// A pod; `ready` adds a Ready condition that turned true `readyFor` seconds ago.
    static func pod(_ name: String, namespace: String = "default", labels: [String: String] = ["app": "web"],
                    node: String? = "n1", phase: String = "Running", ready: Bool = true, readyFor: Int64 = 3600,
                    createdAgo: Int64 = 7200, owner: OwnerReference? = nil, restarts: Int = 0,
                    annotations: [String: String] = [:], deleting: Bool = false) -> JSONValue {
        var pod: JSONValue = ["apiVersion": "v1", "kind": "Pod"]
        var meta = ObjectMetaView()
        meta.name = name
        meta.namespace = namespace
        meta.uid = "uid-" + name
        for (key, value) in labels.sorted(by: { $0.key < $1.key }) { meta.labels[key] = value }
        for (key, value) in annotations.sorted(by: { $0.key < $1.key }) { meta.annotations[key] = value }
        meta.fields["creationTimestamp"] = time(createdAgo)
        if let owner { meta.ownerReferences = [owner] }
        if deleting { meta.fields["deletionTimestamp"] = time(0) }
        pod.metadata = meta
        pod["spec"] = ["containers": [["name": "c", "image": "busybox"]]]
        if let node { pod[path: ["spec", "nodeName"]] = .string(node) }
        pod["status"] = ["phase": .string(phase),
                         "conditions": [["type": "Ready", "status": ready ? "True" : "False",
                                         "lastTransitionTime": time(readyFor)]],
                         "containerStatuses": [["name": "c", "restartCount": .integer(Int64(restarts))]]]
        return pod
    }

    static func replicaSet(_ name: String = "web", replicas: Int = 3, uid: String = "rs-uid", labels: [String: String] = ["app": "web"],
                           minReadySeconds: Int = 0, generation: Int64 = 1) -> JSONValue {
        var labelObject = JSONValue.emptyObject
        for (key, value) in labels.sorted(by: { $0.key < $1.key }) { labelObject[key] = .string(value) }
        return ["apiVersion": "apps/v1", "kind": "ReplicaSet",
                "metadata": ["name": .string(name), "namespace": "default", "uid": .string(uid), "generation": .integer(generation)],
                "spec": ["replicas": .integer(Int64(replicas)), "minReadySeconds": .integer(Int64(minReadySeconds)),
                         "selector": ["matchLabels": labelObject],
                         "template": ["metadata": ["labels": labelObject],
                                      "spec": ["containers": [["name": "c", "image": "busybox"]]]]],
                "status": ["replicas": 0]]
    }

    static func node(_ name: String) -> JSONValue {
        ["apiVersion": "v1", "kind": "Node", "metadata": ["name": .string(name)],
         "status": ["conditions": [["type": "Ready", "status": "True"]]]]
    }

    static func ownerRef(_ owner: JSONValue, kind: ResourceKind = .replicaSet) -> OwnerReference {
        ControllerRef.new(owner: owner, kind: kind)
    }

    static func names(_ objects: [JSONValue]) -> [String] { objects.map { $0.metadata.name ?? "" } }

    static func deletedNames(_ actions: [ControllerAction]) -> [String] {
        actions.compactMap { if case .delete(let ref, _, _) = $0 { ref.name } else { nil } }
    }
}
