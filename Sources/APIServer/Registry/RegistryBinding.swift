import KubeAPI
import Storage

/// `pods/binding`: how the scheduler assigns a pod to a node. Binding sets `spec.nodeName` once (a second binding is
/// 409 Conflict), copies the Binding's annotations and records `PodScheduled=True`.
extension Registry {
    func bind(_ context: RequestContext) async throws -> APIResponse {
        let binding = try context.bodyJSON()
        let bindingName = binding.metadata.name ?? context.name
        guard bindingName == context.name else {
            throw StatusError.badRequest("the name of the object (\(bindingName)) does not match the name on the URL (\(context.name))")
        }
        guard let node = binding[path: ["target", "name"]]?.string, !node.isEmpty else {
            let field = FieldError.required("target.name")
            let bindingInfo = APIResourceInfo(group: "", version: "v1", kind: "Binding", plural: "bindings", namespaced: true, verbs: [])
            throw StatusError.invalid(bindingInfo, context.name, [field])
        }
        let info = context.info
        let annotations = binding.metadata.annotations
        let time = now().truncatedToSeconds
        _ = try await updateLoop(context) { old in
            if old.metadata.isBeingDeleted {
                throw StatusError(code: 409, reason: "Conflict", message: "pod \(context.name) is being deleted, cannot be assigned to a host")
            }
            if let current = old[path: ["spec", "nodeName"]]?.string, !current.isEmpty {
                throw StatusError(code: 409, reason: "Conflict",
                                  message: "Operation cannot be fulfilled on pods/binding \"\(context.name)\": pod \(context.name) is already assigned to node \"\(current)\"",
                                  details: StatusError.details(info, name: context.name))
            }
            var pod = old
            pod[path: ["spec", "nodeName"]] = .string(node)
            var meta = pod.metadata
            for (key, value) in annotations { meta.annotations[key] = value }
            pod.metadata = meta
            var conditions = (pod[path: ["status", "conditions"]]?.array ?? []).filter { $0["type"]?.string != "PodScheduled" }
            conditions.append(["type": "PodScheduled", "status": "True", "lastProbeTime": .null,
                               "lastTransitionTime": .string(time.description)])
            if pod["status"] == nil { pod["status"] = .emptyObject }
            pod[path: ["status", "conditions"]] = .array(conditions)
            return pod
        }
        return Self.response(201, ["kind": "Status", "apiVersion": "v1", "metadata": .emptyObject, "status": "Success", "code": 201])
    }
}
