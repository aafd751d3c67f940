/// What `kubeadm-swift init` (and `init phase ...`) flags say; every field overrides the config file.
public struct InitFlags: Sendable, Equatable {
    public var configFile: String?
    public var advertiseAddress: String?
    public var bindPort: Int?
    public var certSANs: [String]?
    public var certificatesDir: String?
    public var kubeconfigDir: String?
    public var controlPlaneEndpoint: String?
    public var nodeName: String?
    public var podNetworkCIDR: String?
    public var serviceCIDR: String?
    public var serviceDNSDomain: String?
    public var kubernetesVersion: String?
    public var token: String?
    public var tokenTTL: String?
    public var ignorePreflightErrors: [String] = []
    public var skipPhases: [String]?
    public var dryRun: Bool = false
    public init() {}

    /// Applies the flags on top of the config documents (flags win, as with kubeadm's flag/config merge).
    public func apply(to initCfg: inout InitConfiguration, _ cluster: inout ClusterConfiguration) throws {
        var endpoint = initCfg.localAPIEndpoint ?? APIEndpoint()
        if let advertiseAddress { endpoint.advertiseAddress = advertiseAddress }
        if let bindPort { endpoint.bindPort = bindPort }
        initCfg.localAPIEndpoint = endpoint

        var registration = initCfg.nodeRegistration ?? NodeRegistrationOptions()
        if let nodeName { registration.name = nodeName }
        if !ignorePreflightErrors.isEmpty {
            registration.ignorePreflightErrors = (registration.ignorePreflightErrors ?? []) + ignorePreflightErrors
        }
        initCfg.nodeRegistration = registration
        if let skipPhases { initCfg.skipPhases = skipPhases }
        if dryRun { initCfg.dryRun = true }

        if token != nil || tokenTTL != nil {
            var tokens = initCfg.bootstrapTokens ?? []
            if tokens.isEmpty { tokens.append(BootstrapToken()) }
            if let token { tokens[0].token = token }
            if let tokenTTL {
                do { tokens[0].ttl = try GoDuration(parsing: tokenTTL) } catch {
                    throw ConfigError(source: "flags", errors: [.invalid("--token-ttl", tokenTTL, "\(error)")])
                }
            }
            initCfg.bootstrapTokens = tokens
        }

        var networking = cluster.networking ?? ClusterConfiguration.Networking()
        if let podNetworkCIDR { networking.podSubnet = podNetworkCIDR }
        if let serviceCIDR { networking.serviceSubnet = serviceCIDR }
        if let serviceDNSDomain { networking.dnsDomain = serviceDNSDomain }
        cluster.networking = networking
        if let certSANs {
            var apiServer = cluster.apiServer ?? ClusterConfiguration.APIServer()
            apiServer.certSANs = certSANs
            cluster.apiServer = apiServer
        }
        if let certificatesDir { cluster.certificatesDir = certificatesDir }
        if let controlPlaneEndpoint { cluster.controlPlaneEndpoint = controlPlaneEndpoint }
        if let kubernetesVersion { cluster.kubernetesVersion = kubernetesVersion }
    }
}
