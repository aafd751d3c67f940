import Foundation
import KubeAPI
import KubeClient

/// `--use-service-account-credentials` (kubeadm always sets it): each controller talks to the API server as its own
/// ServiceAccount `kube-system/<controller>`, so the bootstrap policy's `system:controller:<controller>` roles
/// apply. The controller manager's own identity may create those accounts and request their tokens; tokens are
/// written to files that the clients re-read, and refreshed well before they expire.
public final class ControllerCredentials: Sendable {
    let base: ClientConfig
    let client: RESTClient
    let directory: String
    static let tokenLifetime: Int64 = 3600
    static let refreshEvery: Duration = .seconds(1200)

    public init(base: ClientConfig, client: RESTClient) {
        self.base = base
        self.client = client
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("kube-controller-manager-tokens-\(getpid())").path
    }

    /// How long start-up waits for the API server to grant the manager its bootstrap role: right after init the
    /// server may still be writing its RBAC policy, and a 403 then is not an answer.
    static let startupPatience: Duration = .seconds(60)

    /// A client acting as `kube-system/<controller>`.
    public func client(for controller: String) async throws -> RESTClient {
        let deadline = ContinuousClock.now + Self.startupPatience
        var file: String
        while true {
            do {
                file = try await refresh(controller)
                break
            } catch let error as KubeClientError where (error.isForbidden || error.isUnauthorized) && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(500))
            }
        }
        var config = base
        config.clientCertificatePEM = nil
        config.clientKeyPEM = nil
        config.bearerToken = nil
        config.tokenFile = file
        return try RESTClient(config: config, component: "kube-controller-manager/\(controller)")
    }

    /// Keeps every controller's token fresh until cancelled.
    public func keepFresh(_ controllers: [String], log: @escaping @Sendable (String) -> Void) async {
        while !Task.isCancelled {
            try? await Task.sleep(for: Self.refreshEvery)
            if Task.isCancelled { return }
            for controller in controllers {
                do { _ = try await refresh(controller) } catch { log("refreshing the token of \(controller): \(error)") }
            }
        }
    }

    /// Ensures the account exists, requests a token and writes it (0600) to the controller's token file.
    @discardableResult
    func refresh(_ controller: String) async throws -> String {
        let accounts = ResourceTable.resource(group: "", version: "v1", plural: "serviceaccounts")
            ?? APIResourceInfo(group: "", version: "v1", kind: "ServiceAccount", plural: "serviceaccounts", namespaced: true, verbs: [])
        do {
            _ = try await client.create(accounts, namespace: "kube-system",
                                        ["apiVersion": "v1", "kind": "ServiceAccount", "metadata": ["name": .string(controller), "namespace": "kube-system"]])
        } catch let error as KubeClientError where error.isAlreadyExists {}
        let request: JSONValue = ["apiVersion": "authentication.k8s.io/v1", "kind": "TokenRequest",
                                  "spec": ["expirationSeconds": .integer(Self.tokenLifetime)]]
        let answer = try await client.create(accounts, namespace: "kube-system", name: controller, subresource: "token", request)
        guard let token = answer[path: ["status", "token"]]?.string else {
            throw ControllerManagerError("the TokenRequest for kube-system/\(controller) returned no token")
        }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let file = directory + "/" + controller
        let temporary = file + ".tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(token.utf8), attributes: [.posixPermissions: 0o600]),
              rename(temporary, file) == 0 else {
            throw ControllerManagerError("cannot write the token file \(file)")
        }
        return file
    }
}
