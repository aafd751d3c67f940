import KubeAPI

/// Pods made from a controller's template (upstream `controller.GetPodFromTemplate`).
public enum PodTemplate {
    /// The pod a controller creates: `generateName` "<owner>-", the template's labels, annotations and finalizers,
    /// the owner's controller reference, and the template's spec. Other template metadata (a name, say) is not
    /// copied, as upstream.
    /// - Parameters:
    ///   - template: the pod template (`spec.template`).
    ///   - owner: the controller object.
    ///   - ownerKind: its type.
    public static func pod(from template: JSONValue, owner: JSONValue, ownerKind: ResourceKind) -> JSONValue {
        let ownerMeta = owner.metadata
        let templateMeta = template.metadata
        var meta = ObjectMetaView()
        meta.generateName = generateNamePrefix(ownerMeta.name ?? "")
        meta.namespace = ownerMeta.namespace
        meta.labels = templateMeta.labels
        meta.annotations = templateMeta.annotations
        meta.finalizers = templateMeta.finalizers
        meta.ownerReferences = [ControllerRef.new(owner: owner, kind: ownerKind)]
        var pod: JSONValue = ["apiVersion": "v1", "kind": "Pod"]
        pod.metadata = meta
        pod["spec"] = template["spec"] ?? .emptyObject
        return pod
    }

    /// "<name>-" so generated names read `web-7d9f-abcde`; the bare name when the dash would make the prefix too
    /// long for a DNS subdomain (upstream `getPodsPrefix`).
    /// - Parameters:
    ///   - ownerName: the controller's name.
    public static func generateNamePrefix(_ ownerName: String) -> String {
        ownerName.utf8.count + 1 <= 253 ? ownerName + "-" : ownerName
    }
}
