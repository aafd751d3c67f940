import KubeAPI

/// The `default/kubernetes` Service and its Endpoints and EndpointSlice, which tell in-cluster clients where the
/// API server is (upstream's endpoint reconciler). Reconciled at every start: created when missing, rewritten when
/// this server's address or port changed.
extension Registry {
    public func reconcileKubernetesService(advertiseAddress: String, securePort: Int) async throws {
        guard let ip = serviceAllocator?.kubernetesServiceIP else { return }
        let port = JSONValue.integer(Int64(securePort))
        let labels: JSONValue = ["component": "apiserver", "provider": "kubernetes"]
        let service: JSONValue = [
            "apiVersion": "v1", "kind": "Service", "metadata": ["name": "kubernetes", "namespace": "default", "labels": labels],
            "spec": ["type": "ClusterIP", "clusterIP": .string(ip),
                     "ports": [["name": "https", "port": 443, "protocol": "TCP", "targetPort": port]]],
        ]
        let endpoints: JSONValue = [
            "apiVersion": "v1", "kind": "Endpoints", "metadata": ["name": "kubernetes", "namespace": "default", "labels": ["endpointslice.kubernetes.io/skip-mirror": "true"]],
            "subsets": [["addresses": [["ip": .string(advertiseAddress)]], "ports": [["name": "https", "port": port, "protocol": "TCP"]]]],
        ]
        let slice: JSONValue = [
            "apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
            "metadata": ["name": "kubernetes", "namespace": "default", "labels": ["kubernetes.io/service-name": "kubernetes"]],
            "addressType": advertiseAddress.contains(":") ? "IPv6" : "IPv4",
            "endpoints": [["addresses": [.string(advertiseAddress)], "conditions": ["ready": true]]],
            "ports": [["name": "https", "port": port, "protocol": "TCP"]],
        ]
        try await ensure(group: "", resource: "services", service, compare: nil)
        try await ensure(group: "", resource: "endpoints", endpoints, compare: ["subsets"])
        try await ensure(group: "discovery.k8s.io", resource: "endpointslices", slice, compare: ["endpoints", "ports"])
    }

    /// Creates `object`, or when it exists and differs in `compare`, replaces those members.
    private func ensure(group: String, resource: String, _ object: JSONValue, compare: [String]?) async throws {
        let user = UserInfo(name: "system:apiserver", groups: ["system:masters"])
        let name = object.metadata.name ?? ""
        let get = APIRequest(verb: .get, group: group, version: "v1", resource: resource, namespace: "default", name: name, user: user)
        let current: JSONValue?
        switch await handle(get) {
        case .object(200, let body, _): current = body
        case .object(404, _, _): current = nil
        case .object(_, let body, _): throw StatusError.internalError("reading default/\(name) \(resource): \(body["message"]?.string ?? "")")
        case .watch, .stream: current = nil
        }
        let request: APIRequest
        if var existing = current {
            guard let compare, compare.contains(where: { existing[$0] != object[$0] }) else { return }
            for member in compare { existing[member] = object[member] }
            request = APIRequest(verb: .update, group: group, version: "v1", resource: resource, namespace: "default", name: name,
                                 body: existing.jsonBytes, contentType: "application/json", user: user)
        } else {
            request = APIRequest(verb: .create, group: group, version: "v1", resource: resource, namespace: "default",
                                 body: object.jsonBytes, contentType: "application/json", user: user)
        }
        if case .object(let code, let body, _) = await handle(request), code >= 300, code != 409 {
            throw StatusError.internalError("writing default/\(name) \(resource): \(body["message"]?.string ?? "")")
        }
    }
}
