/// Upstream v1beta4 defaults, filled into the wire types so that `config print` and the resolved settings agree.
public enum ConfigDefaults {
    public static let placeholderToken = "abcdef.0123456789abcdef"

    public static func fill(_ initCfg: inout InitConfiguration, host: HostFacts) {
        if initCfg.bootstrapTokens?.isEmpty ?? true { initCfg.bootstrapTokens = [BootstrapToken()] }
        initCfg.bootstrapTokens = initCfg.bootstrapTokens?.map { token in
            var token = token
            if token.ttl == nil { token.ttl = GoDuration(seconds: WellKnown.defaultTokenTTL) }
            if token.usages == nil { token.usages = ["signing", "authentication"] }
            if token.groups == nil { token.groups = [WellKnown.defaultNodeTokenGroup] }
            return token
        }
        var endpoint = initCfg.localAPIEndpoint ?? APIEndpoint()
        if endpoint.advertiseAddress?.isEmpty ?? true { endpoint.advertiseAddress = host.defaultRouteAddress }
        if endpoint.bindPort == nil || endpoint.bindPort == 0 { endpoint.bindPort = WellKnown.apiServerPort }
        initCfg.localAPIEndpoint = endpoint
        var registration = initCfg.nodeRegistration ?? NodeRegistrationOptions()
        fill(&registration, host: host)
        initCfg.nodeRegistration = registration
        initCfg.timeouts = filled(initCfg.timeouts)
    }

    public static func fill(_ registration: inout NodeRegistrationOptions, host: HostFacts) {
        if registration.name?.isEmpty ?? true { registration.name = host.hostname.lowercased() }
        if registration.imagePullPolicy == nil { registration.imagePullPolicy = "IfNotPresent" }
        if registration.imagePullSerial == nil { registration.imagePullSerial = true }
    }

    public static func filled(_ timeouts: Timeouts?) -> Timeouts {
        var t = timeouts ?? Timeouts()
        typealias D = WellKnown.Timeouts
        t.controlPlaneComponentHealthCheck = t.controlPlaneComponentHealthCheck ?? GoDuration(seconds: D.controlPlaneComponentHealthCheck)
        t.kubeletHealthCheck = t.kubeletHealthCheck ?? GoDuration(seconds: D.kubeletHealthCheck)
        t.kubernetesAPICall = t.kubernetesAPICall ?? GoDuration(seconds: D.kubernetesAPICall)
        t.etcdAPICall = t.etcdAPICall ?? GoDuration(seconds: D.etcdAPICall)
        t.tlsBootstrap = t.tlsBootstrap ?? GoDuration(seconds: D.tlsBootstrap)
        t.discovery = t.discovery ?? GoDuration(seconds: D.discovery)
        t.upgradeManifests = t.upgradeManifests ?? GoDuration(seconds: D.upgradeManifests)
        return t
    }

    public static func fill(_ cluster: inout ClusterConfiguration) {
        var networking = cluster.networking ?? ClusterConfiguration.Networking()
        if networking.serviceSubnet?.isEmpty ?? true { networking.serviceSubnet = WellKnown.serviceSubnet }
        if networking.dnsDomain?.isEmpty ?? true { networking.dnsDomain = WellKnown.dnsDomain }
        cluster.networking = networking
        if cluster.kubernetesVersion?.isEmpty ?? true { cluster.kubernetesVersion = WellKnown.kubernetesVersion }
        if cluster.certificatesDir?.isEmpty ?? true { cluster.certificatesDir = WellKnown.certificatesDir }
        if cluster.imageRepository?.isEmpty ?? true { cluster.imageRepository = WellKnown.imageRepository }
        if cluster.clusterName?.isEmpty ?? true { cluster.clusterName = WellKnown.clusterName }
        if cluster.encryptionAlgorithm?.isEmpty ?? true { cluster.encryptionAlgorithm = WellKnown.encryptionAlgorithm }
        if cluster.certificateValidityPeriod == nil { cluster.certificateValidityPeriod = GoDuration(seconds: WellKnown.certificateValidity) }
        if cluster.caCertificateValidityPeriod == nil { cluster.caCertificateValidityPeriod = GoDuration(seconds: WellKnown.caCertificateValidity) }
        if cluster.apiServer == nil { cluster.apiServer = .init() }
        if cluster.controllerManager == nil { cluster.controllerManager = .init() }
        if cluster.scheduler == nil { cluster.scheduler = .init() }
        if cluster.dns == nil { cluster.dns = .init() }
        if cluster.proxy == nil { cluster.proxy = .init() }
        if cluster.etcd == nil { cluster.etcd = .init() }
        if var local = cluster.etcd?.local, local.dataDir?.isEmpty ?? true {
            local.dataDir = WellKnown.etcdDataDir
            cluster.etcd?.local = local
        }
    }

    /// What `config print init-defaults` shows: defaults plus kubeadm's well-known placeholders.
    public static func printableInitDefaults() -> (InitConfiguration, ClusterConfiguration) {
        var initCfg = InitConfiguration()
        var token = BootstrapToken()
        token.token = placeholderToken
        initCfg.bootstrapTokens = [token]
        initCfg.localAPIEndpoint = APIEndpoint(advertiseAddress: "1.2.3.4", bindPort: WellKnown.apiServerPort)
        var registration = NodeRegistrationOptions()
        registration.name = "node"
        initCfg.nodeRegistration = registration
        fill(&initCfg, host: HostFacts(hostname: "node", defaultRouteAddress: "1.2.3.4"))
        var cluster = ClusterConfiguration()
        fill(&cluster)
        return (initCfg, cluster)
    }

    /// What `config print join-defaults` shows.
    public static func printableJoinDefaults() -> JoinConfiguration {
        var join = JoinConfiguration()
        join.caCertPath = WellKnown.certificatesDir + "/ca.crt"
        var discovery = JoinConfiguration.Discovery()
        var token = JoinConfiguration.BootstrapTokenDiscovery()
        token.token = placeholderToken
        token.apiServerEndpoint = "kube-apiserver:\(WellKnown.apiServerPort)"
        token.unsafeSkipCAVerification = true
        discovery.bootstrapToken = token
        discovery.tlsBootstrapToken = placeholderToken
        join.discovery = discovery
        var registration = NodeRegistrationOptions()
        registration.name = "node"
        fill(&registration, host: HostFacts(hostname: "node", defaultRouteAddress: nil))
        registration.taints = nil
        join.nodeRegistration = registration
        join.timeouts = filled(nil)
        return join
    }
}
