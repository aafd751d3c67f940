import Foundation

/// The cluster facts that determine the contents of kubeadm's certificates.
public struct CertTreeInput: Sendable {
    /// The node's name (apiserver DNS SAN; etcd server/peer CN and DNS SAN).
    public var nodeName: String
    /// The API server advertise address (textual IP).
    public var advertiseAddress: String
    /// First IP of the service subnet, e.g. `10.96.0.1` for `10.96.0.0/12`.
    public var serviceSubnetFirstIP: String
    /// Cluster DNS domain, e.g. `cluster.local`.
    public var dnsDomain: String
    /// Host part of `controlPlaneEndpoint` (a DNS name or an IP), if set.
    public var controlPlaneEndpointHost: String?
    /// `apiServer.certSANs`.
    public var apiServerCertSANs: [String]
    /// Whether kubeadm manages a local etcd (external etcd has no etcd certificates).
    public var includeEtcd: Bool
    /// `etcd.local.serverCertSANs`.
    public var etcdServerCertSANs: [String]
    /// `etcd.local.peerCertSANs`.
    public var etcdPeerCertSANs: [String]
    /// Key algorithm for new keys (`encryptionAlgorithm`).
    public var algorithm: KeyAlgorithm
    /// Leaf validity (`certificateValidityPeriod`, default 8760h).
    public var certificateValidity: TimeInterval
    /// CA validity (`caCertificateValidityPeriod`, default 87600h).
    public var caCertificateValidity: TimeInterval
    /// kubeadm's start time; all validity periods are computed from it, and existing certificates
    /// are checked for expiry against it.
    public var now: Date

    /// Default leaf validity: one year (8760h).
    public static let defaultCertificateValidity: TimeInterval = 8760 * 3600
    /// Default CA validity: ten years (87600h).
    public static let defaultCACertificateValidity: TimeInterval = 87600 * 3600

    /// Creates an input; defaults follow kubeadm v1beta4.
    public init(
        nodeName: String,
        advertiseAddress: String,
        serviceSubnetFirstIP: String = "10.96.0.1",
        dnsDomain: String = "cluster.local",
        controlPlaneEndpointHost: String? = nil,
        apiServerCertSANs: [String] = [],
        includeEtcd: Bool = true,
        etcdServerCertSANs: [String] = [],
        etcdPeerCertSANs: [String] = [],
        algorithm: KeyAlgorithm = .rsa2048,
        certificateValidity: TimeInterval = CertTreeInput.defaultCertificateValidity,
        caCertificateValidity: TimeInterval = CertTreeInput.defaultCACertificateValidity,
        now: Date = Date()
    ) {
        self.nodeName = nodeName
        self.advertiseAddress = advertiseAddress
        self.serviceSubnetFirstIP = serviceSubnetFirstIP
        self.dnsDomain = dnsDomain
        self.controlPlaneEndpointHost = controlPlaneEndpointHost
        self.apiServerCertSANs = apiServerCertSANs
        self.includeEtcd = includeEtcd
        self.etcdServerCertSANs = etcdServerCertSANs
        self.etcdPeerCertSANs = etcdPeerCertSANs
        self.algorithm = algorithm
        self.certificateValidity = certificateValidity
        self.caCertificateValidity = caCertificateValidity
        self.now = now
    }
}

/// One certificate of kubeadm's tree: where it lives, who signs it, and how its contents derive
/// from the cluster input. The table in `CertTree.specs` is the single source of truth.
public struct CertSpec: Sendable, Hashable {
    /// kubeadm's name (`certs renew` argument / check-expiration row), e.g. `"etcd-server"`.
    public let name: String
    /// File base name under the certificates dir, e.g. `"etcd/server"`; also the name kubeadm prints.
    public let baseName: String
    /// `name` of the signing CA; `nil` for self-signed CAs.
    public let caName: String?
    /// Description used by `certs renew` ("<longName> renewed").
    public let longName: String
    /// Sub-phase of `init phase certs`, e.g. `"etcd-ca"`.
    public let phaseName: String
    /// Whether this is a certificate authority.
    public var isCA: Bool { caName == nil }
    /// Whether this belongs to the local-etcd part of the tree.
    public let isEtcd: Bool
    /// Subject CN; `nil` means the node name (etcd server and peer).
    let fixedCommonName: String?
    /// Subject O entries.
    let organizations: [String]
    /// Extended key usages.
    let usages: [ExtendedKeyUsage]
    /// Which SANs the certificate carries.
    let sanProfile: SANProfile

    /// The SAN recipes kubeadm uses.
    enum SANProfile: Sendable, Hashable {
        case none
        case apiServer
        case etcdServer
        case etcdPeer
    }

    /// The file name used in SAN warnings and error messages, e.g. `"apiserver.crt"`.
    public var certFileName: String { baseName + ".crt" }

    /// The full configuration of this certificate for a cluster.
    /// - Parameter input: Cluster facts and timing.
    public func config(_ input: CertTreeInput) -> CertificateConfig {
        configWithWarnings(input).config
    }

    /// Like `config(_:)`, plus kubeadm's warnings for extra SANs that were dropped.
    /// - Parameter input: Cluster facts and timing.
    public func configWithWarnings(_ input: CertTreeInput) -> (config: CertificateConfig, warnings: [String]) {
        var dns: [String] = []
        var ips: [String] = []
        var extras: [String] = []
        switch sanProfile {
        case .none:
            break
        case .apiServer:
            dns = [
                input.nodeName, "kubernetes", "kubernetes.default", "kubernetes.default.svc",
                "kubernetes.default.svc.\(input.dnsDomain)",
            ]
            ips = [input.serviceSubnetFirstIP, input.advertiseAddress]
            if let host = input.controlPlaneEndpointHost, !host.isEmpty {
                if let ip = SubjectAltNames.canonicalIP(host) { ips.append(ip) } else { dns.append(host) }
            }
            extras = input.apiServerCertSANs
        case .etcdServer, .etcdPeer:
            dns = [input.nodeName, "localhost"]
            ips = [input.advertiseAddress, "127.0.0.1", "::1"]
            extras = sanProfile == .etcdServer ? input.etcdServerCertSANs : input.etcdPeerCertSANs
        }
        let classified = SubjectAltNames.classify(extras, certName: certFileName)
        let validity = isCA ? input.caCertificateValidity : input.certificateValidity
        let config = CertificateConfig(
            commonName: fixedCommonName ?? input.nodeName,
            organizations: organizations,
            dnsNames: SubjectAltNames.normalizedDNSNames(dns + classified.dnsNames),
            ipAddresses: SubjectAltNames.normalizedIPs(ips + classified.ipAddresses),
            usages: usages,
            isCA: isCA,
            notBefore: input.now.addingTimeInterval(-CertificateIssuer.certificateBackdate),
            notAfter: input.now.addingTimeInterval(validity))
        return (config, classified.warnings)
    }

    /// Whether kubeadm prints the "serving cert is signed for" line for this certificate.
    var isServing: Bool { sanProfile != .none }
}

/// kubeadm's certificate tree (from `phases/certs/certlist.go`), as data.
public enum CertTree {
    /// Every certificate, CAs before the leaves they sign, in the order kubeadm generates and prints them.
    public static let all: [CertSpec] = [
        CertSpec(
            name: "ca", baseName: "ca", caName: nil,
            longName: "self-signed Kubernetes CA to provision identities for other Kubernetes components",
            phaseName: "ca", isEtcd: false, fixedCommonName: "kubernetes", organizations: [], usages: [],
            sanProfile: .none),
        CertSpec(
            name: "apiserver", baseName: "apiserver", caName: "ca",
            longName: "certificate for serving the Kubernetes API",
            phaseName: "apiserver", isEtcd: false, fixedCommonName: "kube-apiserver", organizations: [],
            usages: [.serverAuth], sanProfile: .apiServer),
        CertSpec(
            name: "apiserver-kubelet-client", baseName: "apiserver-kubelet-client", caName: "ca",
            longName: "certificate for the API server to connect to kubelet",
            phaseName: "apiserver-kubelet-client", isEtcd: false, fixedCommonName: "kube-apiserver-kubelet-client",
            organizations: ["kubeadm:cluster-admins"], usages: [.clientAuth], sanProfile: .none),
        CertSpec(
            name: "front-proxy-ca", baseName: "front-proxy-ca", caName: nil,
            longName: "self-signed CA to provision identities for front proxy",
            phaseName: "front-proxy-ca", isEtcd: false, fixedCommonName: "front-proxy-ca", organizations: [],
            usages: [],
            sanProfile: .none),
        CertSpec(
            name: "front-proxy-client", baseName: "front-proxy-client", caName: "front-proxy-ca",
            longName: "certificate for the front proxy client",
            phaseName: "front-proxy-client", isEtcd: false, fixedCommonName: "front-proxy-client", organizations: [],
            usages: [.clientAuth], sanProfile: .none),
        CertSpec(
            name: "etcd-ca", baseName: "etcd/ca", caName: nil,
            longName: "self-signed CA to provision identities for etcd",
            phaseName: "etcd-ca", isEtcd: true, fixedCommonName: "etcd-ca", organizations: [], usages: [],
            sanProfile: .none),
        CertSpec(
            name: "etcd-server", baseName: "etcd/server", caName: "etcd-ca",
            longName: "certificate for serving etcd",
            phaseName: "etcd-server", isEtcd: true, fixedCommonName: nil, organizations: [],
            usages: [.serverAuth, .clientAuth], sanProfile: .etcdServer),
        CertSpec(
            name: "etcd-peer", baseName: "etcd/peer", caName: "etcd-ca",
            longName: "certificate for etcd nodes to communicate with each other",
            phaseName: "etcd-peer", isEtcd: true, fixedCommonName: nil, organizations: [],
            usages: [.serverAuth, .clientAuth], sanProfile: .etcdPeer),
        CertSpec(
            name: "etcd-healthcheck-client", baseName: "etcd/healthcheck-client", caName: "etcd-ca",
            longName: "certificate for liveness probes to healthcheck etcd",
            phaseName: "etcd-healthcheck-client", isEtcd: true, fixedCommonName: "kube-etcd-healthcheck-client",
            organizations: [], usages: [.clientAuth], sanProfile: .none),
        CertSpec(
            name: "apiserver-etcd-client", baseName: "apiserver-etcd-client", caName: "etcd-ca",
            longName: "certificate the apiserver uses to access etcd",
            phaseName: "apiserver-etcd-client", isEtcd: true, fixedCommonName: "kube-apiserver-etcd-client",
            organizations: [], usages: [.clientAuth], sanProfile: .none),
    ]

    /// The certificates kubeadm manages; without local etcd the etcd CA and leaves are left out.
    /// - Parameter includeEtcd: `false` for external etcd.
    public static func specs(includeEtcd: Bool) -> [CertSpec] {
        includeEtcd ? all : all.filter { !$0.isEtcd }
    }

    /// Looks a spec up by kubeadm name (`"etcd-server"`), phase name or base name (`"etcd/server"`).
    public static func spec(named name: String) -> CertSpec? {
        all.first { $0.name == name || $0.phaseName == name || $0.baseName == name }
    }
}
