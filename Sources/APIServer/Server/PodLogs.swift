import Foundation
import KubeAPI

/// `GET pods/<name>/log`: finds the pod's node and container, then streams the container's log from that node's
/// kubelet (`/containerLogs/<ns>/<pod>/<container>`), passing the log options through, as upstream's log REST does.
extension APIHandler {
    static let logOptions = ["follow", "tailLines", "timestamps", "previous", "sinceSeconds", "sinceTime", "limitBytes"]

    func podLog(_ request: APIRequest) async -> APIResponse {
        let target: KubeletTarget
        switch await kubeletTarget(request, container: request.query["container"]) {
        case .success(let found): target = found
        case .failure(let error): return Registry.failure(error)
        }
        let (name, container, address) = (target.podName, target.container, (host: target.host, port: target.port))
        guard let kubelets else { return Registry.failure(Self.noKubeletClient) }
        var query = Self.logOptions.compactMap { key in request.query[key].map { "\(key)=\($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? $0)" } }
        query.sort()
        let path = "/containerLogs/\(request.namespace ?? "default")/\(name)/\(container)" + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
        do {
            let response = try await kubelets.get(host: address.host, port: address.port, path: path)
            guard response.status == 200 else {
                var text: [UInt8] = []
                for try await chunk in response.body { text += chunk }
                return Registry.failure(Self.kubeletRefusal(status: response.status, body: text))
            }
            return .stream(status: 200, contentType: "text/plain", body: response.body)
        } catch {
            return Registry.failure(StatusError(code: 500, reason: "InternalError",
                                                message: "Get \"https://\(address.host):\(address.port)\(path)\": \(error)"))
        }
    }
}
