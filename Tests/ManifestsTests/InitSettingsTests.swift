import Testing
@testable import Manifests

@Suite struct InitSettingsTests {
    func resolve(_ flags: InitFlags = InitFlags(), yaml: String? = nil) throws -> InitSettings {
        let docs = try yaml.map { try ConfigLoader.load(yaml: $0, source: "t.yaml") }
        return try InitSettings.resolve(flags: flags, documents: docs, host: TestHost.facts)
    }

    @Test func upstreamDefaults() throws {
        let s = try resolve()
        #expect(s.nodeName == "node-a")
        #expect(s.advertiseAddress.description == "192.168.7.9")
        #expect(s.bindPort == 6443)
        #expect(s.serviceSubnet.description == "10.96.0.0/12")
        #expect(s.apiServerServiceIP.description == "10.96.0.1")
        #expect(s.dnsServiceIP.description == "10.96.0.10")
        #expect(s.dnsDomain == "cluster.local")
        #expect(s.certificatesDir == "/etc/kubernetes/pki")
        #expect(s.clusterName == "kubernetes")
        #expect(s.encryptionAlgorithm == "RSA-2048")
        #expect(s.certificateValidity == 8760 * 3600)
        #expect(s.caCertificateValidity == 87600 * 3600)
        #expect(s.controlPlaneEndpoint == "192.168.7.9:6443")
        #expect(s.datastore == .embedded)
        #expect(s.bootstrapTokens.count == 1)
        #expect(s.bootstrapTokens[0].ttl == 86_400.0)
        #expect(s.bootstrapTokens[0].usages == ["signing", "authentication"])
        #expect(s.bootstrapTokens[0].groups == ["system:bootstrappers:kubeadm:default-node-token"])
        #expect(s.taints == [Taint(key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule")])
        #expect(s.timeouts.controlPlaneComponentHealthCheck?.description == "4m0s")
        #expect(s.timeouts.discovery?.description == "5m0s")
        #expect(s.kubernetesVersion == WellKnown.kubernetesVersion)
    }

    @Test func flagsOverrideTheConfigFile() throws {
        var flags = InitFlags()
        flags.podNetworkCIDR = "10.32.0.0/16"
        flags.advertiseAddress = "10.1.2.3"
        flags.bindPort = 7443
        flags.nodeName = "cp-1"
        flags.token = "abcdef.0123456789abcdef"
        flags.tokenTTL = "1h"
        flags.controlPlaneEndpoint = "cp.example.com"
        let s = try resolve(flags, yaml: "apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\nnetworking:\n  podSubnet: 10.244.0.0/16\n")
        #expect(s.podSubnet?.description == "10.32.0.0/16")
        #expect(s.advertiseAddress.description == "10.1.2.3")
        #expect(s.nodeName == "cp-1")
        #expect(s.bootstrapTokens[0].token.description == "abcdef.0123456789abcdef")
        #expect(s.bootstrapTokens[0].ttl == 3600)
        #expect(s.controlPlaneEndpoint == "cp.example.com:7443")
        #expect(s.controlPlaneEndpointHost == "cp.example.com")
        #expect(s.localAPIServerURL == "https://10.1.2.3:7443")
    }

    @Test(arguments: [
        ("networking:\n  podSubnet: 10.244.0.0/99", "networking.podSubnet", "couldn't parse subnet"),
        ("networking:\n  serviceSubnet: 10.0.0.0/8", "networking.serviceSubnet", "too large"),
        ("networking:\n  serviceSubnet: nope", "networking.serviceSubnet", "couldn't parse subnet"),
        ("networking:\n  dnsDomain: Bad_Domain", "networking.dnsDomain", "RFC 1123"),
        ("certificatesDir: relative/pki", "certificatesDir", "absolute path"),
        ("kubernetesVersion: v1.30.0", "kubernetesVersion", "bundles"),
        ("encryptionAlgorithm: DSA", "encryptionAlgorithm", "supported values"),
        ("apiServer:\n  certSANs: [\"not a name\"]", "apiServer.certSANs[0]", "altname"),
        ("controlPlaneEndpoint: \"a:b:c:d:x\"", "controlPlaneEndpoint", "host:port"),
        ("etcd:\n  local: {}\n  external:\n    endpoints: [https://e:2379]", "etcd", "mutually exclusive"),
        ("featureGates:\n  NoSuchGate: true", "featureGates", "unknown feature gate"),
        ("certificateValidityPeriod: 0s", "certificateValidityPeriod", "greater than 0"),
    ])
    func clusterValidation(body: String, path: String, message: String) throws {
        let error = try #require(throws: ConfigError.self) {
            try resolve(yaml: "apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\n" + body)
        }
        let match = error.errors.first { $0.path == path }
        #expect(match != nil, "\(error)")
        #expect(match?.message.contains(message) == true, "\(error)")
    }

    @Test(arguments: [
        ("bootstrapTokens:\n- token: short.x", "bootstrapTokens[0].token", "[a-z0-9]{6}"),
        ("bootstrapTokens:\n- usages: [fly]", "bootstrapTokens[0].usages", "signing and authentication"),
        ("bootstrapTokens:\n- groups: [admins]", "bootstrapTokens[0].groups", "system:bootstrappers"),
        ("localAPIEndpoint:\n  advertiseAddress: 1.2.3", "localAPIEndpoint.advertiseAddress", "not a valid IP"),
        ("localAPIEndpoint:\n  bindPort: 70000", "localAPIEndpoint.bindPort", "between 1 and 65535"),
        ("nodeRegistration:\n  name: Bad_Name", "nodeRegistration.name", "RFC 1123"),
        ("nodeRegistration:\n  ignorePreflightErrors: [all, Swap]", "nodeRegistration.ignorePreflightErrors", "'all' is used"),
        ("timeouts:\n  discovery: 0s", "timeouts.discovery", "greater than 0"),
    ])
    func initValidation(body: String, path: String, message: String) throws {
        let error = try #require(throws: ConfigError.self) {
            try resolve(yaml: "apiVersion: kubeadm.k8s.io/v1beta4\nkind: InitConfiguration\n" + body)
        }
        let match = error.errors.first { $0.path == path }
        #expect(match != nil, "\(error)")
        #expect(match?.message.contains(message) == true, "\(error)")
        #expect(!error.description.contains("short.x"), "token values are credentials and must not be echoed")
    }

    @Test func reportsEveryProblemAtOnce() throws {
        var flags = InitFlags()
        flags.podNetworkCIDR = "x"
        flags.serviceCIDR = "y"
        flags.nodeName = "UPPER"
        let error = try #require(throws: ConfigError.self) { try resolve(flags) }
        #expect(error.errors.count == 3)
        #expect(error.source == "flags")
    }

    @Test func noDefaultRouteNeedsAnAddress() {
        let error = #expect(throws: ConfigError.self) {
            try InitSettings.resolve(flags: InitFlags(), documents: nil, host: HostFacts(hostname: "n", defaultRouteAddress: nil))
        }
        #expect(error?.description.contains("--apiserver-advertise-address") == true)
    }

    @Test func emptyTaintListMeansNoTaints() throws {
        let s = try resolve(yaml: "apiVersion: kubeadm.k8s.io/v1beta4\nkind: InitConfiguration\nnodeRegistration:\n  taints: []\n")
        #expect(s.taints.isEmpty)
    }

    @Test func localEtcdIsSelectedExplicitly() throws {
        let s = try resolve(yaml: "apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\netcd:\n  local:\n    serverCertSANs: [etcd.local]\n")
        #expect(s.datastore == .localEtcd(dataDir: "/var/lib/etcd", serverCertSANs: ["etcd.local"], peerCertSANs: []))
    }

    @Test func printedDefaultsLoadBack() throws {
        let (initCfg, cluster) = ConfigDefaults.printableInitDefaults()
        let yaml = try ConfigPrinter.yaml([initCfg, cluster])
        #expect(yaml.contains("ttl: 24h0m0s"))
        #expect(yaml.contains("serviceSubnet: 10.96.0.0/12"))
        let docs = try ConfigLoader.load(yaml: yaml, source: "defaults.yaml")
        #expect(docs.initConfiguration == initCfg)
        #expect(docs.clusterConfiguration == cluster)
        let s = try InitSettings.resolve(flags: InitFlags(), documents: docs, host: TestHost.facts)
        #expect(s.nodeName == "node")
        #expect(s.advertiseAddress.description == "1.2.3.4")
    }
}
