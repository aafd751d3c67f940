import KubeAPI

/// `POST pods/<name>/eviction` (policy/v1 Eviction), what `kubectl drain` uses: the pod is deleted gracefully unless
/// a PodDisruptionBudget that selects it allows no more disruptions, which is 429 TooManyRequests (drain retries).
/// A granted eviction takes one from the budget's `status.disruptionsAllowed`, as upstream does, so two evictions
/// racing for the last allowed disruption cannot both win.
extension APIHandler {
    func evict(_ request: APIRequest) async -> APIResponse {
        let eviction: JSONValue
        switch Self.jsonBody(request) {
        case .success(let body): eviction = body
        case .failure(let error): return Registry.failure(error)
        }
        if let bodyName = eviction.metadata.name, !bodyName.isEmpty, bodyName != request.name {
            return Registry.failure(StatusError.badRequest("name in URL does not match name in Eviction object"))
        }
        let system = UserInfo(name: "system:apiserver", groups: ["system:masters"])
        let namespace = request.namespace ?? "default"
        let get = APIRequest(verb: .get, group: "", version: "v1", resource: "pods", namespace: namespace, name: request.name, user: system)
        guard case .object(200, let pod, _) = await registry.handle(get) else { return await registry.handle(get) }
        if let admission = registry.admission, let refusal = await admission(request, pod, eviction) {
            return Registry.failure(refusal)
        }
        let phase = pod[path: ["status", "phase"]]?.string ?? ""
        // Terminal or already-deleting pods are not protected by budgets.
        if phase != "Succeeded" && phase != "Failed" && !pod.metadata.isBeingDeleted {
            let list = APIRequest(verb: .list, group: "policy", version: "v1", resource: "poddisruptionbudgets", namespace: namespace, user: system)
            guard case .object(200, let budgets, _) = await registry.handle(list) else {
                return Registry.failure(StatusError.internalError("cannot read the PodDisruptionBudgets of \(namespace)"))
            }
            let matching = (budgets["items"]?.array ?? []).filter { budget in
                (try? LabelSelector(apiSelector: budget[path: ["spec", "selector"]]))?.matches(object: pod) ?? false
            }
            if matching.count > 1 {
                return Registry.failure(StatusError(code: 500, reason: "InternalError",
                                                    message: "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support."))
            }
            if let budget = matching.first {
                let allowed = budget[path: ["status", "disruptionsAllowed"]]?.int64 ?? 0
                guard allowed > 0 else {
                    return Registry.failure(StatusError(code: 429, reason: "TooManyRequests",
                                                        message: "Cannot evict pod as it would violate the pod's disruption budget.",
                                                        details: ["causes": [["reason": "DisruptionBudget",
                                                                              "message": .string("The disruption budget \(budget.metadata.name ?? "") needs \(budget[path: ["status", "desiredHealthy"]]?.int64 ?? 0) healthy pods and has \(budget[path: ["status", "currentHealthy"]]?.int64 ?? 0) currently")]]]))
                }
                var updated = budget
                updated[path: ["status", "disruptionsAllowed"]] = .integer(allowed - 1)
                let write = APIRequest(verb: .update, group: "policy", version: "v1", resource: "poddisruptionbudgets", namespace: namespace,
                                       name: budget.metadata.name, subresource: "status", body: updated.jsonBytes,
                                       contentType: "application/json", user: system)
                if case .object(let code, _, _) = await registry.handle(write), code == 409 {
                    return Registry.failure(StatusError(code: 429, reason: "TooManyRequests",
                                                        message: "Cannot evict pod as it would violate the pod's disruption budget: the budget changed, retry"))
                }
            }
        }
        var options = eviction["deleteOptions"] ?? .emptyObject
        if options.object == nil { options = .emptyObject }
        let delete = APIRequest(verb: .delete, group: "", version: "v1", resource: "pods", namespace: namespace, name: request.name,
                                body: options.jsonBytes, contentType: "application/json", user: system)
        if case .object(let code, let body, _) = await registry.handle(delete), code >= 300 {
            return .object(status: code, body: body, headers: [])
        }
        return .object(status: 201, body: ["kind": "Status", "apiVersion": "v1", "metadata": .emptyObject, "status": "Success", "code": 201], headers: [])
    }
}
