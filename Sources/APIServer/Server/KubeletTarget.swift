import Foundation
import KubeAPI

/// A container of a pod and the kubelet that runs it: what `pods/log`, `pods/exec` and `pods/attach` look up before
/// they talk to the node, as upstream's pod `streamLocation` does.
struct KubeletTarget {
    var pod: JSONValue
    var podName: String
    var container: String
    var host: String
    var port: Int
}

extension APIHandler {
    static let noKubeletClient = StatusError(code: 503, reason: "ServiceUnavailable",
                                             message: "this API server has no --kubelet-client-certificate to reach kubelets with")

    /// Reads the pod, picks the container (the requested one, else the `kubectl.kubernetes.io/default-container`
    /// annotation, else the only one), and finds its node's kubelet address.
    func kubeletTarget(_ request: APIRequest, container requested: String?) async -> Result<KubeletTarget, StatusError> {
        let podRequest = APIRequest(verb: .get, group: "", version: "v1", resource: "pods", namespace: request.namespace,
                                    name: request.name, user: request.user)
        let answer = await registry.handle(podRequest)
        guard case .object(200, let pod, _) = answer else {
            if case .object(let code, let status, _) = answer {
                return .failure(StatusError(code: code, reason: status["reason"]?.string ?? "NotFound", message: status["message"]?.string ?? "",
                                            details: status["details"]))
            }
            return .failure(StatusError(code: 500, reason: "InternalError", message: "cannot read pod \(request.name ?? "")"))
        }
        let name = pod.metadata.name ?? ""
        let containers = (pod[path: ["spec", "containers"]]?.array ?? []).compactMap { $0["name"]?.string }
        let initContainers = (pod[path: ["spec", "initContainers"]]?.array ?? []).compactMap { $0["name"]?.string }
        var container = requested ?? ""
        if container.isEmpty {
            if let preferred = pod.metadata.annotations["kubectl.kubernetes.io/default-container"], containers.contains(preferred) {
                container = preferred
            } else if containers.count == 1 {
                container = containers[0]
            } else {
                return .failure(StatusError.badRequest(
                    "a container name must be specified for pod \(name), choose one of: [\(containers.joined(separator: " "))]"
                        + (initContainers.isEmpty ? "" : " or one of the init containers: [\(initContainers.joined(separator: " "))]")))
            }
        }
        guard containers.contains(container) || initContainers.contains(container) else {
            return .failure(StatusError.badRequest("container \(container) is not valid for pod \(name)"))
        }
        guard let nodeName = pod[path: ["spec", "nodeName"]]?.string, !nodeName.isEmpty else {
            return .failure(StatusError.badRequest("pod \(name) does not have a host assigned"))
        }
        let nodeRequest = APIRequest(verb: .get, group: "", version: "v1", resource: "nodes", name: nodeName, user: request.user)
        guard case .object(200, let node, _) = await registry.handle(nodeRequest), let address = Self.kubeletAddress(node) else {
            return .failure(StatusError(code: 503, reason: "ServiceUnavailable",
                                        message: "the node \(nodeName) of pod \(name) has no address to reach its kubelet at"))
        }
        return .success(KubeletTarget(pod: pod, podName: name, container: container, host: address.host, port: address.port))
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

    /// A kubelet's non-success answer as a Status: its text, a 4xx kept as such (404 = NotFound), anything else 500.
    static func kubeletRefusal(status: Int, body: [UInt8]) -> StatusError {
        let message = String(decoding: body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        switch status {
        case 404: return StatusError(code: 404, reason: "NotFound", message: message)
        case 400..<500: return StatusError(code: 400, reason: "BadRequest", message: message)
        default: return StatusError(code: 500, reason: "InternalError", message: message)
        }
    }
}
