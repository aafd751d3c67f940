import Foundation
import KubeAPI
import KubeClient
import Kubelet
import Manifests
import PKI
import Preflight
import Synchronization

/// What the join phases share: the resolved request, and what discovery and preflight learnt for kubelet-start.
public final class JoinData: Sendable {
    let join: ResolvedJoin
    let output: Output
    let dryRun: Bool
    let paths = HostPaths()
    private let learnt = Mutex<(identity: JoinDiscovery.ClusterIdentity?, kubeletConfig: String?)>((nil, nil))

    init(join: ResolvedJoin, output: Output, dryRun: Bool) {
        self.join = join
        self.output = output
        self.dryRun = dryRun
    }

    func say(_ text: String) { output.line(text) }
    var identity: JoinDiscovery.ClusterIdentity? { learnt.withLock { $0.identity } }
    var kubeletConfig: String? { learnt.withLock { $0.kubeletConfig } }
    func record(identity: JoinDiscovery.ClusterIdentity, kubeletConfig: String) {
        learnt.withLock { $0 = (identity, kubeletConfig) }
    }
}

/// kubeadm's worker join phases (kubeadm.md section 8.1) as data.
public enum JoinWorkflow {
    public static let workflow = Workflow<JoinData>(name: "join", phases: [
        Phase("preflight", "Run join pre-flight checks", run: preflight),
        Phase("kubelet-start", "Write kubelet settings, certificates and (re)start the kubelet", run: kubeletStart),
    ])

    @Sendable static func preflight(_ data: JoinData) async throws {
        var input = PreflightInput(nodeName: data.join.nodeName)
        input.manifestsDir = data.paths.manifestsDir
        input.kubernetesDir = data.paths.kubernetesDir
        input.caCertPath = data.paths.pkiDir + "/ca.crt"
        input.cniBinDir = data.paths.cniBinDir
        let ignore = try IgnoreSet(data.join.ignorePreflightErrors)
        try PreflightRunner.run(CheckSets.joinChecks(input), on: LiveHost(), ignoring: ignore, output: data.output.line).throwIfFatal()
        guard !data.dryRun else {
            data.say("[dryrun] Would discover the cluster at \(data.join.endpoint) and read its kubelet configuration")
            return
        }
        let identity = try await JoinDiscovery.run(data.join) { data.say($0) }
        let client = try bootstrapClient(data, identity)
        defer { Task { await client.shutdown() } }
        let configMaps = try Resources.info("", "configmaps")
        data.say("[preflight] Reading configuration from the \"kubeadm-config\" ConfigMap in namespace \"kube-system\"...")
        _ = try await client.get(configMaps, namespace: "kube-system", name: "kubeadm-config")
        data.say("[preflight] Use 'kubeadm-swift init phase upload-config --config your-config-file' to re-upload it.")
        let kubeletConfig = try await client.get(configMaps, namespace: "kube-system", name: "kubelet-config")
        guard let text = kubeletConfig[path: ["data", "kubelet"]]?.string else {
            throw DiscoveryError("the kubelet-config ConfigMap in kube-system has no \"kubelet\" key; re-run 'kubeadm-swift init phase upload-config kubelet' on the control plane")
        }
        data.record(identity: identity, kubeletConfig: text)
    }

    /// A client that authenticates with the TLS bootstrap token and trusts only the discovered CA.
    static func bootstrapClient(_ data: JoinData, _ identity: JoinDiscovery.ClusterIdentity) throws -> RESTClient {
        guard let token = data.join.tlsBootstrapToken, let url = ServerURL(parsing: identity.server) else {
            throw DiscoveryError("TLS bootstrap needs --token or --tls-bootstrap-token")
        }
        return try RESTClient(config: ClientConfig(server: url, certificateAuthorityPEM: identity.caPEM, bearerToken: token.description),
                              component: "kubeadm-swift")
    }

    @Sendable static func kubeletStart(_ data: JoinData) async throws {
        let paths = data.paths
        guard !data.dryRun else {
            data.say("[dryrun] Would write \(paths.kubeletConfigFile), \(paths.kubeletFlagsFile), bootstrap-kubelet.conf and ca.crt, start the kubelet and wait for its TLS bootstrap")
            return
        }
        guard let identity = data.identity, let kubeletConfig = data.kubeletConfig, let token = data.join.tlsBootstrapToken else {
            throw DiscoveryError("kubelet-start needs the preflight phase's discovery; run the whole join")
        }
        try AtomicFile.write(identity.caPEM, to: paths.pkiDir + "/ca.crt", mode: 0o644)
        let bootstrap = Kubeconfig.withToken(clusterName: "kubernetes", server: identity.server, caPEM: identity.caPEM,
                                             userName: "tls-bootstrap-token-user", token: token.description)
        try AtomicFile.write(try bootstrap.yaml(), to: paths.kubernetesDir + "/bootstrap-kubelet.conf", mode: 0o600)
        data.say("[kubelet-start] Writing kubelet configuration to file \"\(paths.kubeletConfigFile)\"")
        try AtomicFile.write(kubeletConfig, to: paths.kubeletConfigFile, mode: 0o644)
        data.say("[kubelet-start] Writing kubelet environment file with flags to file \"\(paths.kubeletFlagsFile)\"")
        let hostname = ProcessInfo.processInfo.hostName
        try AtomicFile.write(KubeletConfig.flagsEnv(nodeName: data.join.nodeName, hostname: hostname, extraArgs: data.join.kubeletExtraArgs, taints: nil),
                             to: paths.kubeletFlagsFile, mode: 0o644)
        data.say("[kubelet-start] Starting the kubelet")
        let kubelet = HostKubelet(paths: paths)
        try await kubelet.restart()
        let check = WaitControlPlanePhase.Check(component: "kubelet", scheme: "http", host: "127.0.0.1",
                                                port: WellKnown.kubeletHealthzPort, path: "/healthz")
        data.say("[kubelet-check] Waiting for a healthy kubelet at \(check.url). This can take up to \(GoDuration(seconds: data.join.kubeletHealthTimeout))")
        data.say("[kubelet-start] Waiting for the kubelet to perform the TLS Bootstrap")
        // The kubelet answers healthz once its TLS bootstrap is done and its servers are up.
        let healthy = await WaitControlPlanePhase.waitHealthy(check, timeout: max(data.join.kubeletHealthTimeout, data.join.tlsBootstrapTimeout))
        guard let elapsed = healthy.elapsed, FileManager.default.fileExists(atPath: paths.kubeconfig(.kubelet)) else {
            throw WaitError(component: "kubelet", url: check.url, timeout: data.join.tlsBootstrapTimeout, lastError: healthy.lastError,
                            logLines: kubelet.logTail(),
                            hint: "the kubelet log is \(kubelet.logFile); a TLS bootstrap that never completes usually means the csrapproving/csrsigning controllers are not running on the control plane ('kubectl get csr' there)")
        }
        data.say("[kubelet-check] The kubelet is healthy after \(WaitControlPlanePhase.format(elapsed))")
        try? FileManager.default.removeItem(atPath: paths.kubernetesDir + "/bootstrap-kubelet.conf")
    }

    static func printJoined(_ output: Output) {
        output.line("""

            This node has joined the cluster:
            * Certificate signing request was sent to apiserver and a response was received.
            * The Kubelet was informed of the new secure connection details.

            Run 'kubectl get nodes' on the control-plane to see this node join the cluster.

            """)
    }
}
