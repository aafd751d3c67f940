@testable import KubeAPI

/// A hand-written slice of the v1.32 patch metadata for the Pod and Deployment fields the patch tests exercise
/// (values as in k8s.io/api struct tags and the OpenAPI `x-kubernetes-*` extensions), plus the synthetic
/// `mergingList`/`mergingIntList`/`retainKeysMap` fields upstream's own SMP tests use.
struct TestPatchSchema: PatchSchema {
    private static let core = "io.k8s.api.core.v1."
    private static let apps = "io.k8s.api.apps.v1."
    private static let meta = "io.k8s.apimachinery.pkg.apis.meta.v1."

    private static func object(_ type: String) -> FieldPatchInfo { FieldPatchInfo(kind: .object, elementType: type) }
    private static func mergeList(_ key: String, _ type: String, retainKeys: Bool = false, mapKeys: [String]? = nil) -> FieldPatchInfo {
        FieldPatchInfo(kind: .list, patchStrategies: retainKeys ? ["merge", "retainKeys"] : ["merge"], patchMergeKey: key,
                       listType: .map, listMapKeys: mapKeys ?? [key], elementType: type)
    }
    private static func atomicList(_ type: String? = nil) -> FieldPatchInfo {
        FieldPatchInfo(kind: .list, listType: .atomic, elementType: type)
    }
    private static let stringMap = FieldPatchInfo(kind: .map)

    static let table: [String: [String: FieldPatchInfo]] = [
        apps + "Deployment": ["metadata": object(meta + "ObjectMeta"), "spec": object(apps + "DeploymentSpec")],
        apps + "DeploymentSpec": [
            "selector": object(meta + "LabelSelector"), "template": object(core + "PodTemplateSpec"),
            "strategy": FieldPatchInfo(kind: .object, patchStrategies: ["retainKeys"], elementType: apps + "DeploymentStrategy"),
            "replicas": FieldPatchInfo(kind: .scalar),
        ],
        apps + "DeploymentStrategy": ["rollingUpdate": object(apps + "RollingUpdateDeployment")],
        core + "Pod": ["metadata": object(meta + "ObjectMeta"), "spec": object(core + "PodSpec")],
        core + "PodTemplateSpec": ["metadata": object(meta + "ObjectMeta"), "spec": object(core + "PodSpec")],
        core + "PodSpec": [
            "containers": mergeList("name", core + "Container"),
            "initContainers": mergeList("name", core + "Container"),
            "volumes": mergeList("name", core + "Volume", retainKeys: true),
            "imagePullSecrets": mergeList("name", core + "LocalObjectReference"),
            "tolerations": atomicList(core + "Toleration"),
            "nodeSelector": stringMap,
        ],
        core + "Container": [
            "env": mergeList("name", core + "EnvVar"),
            "ports": mergeList("containerPort", core + "ContainerPort", mapKeys: ["containerPort", "protocol"]),
            "volumeMounts": mergeList("mountPath", core + "VolumeMount"),
            "args": atomicList(), "command": atomicList(),
            "resources": object(core + "ResourceRequirements"),
        ],
        core + "Volume": ["configMap": object(core + "ConfigMapVolumeSource"), "emptyDir": object(core + "EmptyDirVolumeSource")],
        meta + "ObjectMeta": [
            "labels": stringMap, "annotations": stringMap,
            "finalizers": FieldPatchInfo(kind: .list, patchStrategies: ["merge"], listType: .set),
            "ownerReferences": mergeList("uid", meta + "OwnerReference", mapKeys: ["uid"]),
        ],
        // Upstream strategicpatch test fixture type (testdata/swagger-merge-item.json).
        "MergeItem": [
            "mergingList": mergeList("name", "MergeItem"),
            "nonMergingList": atomicList("MergeItem"),
            "mergingIntList": FieldPatchInfo(kind: .list, patchStrategies: ["merge"], listType: .set),
            "simpleMap": stringMap,
            "retainKeysMap": FieldPatchInfo(kind: .object, patchStrategies: ["retainKeys"], elementType: "MergeItem"),
            "retainKeysMergingList": mergeList("name", "MergeItem", retainKeys: true),
            "replacingItem": FieldPatchInfo(kind: .object, patchStrategies: ["replace"]),
        ],
    ]

    func field(_ name: String, of type: String) -> FieldPatchInfo? { Self.table[type]?[name] }

    func rootType(group: String, version: String, kind: String) -> String? {
        switch (group, version, kind) {
        case ("apps", "v1", "Deployment"): Self.apps + "Deployment"
        case ("", "v1", "Pod"): Self.core + "Pod"
        default: nil
        }
    }
}

/// Parses JSON in tests, failing the test on a syntax error.
func json(_ text: String) throws -> JSONValue { try JSONValue(parsing: text) }
