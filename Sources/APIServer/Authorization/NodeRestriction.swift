import KubeAPI

/// The NodeRestriction admission plugin (upstream `plugin/pkg/admission/noderestriction`): what a kubelet may
/// write, checked after authorization with the objects in hand.
///
/// A node may modify only its own Node (not its taints, not reserved labels), only its own Lease in
/// `kube-node-lease`, create only mirror pods bound to itself that reference no API objects, update the status of
/// and delete or evict only pods bound to itself, and request service-account tokens only bound to its own pods.
/// Everyone who is not a node passes unchecked.
public enum NodeRestriction {
    /// Admits or refuses one write.
    /// - Parameters:
    ///   - user: who asks.
    ///   - request: the routed request (verb, resource, subresource, namespace, name).
    ///   - old: the stored object an update, patch or delete applies to; for `pods/eviction` the pod being evicted.
    ///   - new: the object being created, or the result of the update or patch; for `pods/eviction` the Eviction,
    ///     for `serviceaccounts/token` the TokenRequest.
    ///   - relations: looks up the pod a token request is bound to; without it such requests are refused.
    /// - Returns: nil when admitted, otherwise the 403 (or 400) to answer.
    public static func admit(user: UserInfo, request: APIRequest, old: JSONValue?, new: JSONValue?,
                             relations: NodeRelations? = nil) async -> StatusError? {
        guard let node = NodeIdentity.nodeName(of: user), ![.get, .list, .watch].contains(request.verb) else {
            return nil
        }
        let name = request.name.flatMap { $0.isEmpty ? nil : $0 } ?? new?.metadata.name ?? ""
        let refuse = { (reason: String) -> StatusError in
            StatusError.admissionForbidden(group: request.group, resource: request.resource, name: name, reason)
        }
        guard !node.isEmpty else { return refuse("could not determine node from user \(quoted(user.name))") }
        switch (request.group, request.resource) {
        case ("", "pods"):
            return pod(node, request, old: old, new: new, name: name, refuse: refuse)
        case ("", "nodes"):
            return self.node(node, request, old: old, new: new, name: name, refuse: refuse)
        case ("coordination.k8s.io", "leases"):
            if request.namespace != "kube-node-lease" {
                return refuse("can only access leases in the \"kube-node-lease\" system namespace")
            }
            return name == node ? nil : refuse("can only access node lease with the same name as the requesting node")
        case ("storage.k8s.io", "csinodes"):
            return name == node ? nil : refuse("node \(quoted(node)) is not allowed to modify CSINode \(quoted(name))")
        case ("", "serviceaccounts") where request.subresource == "token" && request.verb == .create:
            return await token(node, request, new: new, relations: relations, refuse: refuse)
        default:
            return nil
        }
    }

    private static func pod(_ node: String, _ request: APIRequest, old: JSONValue?, new: JSONValue?, name: String,
                            refuse: (String) -> StatusError) -> StatusError? {
        let boundHere = { (pod: JSONValue?) in pod?[path: ["spec", "nodeName"]]?.string == node }
        switch (request.subresource ?? "", request.verb) {
        case ("", .create):
            return mirrorPod(node, new ?? .null, refuse: refuse)
        case ("", .delete):
            return boundHere(old) ? nil : refuse("node \(quoted(node)) can only delete pods with spec.nodeName set to itself")
        case ("", _):
            return refuse("unexpected operation \(quoted(operation(request.verb))), node \(quoted(node)) can only "
                + "create and delete mirror pods")
        case ("status", .update), ("status", .patch):
            guard boundHere(old) else {
                return refuse("node \(quoted(node)) can only update pod status for pods with spec.nodeName set to itself")
            }
            if old?.metadata.labels != new?.metadata.labels {
                return refuse("node \(quoted(node)) cannot update labels through pod status")
            }
            return nil
        case ("status", _):
            return refuse("unexpected operation \(quoted(operation(request.verb)))")
        case ("eviction", .create):
            return boundHere(old) ? nil : refuse("node \(node) can only evict pods with spec.nodeName set to itself")
        case ("eviction", _):
            return refuse("unexpected operation \(operation(request.verb))")
        case (let sub, _):
            return refuse("unexpected pod subresource \(quoted(sub)), only 'status' and 'eviction' are allowed")
        }
    }

    /// A node may create only mirror pods of its static pods: bound to itself, owned by nothing but itself, and
    /// using no API objects (a static pod manifest must not become a way to read secrets).
    private static func mirrorPod(_ node: String, _ pod: JSONValue, refuse: (String) -> StatusError) -> StatusError? {
        let mirrorAnnotation = "kubernetes.io/config.mirror"
        guard pod.metadata.annotations[mirrorAnnotation] != nil else {
            return refuse("pod does not have \(quoted(mirrorAnnotation)) annotation, node \(quoted(node)) can only "
                + "create mirror pods")
        }
        guard pod[path: ["spec", "nodeName"]]?.string == node else {
            return refuse("node \(quoted(node)) can only create pods with spec.nodeName set to itself")
        }
        let owners = pod[path: ["metadata", "ownerReferences"]]?.array ?? []
        if owners.count > 1 {
            return refuse("node \(quoted(node)) can only create pods with a single owner reference set to itself")
        }
        if let owner = owners.first {
            guard owner["apiVersion"] == "v1", owner["kind"] == "Node", owner["name"]?.string == node else {
                return refuse("node \(quoted(node)) can only create pods with an owner reference set to itself")
            }
            guard owner["controller"]?.bool == true else {
                return refuse("node \(quoted(node)) can only create pods with a controller owner reference set to itself")
            }
            if owner["blockOwnerDeletion"]?.bool == true {
                return refuse("node \(quoted(node)) must not set blockOwnerDeletion on an owner reference")
            }
        }
        let references = NodePodReferences(pod: pod)
        let forbidden: [(Bool, String)] = [
            (references.serviceAccount != nil, "a service account"),
            (!references.secrets.isEmpty, "secrets"),
            (!references.configMaps.isEmpty, "configmaps"),
            (!references.persistentVolumeClaims.isEmpty, "persistentvolumeclaims"),
            (!(pod[path: ["spec", "resourceClaims"]]?.array ?? []).isEmpty, "resourceclaims"),
        ]
        if let (_, what) = forbidden.first(where: { $0.0 }) {
            return refuse("node \(quoted(node)) can not create pods that reference \(what)")
        }
        return nil
    }

    private static func node(_ node: String, _ request: APIRequest, old: JSONValue?, new: JSONValue?, name: String,
                             refuse: (String) -> StatusError) -> StatusError? {
        guard name == node else { return refuse("node \(quoted(node)) is not allowed to modify node \(quoted(name))") }
        let labels = { (object: JSONValue?) in
            Dictionary(uniqueKeysWithValues: (object?.metadata.labels ?? [:]).map { ($0.key, $0.value) })
        }
        switch request.verb {
        case .create:
            if let source = new?[path: ["spec", "configSource"]], !source.isNull {
                return refuse("node \(quoted(node)) is not allowed to create pods with a non-nil configSource")
            }
            let forbidden = NodeLabelPolicy.forbidden(NodeLabelPolicy.modified(labels(new), [:]), isUpdate: false)
            if !forbidden.isEmpty {
                return refuse("node \(quoted(node)) is not allowed to set the following labels: "
                    + forbidden.joined(separator: ", "))
            }
        case .update, .patch:
            // Taints keep workloads off a node; a node removing its own would steer them onto itself.
            if (new?[path: ["spec", "taints"]] ?? .null) != (old?[path: ["spec", "taints"]] ?? .null) {
                return refuse("node \(quoted(node)) is not allowed to modify taints")
            }
            let forbidden = NodeLabelPolicy.forbidden(NodeLabelPolicy.modified(labels(new), labels(old)), isUpdate: true)
            if !forbidden.isEmpty {
                return refuse("is not allowed to modify labels: " + forbidden.joined(separator: ", "))
            }
        default:
            break
        }
        return nil
    }

    /// A node's token must be bound to a pod that runs on it, so a node cannot mint tokens for other workloads.
    private static func token(_ node: String, _ request: APIRequest, new: JSONValue?, relations: NodeRelations?,
                              refuse: (String) -> StatusError) async -> StatusError? {
        let reference = new?[path: ["spec", "boundObjectRef"]]
        guard let reference, reference["apiVersion"] == "v1", reference["kind"] == "Pod",
              let podName = reference["name"]?.string, !podName.isEmpty else {
            return refuse("node requested token not bound to a pod")
        }
        guard let uid = reference["uid"]?.string, !uid.isEmpty else {
            return refuse("node requested token with a pod binding without a uid")
        }
        guard let relations, let pod = try? await relations.pod(namespace: request.namespace ?? "", name: podName) else {
            return StatusError(code: 404, reason: "NotFound", message: "pods \(quoted(podName)) not found",
                               details: ["name": .string(podName), "kind": "pods"])
        }
        if pod.metadata.uid != uid {
            return refuse("the UID in the bound object reference (\(uid)) does not match the UID in record. "
                + "The object might have been deleted and then recreated")
        }
        if pod[path: ["spec", "nodeName"]]?.string != node {
            return refuse("node requested token bound to a pod scheduled on a different node")
        }
        return nil
    }

    /// Upstream prints admission operations in capitals.
    private static func operation(_ verb: APIRequest.Verb) -> String {
        switch verb {
        case .create: "CREATE"
        case .delete, .deletecollection: "DELETE"
        case .update, .patch: "UPDATE"
        default: "CONNECT"
        }
    }
}
