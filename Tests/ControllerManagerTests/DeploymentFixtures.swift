import KubeAPI
@testable import ControllerManager

/// Deployments and the ReplicaSets they own, for the deployment tests.
enum DeploymentFixtures {
    static func template(image: String) -> JSONValue {
        ["metadata": ["labels": ["app": "web"]], "spec": ["containers": [["name": "c", "image": .string(image)]]]]
    }

    static func deployment(replicas: Int = 3, image: String = "web:v1", maxSurge: JSONValue = "25%", maxUnavailable: JSONValue = "25%",
                           strategy: String = "RollingUpdate", paused: Bool = false, generation: Int64 = 1,
                           status: JSONValue = .emptyObject, revisionHistoryLimit: Int = 10) -> JSONValue {
        var strategyObject: JSONValue = ["type": .string(strategy)]
        if strategy == "RollingUpdate" { strategyObject["rollingUpdate"] = ["maxSurge": maxSurge, "maxUnavailable": maxUnavailable] }
        return ["apiVersion": "apps/v1", "kind": "Deployment",
                "metadata": ["name": "web", "namespace": "default", "uid": "d-uid", "generation": .integer(generation)],
                "spec": ["replicas": .integer(Int64(replicas)), "selector": ["matchLabels": ["app": "web"]],
                         "template": template(image: image), "strategy": strategyObject, "paused": .bool(paused),
                         "revisionHistoryLimit": .integer(Int64(revisionHistoryLimit)), "progressDeadlineSeconds": 600,
                         "minReadySeconds": 0],
                "status": status]
    }

    /// A ReplicaSet owned by the fixture Deployment; `createdAgo` orders them.
    static func replicaSet(_ hash: String, image: String, replicas: Int, available: Int? = nil, statusReplicas: Int? = nil,
                           revision: Int, desired: Int? = 3, maxReplicas: Int? = 4, createdAgo: Int64 = 1000) -> JSONValue {
        var rsTemplate = template(image: image)
        rsTemplate[path: ["metadata", "labels", "pod-template-hash"]] = .string(hash)
        var annotations: JSONValue = ["deployment.kubernetes.io/revision": .string(String(revision))]
        if let desired { annotations["deployment.kubernetes.io/desired-replicas"] = .string(String(desired)) }
        if let maxReplicas { annotations["deployment.kubernetes.io/max-replicas"] = .string(String(maxReplicas)) }
        let ready = available ?? replicas
        return ["apiVersion": "apps/v1", "kind": "ReplicaSet",
                "metadata": ["name": .string("web-" + hash), "namespace": "default", "uid": .string("uid-" + hash),
                             "generation": 1, "creationTimestamp": Fixtures.time(createdAgo),
                             "labels": ["app": "web", "pod-template-hash": .string(hash)], "annotations": annotations,
                             "ownerReferences": [ControllerRef.new(owner: deployment(), kind: .deployment).json]],
                "spec": ["replicas": .integer(Int64(replicas)), "minReadySeconds": 0,
                         "selector": ["matchLabels": ["app": "web", "pod-template-hash": .string(hash)]], "template": rsTemplate],
                "status": ["replicas": .integer(Int64(statusReplicas ?? replicas)), "readyReplicas": .integer(Int64(ready)),
                           "availableReplicas": .integer(Int64(ready)), "observedGeneration": 1]]
    }

    static func creates(_ plan: DeploymentPlan) -> [JSONValue] {
        plan.actions.compactMap { if case .create(let object) = $0 { object } else { nil } }
    }

    static func updates(_ plan: DeploymentPlan) -> [String: JSONValue] {
        var result: [String: JSONValue] = [:]
        for case .update(let object) in plan.actions { result[object.metadata.name ?? ""] = object }
        return result
    }

    static func statusWrite(_ plan: DeploymentPlan) -> JSONValue? {
        for case .updateStatus(let object) in plan.actions { return object }
        return nil
    }

    static func condition(_ deployment: JSONValue?, _ type: String) -> JSONValue? {
        StatusConditions.get(deployment?[path: ["status", "conditions"]]?.array ?? [], type)
    }
}
