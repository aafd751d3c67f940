import ArgumentParser
import Foundation
import Manifests

/// The flags `init` and every `init phase` share (kubeadm's names).
struct InitOptions: ParsableArguments {
    @Option(name: .customLong("config"), help: "Path to a kubeadm configuration file (kubeadm.k8s.io/v1beta4 or v1beta3).")
    var config: String?
    @Option(name: .customLong("apiserver-advertise-address"), help: "The IP address the API server advertises (default: the default-route address).")
    var advertiseAddress: String?
    @Option(name: .customLong("apiserver-bind-port"), help: "Port for the API server to bind to (default 6443).")
    var bindPort: Int?
    @Option(name: .customLong("apiserver-cert-extra-sans"), help: "Extra Subject Alternative Names (IPs or DNS names) for the API server certificate, comma-separated.")
    var certExtraSANs: String?
    @Option(name: .customLong("cert-dir"), help: "The path where certificates are saved and stored (default /etc/kubernetes/pki).")
    var certDir: String?
    @Option(name: .customLong("kubeconfig-dir"), help: "The path where kubeconfig files are saved (default /etc/kubernetes).")
    var kubeconfigDir: String?
    @Option(name: .customLong("control-plane-endpoint"), help: "A stable IP address or DNS name for the control plane, optionally with a port.")
    var controlPlaneEndpoint: String?
    @Option(name: .customLong("node-name"), help: "The node name (default: the hostname).")
    var nodeName: String?
    @Option(name: .customLong("pod-network-cidr"), help: "The range of IP addresses for the pod network.")
    var podNetworkCIDR: String?
    @Option(name: .customLong("service-cidr"), help: "The range of IP addresses for service VIPs (default 10.96.0.0/12).")
    var serviceCIDR: String?
    @Option(name: .customLong("service-dns-domain"), help: "The DNS domain for services (default cluster.local).")
    var serviceDNSDomain: String?
    @Option(name: .customLong("kubernetes-version"), help: "The Kubernetes version (kubeadm-swift bundles \(WellKnown.kubernetesVersion)).")
    var kubernetesVersion: String?
    @Option(name: .customLong("token"), help: "The bootstrap token, [a-z0-9]{6}.[a-z0-9]{16} (default: random).")
    var token: String?
    @Option(name: .customLong("token-ttl"), help: "How long the bootstrap token lives, e.g. 24h0m0s; 0 means forever.")
    var tokenTTL: String?
    @Option(name: .customLong("ignore-preflight-errors"), help: "Comma-separated checks whose errors become warnings, or 'all'.")
    var ignorePreflightErrors: [String] = []
    @Option(name: .customLong("skip-phases"), help: "Comma-separated phases to skip (e.g. preflight,certs/etcd-ca).")
    var skipPhases: String?
    @Flag(name: .customLong("dry-run"), help: "Write everything into a temporary directory and print what would be written; change nothing on this host.")
    var dryRun = false

    var flags: InitFlags {
        var flags = InitFlags()
        flags.configFile = config
        flags.advertiseAddress = advertiseAddress
        flags.bindPort = bindPort
        flags.certSANs = certExtraSANs.map(Self.list)
        flags.certificatesDir = certDir
        flags.kubeconfigDir = kubeconfigDir
        flags.controlPlaneEndpoint = controlPlaneEndpoint
        flags.nodeName = nodeName
        flags.podNetworkCIDR = podNetworkCIDR
        flags.serviceCIDR = serviceCIDR
        flags.serviceDNSDomain = serviceDNSDomain
        flags.kubernetesVersion = kubernetesVersion
        flags.token = token
        flags.tokenTTL = tokenTTL
        flags.ignorePreflightErrors = ignorePreflightErrors.flatMap(Self.list)
        flags.skipPhases = skipPhases.map(Self.list)
        flags.dryRun = dryRun
        return flags
    }

    static func list(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}

