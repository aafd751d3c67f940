import KubeAPI

/// The stable identity of a StatefulSet's pods (upstream `stateful_set_utils.go`): the pod of ordinal N is
/// `<set>-N`, its host name is its own name and its subdomain the governing Service, and each volume claim template
/// becomes the claim `<template>-<set>-N`, which outlives the pod so the next `<set>-N` mounts the same volume.
public enum StatefulSetIdentity {
    public static let podNameLabel = "statefulset.kubernetes.io/pod-name"
    public static let podIndexLabel = "apps.kubernetes.io/pod-index"
    /// Pods carry the name of the ControllerRevision they were made from (not only its hash, as DaemonSet pods do).
    public static let revisionLabel = "controller-revision-hash"

    /// `spec.ordinals.start`, 0 when unset.
    public static func startOrdinal(_ set: JSONValue) -> Int { set[path: ["spec", "ordinals", "start"]]?.int ?? 0 }

    /// `spec.replicas`, 1 when unset (the API server defaults it).
    public static func replicas(_ set: JSONValue) -> Int { set[path: ["spec", "replicas"]]?.int ?? 1 }

    public static func podName(_ set: JSONValue, ordinal: Int) -> String { "\(set.metadata.name ?? "")-\(ordinal)" }

    /// The ordinal of a pod whose name is `<set>-<digits>` (upstream `getParentNameAndOrdinal` plus `isMemberOf`);
    /// nil for a pod of another set that happens to match the selector.
    public static func ordinal(of pod: JSONValue, in set: JSONValue) -> Int? {
        let prefix = (set.metadata.name ?? "") + "-"
        guard let name = pod.metadata.name, name.hasPrefix(prefix) else { return nil }
        let digits = name.dropFirst(prefix.count)
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) else { return nil }
        return Int(digits)
    }

    public static func claimName(template: JSONValue, set: JSONValue, ordinal: Int) -> String {
        "\(template.metadata.name ?? "")-\(set.metadata.name ?? "")-\(ordinal)"
    }

    /// `spec.volumeClaimTemplates`.
    public static func claimTemplates(_ set: JSONValue) -> [JSONValue] { set[path: ["spec", "volumeClaimTemplates"]]?.array ?? [] }

    /// The claims of one ordinal, as they are created: the template under its per-pod name, labelled with the set's
    /// `matchLabels` (upstream `getPersistentVolumeClaims`).
    public static func claims(_ set: JSONValue, ordinal: Int) -> [JSONValue] {
        let matchLabels = set[path: ["spec", "selector", "matchLabels"]]?.object ?? [:]
        return claimTemplates(set).map { template in
            var claim: JSONValue = ["apiVersion": "v1", "kind": "PersistentVolumeClaim"]
            var meta = template.metadata
            meta.name = claimName(template: template, set: set, ordinal: ordinal)
            meta.namespace = set.metadata.namespace
            for (key, value) in matchLabels { meta.labels[key] = value.string ?? "" }
            meta.fields["uid"] = nil
            meta.fields["resourceVersion"] = nil
            meta.fields["creationTimestamp"] = nil
            claim.metadata = meta
            claim["spec"] = template["spec"] ?? .emptyObject
            return claim
        }
    }

    /// The pod of `ordinal` from `template` (the current or the update revision's): controller reference,
    /// identity labels, host name and subdomain, and each claim template mounted as its per-pod claim (replacing a
    /// template volume of the same name, as upstream `updateStorage`).
    public static func pod(_ set: JSONValue, template: JSONValue, revision: String, ordinal: Int) -> JSONValue {
        var pod = PodTemplate.pod(from: template, owner: set, ownerKind: .statefulSet)
        let name = podName(set, ordinal: ordinal)
        var meta = pod.metadata
        meta.fields["generateName"] = nil
        meta.name = name
        meta.labels[podNameLabel] = name
        meta.labels[podIndexLabel] = String(ordinal)
        meta.labels[revisionLabel] = revision
        pod.metadata = meta
        pod[path: ["spec", "hostname"]] = .string(name)
        if let service = set[path: ["spec", "serviceName"]]?.string, !service.isEmpty {
            pod[path: ["spec", "subdomain"]] = .string(service)
        }
        let templates = claimTemplates(set)
        if !templates.isEmpty {
            let claimed = Set(templates.compactMap { $0.metadata.name })
            var volumes = (pod[path: ["spec", "volumes"]]?.array ?? []).filter { !claimed.contains($0["name"]?.string ?? "") }
            for template in templates {
                volumes.append(["name": .string(template.metadata.name ?? ""),
                                "persistentVolumeClaim": ["claimName": .string(claimName(template: template, set: set, ordinal: ordinal))]])
            }
            pod[path: ["spec", "volumes"]] = .array(volumes)
        }
        return pod
    }

    /// Upstream `isRunningAndReady`.
    public static func isRunningAndReady(_ pod: JSONValue) -> Bool {
        let view = PodView(pod)
        return view.phase == "Running" && view.isReady
    }

    /// Upstream `isHealthy`: running, ready and not being deleted.
    public static func isHealthy(_ pod: JSONValue) -> Bool { isRunningAndReady(pod) && !pod.metadata.isBeingDeleted }

    /// The revision a pod was made from.
    public static func revision(of pod: JSONValue) -> String { pod.metadata.labels[revisionLabel] ?? "" }
}
