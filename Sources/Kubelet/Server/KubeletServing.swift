import Foundation
import HTTPTransport
import KubeAPI
import KubeClient
import Manifests
import PKI

/// Serves the kubelet API on `address:port` (10250) over TLS: the serving certificate is self-signed under
/// `<root-dir>/pki` unless configured (as upstream), client certificates are checked against `clientCAFile`, bearer
/// tokens go to a TokenReview and every request to a SubjectAccessReview (authorization mode Webhook).
enum KubeletServing {
    static func start(config: KubeletConfiguration, options: KubeletOptions, nodeName: String, nodeIP: String,
                      daemon: KubeletDaemon, client: RESTClient?) async throws -> HTTPServer? {
        guard config.port != 0 else { return nil }
        let serving = try SelfSignedServingCertificate.ensure(directory: options.rootDir + "/pki", name: "kubelet",
                                                              hostname: nodeName, addresses: [nodeIP])
        let clientCA = config.clientCAFile.isEmpty || !FileManager.default.fileExists(atPath: config.clientCAFile) ? nil : config.clientCAFile
        var tokenReview: KubeletAPIHandler.TokenReview?
        var accessReview: KubeletAPIHandler.AccessReview?
        if let client {
            let reviews = KubeletReviews(client: client, nodeName: nodeName)
            if config.webhookAuthentication { tokenReview = { token in await reviews.tokenReview(token) } }
            if config.authorizationMode == "Webhook" {
                accessReview = { user, verb, subresource in await reviews.accessReview(user, verb, subresource) }
            }
        } else if config.authorizationMode == "Webhook" {
            // No API server to ask: nobody is authorized (upstream fails closed the same way).
            accessReview = { _, _, _ in false }
        }
        let handler = KubeletAPIHandler(backend: DaemonBackend(daemon: daemon, podLogsDir: HostPaths().podLogsDir),
                                        tokenReview: tokenReview, accessReview: accessReview, allowAnonymous: config.anonymousAuth)
        return try await HTTPServer(
            settings: HTTPServerSettings(host: config.address, port: config.port,
                                         tls: .init(certificateFile: serving.certificate, privateKeyFile: serving.key, clientCAFile: clientCA),
                                         threads: 1),
            responder: handler)
    }
}

/// The kubelet API's view of the node: the daemon's pods and their CRI log files.
struct DaemonBackend: KubeletAPIBackend {
    let daemon: KubeletDaemon
    let podLogsDir: String

    func pods() async -> [JSONValue] { await daemon.runningPods }
    func healthy() async -> Bool { await daemon.healthy() }

    func logFile(namespace: String, pod: String, container: String, previous: Bool) async throws -> (path: String, running: Bool) {
        guard let object = await daemon.runningPods.first(where: { $0.metadata.namespace == namespace && $0.metadata.name == pod }),
              let uid = object.metadata.uid else {
            throw KubeletBackendError.notFound("pod \(namespace)/\(pod) is not running on this node")
        }
        let directory = "\(podLogsDir)/\(namespace)_\(pod)_\(uid)/\(container)"
        let attempts = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
            .compactMap { $0.hasSuffix(".log") ? Int($0.dropLast(4)) : nil }.sorted()
        let statuses = (object[path: ["status", "containerStatuses"]]?.array ?? []) + (object[path: ["status", "initContainerStatuses"]]?.array ?? [])
        let running = statuses.first { $0["name"]?.string == container }?[path: ["state", "running"]] != nil
        if previous {
            guard attempts.count >= 2 else {
                throw KubeletBackendError.badRequest("previous terminated container \"\(container)\" in pod \"\(pod)\" not found")
            }
            return ("\(directory)/\(attempts[attempts.count - 2]).log", false)
        }
        guard let last = attempts.last else {
            throw KubeletBackendError.badRequest("container \"\(container)\" in pod \"\(pod)\" is waiting to start: no logs yet")
        }
        return ("\(directory)/\(last).log", running)
    }
}

/// TokenReview and SubjectAccessReview through the kubelet's own credentials (system:node:<name> may create both).
struct KubeletReviews: Sendable {
    let client: RESTClient
    let nodeName: String

    func tokenReview(_ token: String) async -> KubeletUser? {
        guard let info = ResourceTable.resource(group: "authentication.k8s.io", version: "v1", plural: "tokenreviews") else { return nil }
        let review: JSONValue = ["apiVersion": "authentication.k8s.io/v1", "kind": "TokenReview", "spec": ["token": .string(token)]]
        guard let answer = try? await client.create(info, review), answer[path: ["status", "authenticated"]]?.bool == true,
              let name = answer[path: ["status", "user", "username"]]?.string else { return nil }
        return KubeletUser(name: name, groups: (answer[path: ["status", "user", "groups"]]?.array ?? []).compactMap(\.string))
    }

    func accessReview(_ user: KubeletUser, _ verb: String, _ subresource: String) async -> Bool {
        guard let info = ResourceTable.resource(group: "authorization.k8s.io", version: "v1", plural: "subjectaccessreviews") else { return false }
        let review: JSONValue = [
            "apiVersion": "authorization.k8s.io/v1", "kind": "SubjectAccessReview",
            "spec": ["user": .string(user.name), "groups": .array(user.groups.map { .string($0) }),
                     "resourceAttributes": ["verb": .string(verb), "resource": "nodes", "subresource": .string(subresource),
                                            "name": .string(nodeName)]],
        ]
        guard let answer = try? await client.create(info, review) else { return false }
        return answer[path: ["status", "allowed"]]?.bool == true
    }
}

/// Why a log lookup failed, as the message `kubectl logs` shows.
enum KubeletBackendError: Error, CustomStringConvertible {
    case notFound(String)
    case badRequest(String)
    var description: String {
        switch self {
        case .notFound(let message), .badRequest(let message): message
        }
    }
}
