import KubeAPI
/// Where the cluster keeps its state.
public enum Datastore: Sendable, Equatable {
    /// kubeadm-swift's embedded SQLite store inside the API server (the default).
    case embedded
    case localEtcd(dataDir: String, serverCertSANs: [String], peerCertSANs: [String])
    case externalEtcd(endpoints: [String], caFile: String?, certFile: String?, keyFile: String?)

    public var isLocalEtcd: Bool { if case .localEtcd = self { true } else { false } }
}

/// A bootstrap token with every default applied.
public struct ResolvedBootstrapToken: Sendable, Equatable {
    public var token: BootstrapTokenString
    public var description: String?
    /// nil = never expires (ttl 0).
    public var ttl: Double?
    public var usages: [String]
    public var groups: [String]

    public init(token: BootstrapTokenString, description: String?, ttl: Double?, usages: [String], groups: [String]) {
        self.token = token; self.description = description; self.ttl = ttl; self.usages = usages; self.groups = groups
    }
}

/// The init configuration after flags, defaults and validation: what the phases read.
///
/// Like kubeadm's internal config type, every field here is set and checked, so phase code never
/// re-validates or re-defaults.
public struct InitSettings: Sendable {
    public var initConfiguration: InitConfiguration
    public var clusterConfiguration: ClusterConfiguration
    public var kubeletConfiguration: String?
    public var nodeName: String
    public var advertiseAddress: IPAddress
    public var bindPort: Int
    /// `host:port` that users, kubelets and join commands use.
    public var controlPlaneEndpoint: String
    /// The host part of an explicit `controlPlaneEndpoint`, which goes into the API server certificate.
    public var controlPlaneEndpointHost: String?
    public var serviceSubnet: IPNetwork
    public var podSubnet: IPNetwork?
    public var dnsDomain: String
    public var clusterName: String
    public var kubernetesVersion: String
    public var certificatesDir: String
    public var imageRepository: String
    public var encryptionAlgorithm: String
    public var certificateValidity: Double
    public var caCertificateValidity: Double
    public var certSANs: [String]
    public var datastore: Datastore
    public var bootstrapTokens: [ResolvedBootstrapToken]
    public var ignorePreflightErrors: [String]
    public var skipPhases: [String]
    public var timeouts: Timeouts
    /// nil in the config means the control-plane taint.
    public var taints: [Taint]
    public var dryRun: Bool
    public var featureGates: [String: Bool]
    public var warnings: [String]

    /// `https://<advertise>:<port>`, what components on this node use.
    public var localAPIServerURL: String { "https://\(Self.hostPort(advertiseAddress.description, bindPort))" }
    public var controlPlaneURL: String { "https://\(controlPlaneEndpoint)" }
    /// The first address of the service range: the `kubernetes` Service's ClusterIP.
    public var apiServerServiceIP: IPAddress { serviceSubnet.address(at: 1) ?? serviceSubnet.address }
    /// The tenth address of the service range: cluster DNS.
    public var dnsServiceIP: IPAddress { serviceSubnet.address(at: 10) ?? serviceSubnet.address }

    static func hostPort(_ host: String, _ port: Int) -> String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}

extension InitSettings {
    public static let encryptionAlgorithms = ["RSA-2048", "RSA-3072", "RSA-4096", "ECDSA-P256"]
    /// kubeadm feature gates we accept (and, for now, do not change behaviour for).
    public static let knownFeatureGates = ["ControlPlaneKubeletLocalMode", "NodeLocalCRISocket", "WaitForAllControlPlaneComponents",
                                           "RootlessControlPlane", "EtcdLearnerMode", "PublicKeysECDSA"]
    static let versionAliases = ["stable", "stable-1", "stable-1.32", "latest", "latest-1", "latest-1.32", "ci/latest"]

    /// Merges flags over the config file, fills defaults and validates everything, reporting all problems at once.
    public static func resolve(flags: InitFlags, documents: ConfigDocuments?, host: HostFacts) throws -> InitSettings {
        let source = flags.configFile ?? "flags"
        var initCfg = documents?.initConfiguration ?? InitConfiguration()
        var cluster = documents?.clusterConfiguration ?? ClusterConfiguration()
        try flags.apply(to: &initCfg, &cluster)
        if let legacy = cluster.apiServer?.timeoutForControlPlane {
            var timeouts = initCfg.timeouts ?? Timeouts()
            timeouts.controlPlaneComponentHealthCheck = timeouts.controlPlaneComponentHealthCheck ?? legacy
            initCfg.timeouts = timeouts
            cluster.apiServer?.timeoutForControlPlane = nil
        }
        ConfigDefaults.fill(&initCfg, host: host)
        ConfigDefaults.fill(&cluster)

        var errors: [FieldError] = []
        var warnings = documents?.warnings ?? []
        let registration = initCfg.nodeRegistration ?? NodeRegistrationOptions()
        let endpoint = initCfg.localAPIEndpoint ?? APIEndpoint()
        let networking = cluster.networking ?? ClusterConfiguration.Networking()

        let nodeName = registration.name ?? ""
        if !NameValidation.isDNS1123Subdomain(nodeName) {
            errors.append(.invalid("nodeRegistration.name", nodeName, NameValidation.dns1123SubdomainRule + "; set a valid name with --node-name"))
        }

        var advertise = IPAddress("0.0.0.0") ?? IPAddress(bytes: [0, 0, 0, 0])
        if let text = endpoint.advertiseAddress, let ip = IPAddress(text) {
            advertise = ip
            if ip.isUnspecified {
                errors.append(.invalid("localAPIEndpoint.advertiseAddress", text, "the advertise address must be a concrete address of this host, not an unspecified one; pass --apiserver-advertise-address"))
            }
        } else if let text = endpoint.advertiseAddress {
            errors.append(.invalid("localAPIEndpoint.advertiseAddress", text, "not a valid IP address; pass --apiserver-advertise-address with an IPv4 or IPv6 address of this host"))
        } else {
            errors.append(FieldError("localAPIEndpoint.advertiseAddress", "Required value: this host has no default route to take an address from; pass --apiserver-advertise-address"))
        }
        let bindPort = endpoint.bindPort ?? WellKnown.apiServerPort
        if !(1...65535).contains(bindPort) {
            errors.append(.invalid("localAPIEndpoint.bindPort", "\(bindPort)", "port number must be between 1 and 65535, inclusive"))
        }

        let serviceText = networking.serviceSubnet ?? WellKnown.serviceSubnet
        var serviceSubnet: IPNetwork?
        if let parsed = IPNetwork(serviceText) {
            serviceSubnet = parsed
            let hostBits = parsed.address.bytes.count * 8 - parsed.prefixLength
            if hostBits > 20 {
                errors.append(.invalid("networking.serviceSubnet", serviceText, "specified service subnet is too large; the mask must leave at most 20 host bits (e.g. /12 or longer for IPv4, /108 or longer for IPv6)"))
            } else if hostBits < 4 {
                errors.append(.invalid("networking.serviceSubnet", serviceText, "specified service subnet is too small to hold the API server (.1) and DNS (.10) service IPs"))
            }
        } else {
            errors.append(.invalid("networking.serviceSubnet", serviceText, "couldn't parse subnet; use a CIDR such as \(WellKnown.serviceSubnet) (flag --service-cidr)"))
        }

        // Unlike kubeadm (no default, so pods wait for a network addon), kubeadm-swift's kubelets wire pods with the
        // standard CNI plugins from each node's podCIDR: a default pod subnet makes pods run out of the box.
        var podSubnet = IPNetwork(WellKnown.podSubnet)
        if let podText = networking.podSubnet, !podText.isEmpty {
            podSubnet = IPNetwork(podText)
            if podSubnet == nil {
                errors.append(.invalid("networking.podSubnet", podText, "couldn't parse subnet; use a CIDR such as 10.244.0.0/16 (flag --pod-network-cidr)"))
            }
        }

        let dnsDomain = networking.dnsDomain ?? WellKnown.dnsDomain
        if !NameValidation.isDNS1123Subdomain(dnsDomain) {
            errors.append(.invalid("networking.dnsDomain", dnsDomain, NameValidation.dns1123SubdomainRule + " (flag --service-dns-domain)"))
        }

        let certificatesDir = cluster.certificatesDir ?? WellKnown.certificatesDir
        if !certificatesDir.hasPrefix("/") {
            errors.append(.invalid("certificatesDir", certificatesDir, "must be an absolute path (flag --cert-dir)"))
        }

        var version = cluster.kubernetesVersion ?? WellKnown.kubernetesVersion
        if versionAliases.contains(version) {
            version = WellKnown.kubernetesVersion
        } else {
            let normalized = version.hasPrefix("v") ? version : "v" + version
            let prefix = "v\(WellKnown.kubernetesMajor).\(WellKnown.kubernetesMinor)."
            if normalized.hasPrefix(prefix), Int(normalized.dropFirst(prefix.count)) != nil {
                version = WellKnown.kubernetesVersion
                if normalized != WellKnown.kubernetesVersion {
                    warnings.append("[init] WARNING: kubernetesVersion \(normalized) requested; kubeadm-swift bundles \(WellKnown.kubernetesVersion) and uses it")
                }
            } else {
                errors.append(.invalid("kubernetesVersion", version, "kubeadm-swift bundles its own control plane, which serves Kubernetes \(WellKnown.kubernetesVersion); use that version (or omit the field)"))
            }
        }
        cluster.kubernetesVersion = version

        let algorithm = cluster.encryptionAlgorithm ?? WellKnown.encryptionAlgorithm
        if !encryptionAlgorithms.contains(algorithm) {
            errors.append(.invalid("encryptionAlgorithm", algorithm, "supported values: \(encryptionAlgorithms.joined(separator: ", "))"))
        }
        let leafValidity = cluster.certificateValidityPeriod?.seconds ?? WellKnown.certificateValidity
        let caValidity = cluster.caCertificateValidityPeriod?.seconds ?? WellKnown.caCertificateValidity
        if leafValidity <= 0 {
            errors.append(.invalid("certificateValidityPeriod", "\(GoDuration(seconds: leafValidity))", "must be greater than 0"))
        }
        if caValidity <= 0 {
            errors.append(.invalid("caCertificateValidityPeriod", "\(GoDuration(seconds: caValidity))", "must be greater than 0"))
        } else if leafValidity > caValidity {
            warnings.append("[init] WARNING: certificateValidityPeriod \(GoDuration(seconds: leafValidity)) is longer than caCertificateValidityPeriod \(GoDuration(seconds: caValidity)); leaf certificates cannot outlive their CA")
        }

        let certSANs = cluster.apiServer?.certSANs ?? []
        for (index, san) in certSANs.enumerated() where IPAddress(san) == nil
            && !NameValidation.isDNS1123Subdomain(san) && !NameValidation.isWildcardDNS1123Subdomain(san) {
            errors.append(.invalid("apiServer.certSANs[\(index)]", san, "altname is not a valid IP address, DNS label or a DNS label with subdomain wildcards (flag --apiserver-cert-extra-sans)"))
        }

        var cpeHost: String?
        var controlPlaneEndpoint = hostPort(advertise.description, bindPort)
        if let cpe = cluster.controlPlaneEndpoint, !cpe.isEmpty {
            if let (host, port) = splitHostPort(cpe, defaultPort: bindPort),
               IPAddress(host) != nil || NameValidation.isDNS1123Subdomain(host) {
                cpeHost = host
                controlPlaneEndpoint = hostPort(host, port)
            } else {
                errors.append(.invalid("controlPlaneEndpoint", cpe, "must be a host or host:port, where host is an IP address or a DNS name (flag --control-plane-endpoint)"))
            }
        }

        var datastore = Datastore.embedded
        if let etcd = cluster.etcd {
            switch (etcd.local, etcd.external) {
            case (.some, .some):
                errors.append(FieldError("etcd", "Invalid value: local and external are mutually exclusive; set only one"))
            case (.some(let local), nil):
                datastore = .localEtcd(dataDir: local.dataDir ?? WellKnown.etcdDataDir,
                                       serverCertSANs: local.serverCertSANs ?? [], peerCertSANs: local.peerCertSANs ?? [])
            case (nil, .some(let external)):
                if external.endpoints.isEmpty {
                    errors.append(FieldError("etcd.external.endpoints", "Required value: at least one etcd endpoint is needed"))
                }
                datastore = .externalEtcd(endpoints: external.endpoints, caFile: external.caFile,
                                          certFile: external.certFile, keyFile: external.keyFile)
            case (nil, nil):
                break
            }
        }

        var tokens: [ResolvedBootstrapToken] = []
        for (index, raw) in (initCfg.bootstrapTokens ?? []).enumerated() {
            let path = "bootstrapTokens[\(index)]"
            var token = BootstrapTokenString.generate()
            if let text = raw.token {
                if let parsed = BootstrapTokenString(text) { token = parsed }
                else { errors.append(.invalid(path + ".token", "<redacted>", "the bootstrap token is invalid: " + BootstrapTokenString.formatHint)) }
            }
            let ttl = raw.ttl?.seconds ?? WellKnown.defaultTokenTTL
            if ttl < 0 { errors.append(.invalid(path + ".ttl", "\(GoDuration(seconds: ttl))", "must not be negative; 0 means the token never expires")) }
            let usages = raw.usages ?? []
            for usage in usages where !["signing", "authentication"].contains(usage) {
                errors.append(.invalid(path + ".usages", usage, "supported usages are signing and authentication"))
            }
            let groups = raw.groups ?? []
            for group in groups where !isValidBootstrapGroup(group) {
                errors.append(.invalid(path + ".groups", group, "bootstrap group must match system:bootstrappers:[a-z0-9:-]{0,255}[a-z0-9]"))
            }
            tokens.append(ResolvedBootstrapToken(token: token, description: raw.description ?? WellKnown.bootstrapTokenDescription, ttl: ttl == 0 ? nil : ttl,
                                                 usages: usages, groups: groups))
        }

        let ignore = registration.ignorePreflightErrors ?? []
        let lowered = Set(ignore.map { $0.lowercased() })
        if lowered.contains("all"), lowered.count > 1 {
            errors.append(.invalid("nodeRegistration.ignorePreflightErrors", ignore.joined(separator: ","), "don't specify individual checks if 'all' is used"))
        }

        let timeouts = ConfigDefaults.filled(initCfg.timeouts)
        for (name, value) in [("controlPlaneComponentHealthCheck", timeouts.controlPlaneComponentHealthCheck),
                              ("kubeletHealthCheck", timeouts.kubeletHealthCheck), ("kubernetesAPICall", timeouts.kubernetesAPICall),
                              ("etcdAPICall", timeouts.etcdAPICall), ("tlsBootstrap", timeouts.tlsBootstrap),
                              ("discovery", timeouts.discovery), ("upgradeManifests", timeouts.upgradeManifests)] {
            if let value, value.seconds <= 0 { errors.append(.invalid("timeouts.\(name)", "\(value)", "must be greater than 0")) }
        }

        for (name, _) in cluster.featureGates ?? [:] where !knownFeatureGates.contains(name) {
            errors.append(.invalid("featureGates", name, "unknown feature gate; known gates: \(knownFeatureGates.joined(separator: ", "))"))
        }
        let componentArgs: [(String, ExtraArgs?)] = [("apiServer", cluster.apiServer?.extraArgs),
                                                      ("controllerManager", cluster.controllerManager?.extraArgs),
                                                      ("scheduler", cluster.scheduler?.extraArgs)]
        for (component, extraArgs) in componentArgs {
            for (index, arg) in (extraArgs?.args ?? []).enumerated() where arg.name.isEmpty || arg.name.hasPrefix("-") {
                errors.append(.invalid("\(component).extraArgs[\(index)].name", arg.name, "give the flag name without leading dashes, e.g. name: v, value: \"2\""))
            }
        }

        guard errors.isEmpty, let serviceSubnet else { throw ConfigError(source: source, errors: errors) }

        return InitSettings(
            initConfiguration: initCfg, clusterConfiguration: cluster, kubeletConfiguration: documents?.kubeletConfiguration,
            nodeName: nodeName, advertiseAddress: advertise, bindPort: bindPort,
            controlPlaneEndpoint: controlPlaneEndpoint, controlPlaneEndpointHost: cpeHost,
            serviceSubnet: serviceSubnet,
            podSubnet: podSubnet, dnsDomain: dnsDomain, clusterName: cluster.clusterName ?? WellKnown.clusterName,
            kubernetesVersion: version, certificatesDir: certificatesDir,
            imageRepository: cluster.imageRepository ?? WellKnown.imageRepository, encryptionAlgorithm: algorithm,
            certificateValidity: leafValidity, caCertificateValidity: caValidity, certSANs: certSANs, datastore: datastore,
            bootstrapTokens: tokens, ignorePreflightErrors: ignore, skipPhases: initCfg.skipPhases ?? [], timeouts: timeouts,
            taints: registration.taints ?? [Taint(key: WellKnown.controlPlaneLabel, effect: "NoSchedule")],
            dryRun: initCfg.dryRun ?? false, featureGates: cluster.featureGates ?? [:], warnings: warnings)
    }

    static func isValidBootstrapGroup(_ group: String) -> Bool {
        let prefix = "system:bootstrappers:"
        guard group.hasPrefix(prefix) else { return false }
        let rest = group.dropFirst(prefix.count)
        guard let last = rest.last, rest.count <= 256, last.isLetter || last.isNumber else { return false }
        return rest.allSatisfy { ($0.isLowercase && $0.isASCII) || ($0.isNumber && $0.isASCII) || $0 == ":" || $0 == "-" }
    }

    /// Splits `host`, `host:port`, `[v6]:port` or a bare IPv6 address.
    static func splitHostPort(_ text: String, defaultPort: Int) -> (String, Int)? {
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            let host = String(text[text.index(after: text.startIndex)..<close])
            let rest = text[text.index(after: close)...]
            if rest.isEmpty { return (host, defaultPort) }
            guard rest.hasPrefix(":"), let port = Int(rest.dropFirst()), (1...65535).contains(port) else { return nil }
            return (host, port)
        }
        if IPAddress(text) != nil { return (text, defaultPort) }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        switch parts.count {
        case 1: return (text, defaultPort)
        case 2:
            guard let port = Int(parts[1]), (1...65535).contains(port), !parts[0].isEmpty else { return nil }
            return (String(parts[0]), port)
        default: return nil
        }
    }
}
