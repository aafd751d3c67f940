/// `kubeadm.k8s.io/v1beta4` InitConfiguration: what is specific to the node running `init`.
public struct InitConfiguration: Codable, Sendable, Hashable {
    public var apiVersion: String?
    public var kind: String?
    public var bootstrapTokens: [BootstrapToken]?
    public var dryRun: Bool?
    public var nodeRegistration: NodeRegistrationOptions?
    public var localAPIEndpoint: APIEndpoint?
    public var certificateKey: String?
    public var skipPhases: [String]?
    public var patches: Patches?
    public var timeouts: Timeouts?
    public init() { apiVersion = WellKnown.v1beta4; kind = "InitConfiguration" }
}

/// `kubeadm.k8s.io/v1beta4` ClusterConfiguration: what every node of the cluster shares.
public struct ClusterConfiguration: Codable, Sendable, Hashable {
    public var apiVersion: String?
    public var kind: String?
    public var etcd: Etcd?
    public var networking: Networking?
    public var kubernetesVersion: String?
    public var controlPlaneEndpoint: String?
    public var apiServer: APIServer?
    public var controllerManager: ControlPlaneComponentConfig?
    public var scheduler: ControlPlaneComponentConfig?
    public var dns: DNS?
    public var proxy: Proxy?
    public var certificatesDir: String?
    public var imageRepository: String?
    public var featureGates: [String: Bool]?
    public var clusterName: String?
    public var encryptionAlgorithm: String?
    public var certificateValidityPeriod: GoDuration?
    public var caCertificateValidityPeriod: GoDuration?
    public init() { apiVersion = WellKnown.v1beta4; kind = "ClusterConfiguration" }

    public struct Networking: Codable, Sendable, Hashable {
        public var serviceSubnet: String?
        public var podSubnet: String?
        public var dnsDomain: String?
        public init() {}
    }

    /// Where the cluster keeps its state. Neither `local` nor `external` means kubeadm-swift's embedded
    /// SQLite datastore (upstream kubeadm would default to a local etcd here; see docs/architecture.md).
    public struct Etcd: Codable, Sendable, Hashable {
        public var local: LocalEtcd?
        public var external: ExternalEtcd?
        public init() {}
    }

    public struct LocalEtcd: Codable, Sendable, Hashable {
        public var imageRepository: String?
        public var imageTag: String?
        public var dataDir: String?
        public var extraArgs: ExtraArgs?
        public var extraEnvs: [EnvVar]?
        public var serverCertSANs: [String]?
        public var peerCertSANs: [String]?
    }

    public struct ExternalEtcd: Codable, Sendable, Hashable {
        public var endpoints: [String]
        public var caFile: String?
        public var certFile: String?
        public var keyFile: String?
    }

    public struct APIServer: Codable, Sendable, Hashable {
        public var extraArgs: ExtraArgs?
        public var extraVolumes: [HostPathMount]?
        public var extraEnvs: [EnvVar]?
        public var certSANs: [String]?
        /// v1beta3 only; converted to `timeouts.controlPlaneComponentHealthCheck`.
        public var timeoutForControlPlane: GoDuration?
        public init() {}
    }

    public struct ControlPlaneComponentConfig: Codable, Sendable, Hashable {
        public var extraArgs: ExtraArgs?
        public var extraVolumes: [HostPathMount]?
        public var extraEnvs: [EnvVar]?
        public init() {}
    }

    public struct DNS: Codable, Sendable, Hashable {
        public var imageRepository: String?
        public var imageTag: String?
        public var disabled: Bool?
        public init() {}
    }

    public struct Proxy: Codable, Sendable, Hashable {
        public var disabled: Bool?
        public init() {}
    }
}

/// `kubeadm.k8s.io/v1beta4` JoinConfiguration.
public struct JoinConfiguration: Codable, Sendable, Hashable {
    public var apiVersion: String?
    public var kind: String?
    public var dryRun: Bool?
    public var nodeRegistration: NodeRegistrationOptions?
    public var caCertPath: String?
    public var discovery: Discovery?
    public var controlPlane: JoinControlPlane?
    public var skipPhases: [String]?
    public var patches: Patches?
    public var timeouts: Timeouts?
    public init() { apiVersion = WellKnown.v1beta4; kind = "JoinConfiguration" }

    public struct Discovery: Codable, Sendable, Hashable {
        public var bootstrapToken: BootstrapTokenDiscovery?
        public var file: FileDiscovery?
        public var tlsBootstrapToken: String?
        /// v1beta3 only; converted to `timeouts.discovery`.
        public var timeout: GoDuration?
        public init() {}
    }

    public struct BootstrapTokenDiscovery: Codable, Sendable, Hashable {
        public var token: String?
        public var apiServerEndpoint: String?
        public var caCertHashes: [String]?
        public var unsafeSkipCAVerification: Bool?
        public init() {}
    }

    public struct FileDiscovery: Codable, Sendable, Hashable {
        public var kubeConfigPath: String
    }

    public struct JoinControlPlane: Codable, Sendable, Hashable {
        public var localAPIEndpoint: APIEndpoint?
        public var certificateKey: String?
    }
}

/// `kubeadm.k8s.io/v1beta4` ResetConfiguration.
public struct ResetConfiguration: Codable, Sendable, Hashable {
    public var apiVersion: String?
    public var kind: String?
    public var cleanupTmpDir: Bool?
    public var certificatesDir: String?
    public var criSocket: String?
    public var dryRun: Bool?
    public var force: Bool?
    public var ignorePreflightErrors: [String]?
    public var skipPhases: [String]?
    public var unmountFlags: [String]?
    public var timeouts: Timeouts?
    public init() { apiVersion = WellKnown.v1beta4; kind = "ResetConfiguration" }
}
