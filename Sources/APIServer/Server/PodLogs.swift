import Foundation
import KubeAPI

/// `GET pods/<name>/log`: finds the pod's node and container, then streams the container's log from that node's
/// kubelet (`/containerLogs/<ns>/<pod>/<container>`), passing the log options through, as upstream's log REST does.
extension APIHandler {
    static let logOptions = ["follow", "tailLines", "timestamps", "previous", "sinceSeconds", "sinceTime", "limitBytes"]

    func podLog(_ request: APIRequest) async -> APIResponse {
        let podRequest = APIRequest(verb: .get, group: "", version: "v1", resource: "pods", namespace: request.namespace,
                                    name: request.name, user: request.user)
        guard case .object(200, let pod, _) = await registry.handle(podRequest) else {
            return await registry.handle(podRequest)
        }
        let name = pod.metadata.name ?? ""
        let containers = (pod[path: ["spec", "containers"]]?.array ?? []).compactMap { $0["name"]?.string }
        let initContainers = (pod[path: ["spec", "initContainers"]]?.array ?? []).compactMap { $0["name"]?.string }
        var container = request.query["container"] ?? ""
        if container.isEmpty {
            if let preferred = pod.metadata.annotations["kubectl.kubernetes.io/default-container"], containers.contains(preferred) {
                container = preferred
            } else if containers.count == 1 {
                container = containers[0]
            } else {
                return Registry.failure(StatusError.badRequest(
                    "a container name must be specified for pod \(name), choose one of: [\(containers.joined(separator: " "))]"
                        + (initContainers.isEmpty ? "" : " or one of the init containers: [\(initContainers.joined(separator: " "))]")))
            }
        }
        guard containers.contains(container) || initContainers.contains(container) else {
            return Registry.failure(StatusError.badRequest("container \(container) is not valid for pod \(name)"))
        }
        guard let nodeName = pod[path: ["spec", "nodeName"]]?.string, !nodeName.isEmpty else {
            return Registry.failure(StatusError.badRequest("pod \(name) does not have a host assigned"))
        }
        guard let kubelets else {
            return Registry.failure(StatusError(code: 503, reason: "ServiceUnavailable",
                                                message: "this API server has no --kubelet-client-certificate to reach kubelets with"))
        }
        let nodeRequest = APIRequest(verb: .get, group: "", version: "v1", resource: "nodes", name: nodeName, user: request.user)
        guard case .object(200, let node, _) = await registry.handle(nodeRequest),
              let address = Self.kubeletAddress(node) else {
            return Registry.failure(StatusError(code: 503, reason: "ServiceUnavailable",
                                                message: "the node \(nodeName) of pod \(name) has no address to reach its kubelet at"))
        }
        var query = Self.logOptions.compactMap { key in request.query[key].map { "\(key)=\($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? $0)" } }
        query.sort()
        let path = "/containerLogs/\(request.namespace ?? "default")/\(name)/\(container)" + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
        do {
            let response = try await kubelets.get(host: address.host, port: address.port, path: path)
            guard response.status == 200 else {
                var text: [UInt8] = []
                for try await chunk in response.body { text += chunk }
                return Registry.failure(StatusError(code: response.status >= 500 ? 500 : 400, reason: response.status >= 500 ? "InternalError" : "BadRequest",
                                                    message: String(decoding: text, as: UTF8.self)))
            }
            return .stream(status: 200, contentType: "text/plain", body: response.body)
        } catch {
            return Registry.failure(StatusError(code: 500, reason: "InternalError",
                                                message: "Get \"https://\(address.host):\(address.port)\(path)\": \(error)"))
        }
    }

    /// The node's InternalIP (else its first address) and kubelet port, as `--kubelet-preferred-address-types` orders them.
    static func kubeletAddress(_ node: JSONValue) -> (host: String, port: Int)? {
        let addresses = node[path: ["status", "addresses"]]?.array ?? []
        let ordered = ["InternalIP", "ExternalIP", "Hostname"].compactMap { type in
            addresses.first { $0["type"]?.string == type }?["address"]?.string
        }
        guard let host = ordered.first ?? addresses.first?["address"]?.string else { return nil }
        let port = node[path: ["status", "daemonEndpoints", "kubeletEndpoint", "Port"]]?.int ?? 10250
        return (host, port)
    }
}
