import KubeAPI
import KubeClient
import PKI

/// What every controller is built from: the parsed flags, the shared informers, the manager's own client (for
/// reads outside the informers) and a way to get a controller's own client.
struct ControllerContext: Sendable {
    let options: KubeControllerManager.Options
    let informers: SharedInformers
    /// The manager's identity.
    let reader: RESTClient
    /// The client acting as `kube-system/<service account>` (or the manager's, without
    /// `--use-service-account-credentials`).
    let clientFor: @Sendable (String) async throws -> RESTClient
    let rootCA: String?
    let caCertificate: Certificate?
    let caKey: PrivateKey?
    let log: @Sendable (String) -> Void

    /// An executor and an event recorder writing as the given ServiceAccount; `component` is the events' source.
    func writers(_ serviceAccount: String, component: String) async throws -> (ActionExecutor, EventRecorder) {
        let client = try await clientFor(serviceAccount)
        return (ActionExecutor(client: client), EventRecorder(client: client, component: component))
    }

    /// An executor writing as the given ServiceAccount.
    func executor(_ serviceAccount: String) async throws -> ActionExecutor {
        ActionExecutor(client: try await clientFor(serviceAccount))
    }
}
