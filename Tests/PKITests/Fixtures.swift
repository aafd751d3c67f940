import Foundation
import PKI

/// A complete tree generated once per algorithm and shared by the table-driven tests, because RSA
/// key generation is the expensive part and the certificates are immutable values.
struct GeneratedTree: Sendable {
    let input: CertTreeInput
    let certificates: [String: Certificate]
    let keys: [String: PrivateKey]
    let lines: [String]

    static func make(_ algorithm: KeyAlgorithm) -> Result<GeneratedTree, any Error> {
        Result {
            try withTempDir { dir in
                let input = sampleInput(algorithm)
                let store = CertStore(directory: dir.pki)
                var lines: [String] = []
                let specs = CertTree.specs(includeEtcd: true)
                try store.ensure(specs: specs, input: input, includeServiceAccountKey: true) { lines.append($0) }
                var certificates: [String: Certificate] = [:]
                var keys: [String: PrivateKey] = [:]
                for spec in specs {
                    let (certificate, key) = try store.load(spec)
                    certificates[spec.name] = certificate
                    keys[spec.name] = key
                }
                return GeneratedTree(input: input, certificates: certificates, keys: keys, lines: lines)
            }
        }
    }

    static let rsa = make(.rsa2048)
    static let ecdsa = make(.ecdsaP256)

    static func get(_ algorithm: KeyAlgorithm) throws -> GeneratedTree {
        switch algorithm {
        case .ecdsaP256: try ecdsa.get()
        default: try rsa.get()
        }
    }
}

/// What one certificate of `sampleInput()` must contain (kubeadm.md §3.2).
struct ExpectedCert: Sendable, CustomStringConvertible {
    var name: String
    var commonName: String
    var organizations: [String] = []
    var dnsNames: [String] = []
    var ipAddresses: [String] = []
    var usages: [ExtendedKeyUsage] = []
    var issuer: String?

    var isCA: Bool { issuer == nil }
    var description: String { name }

    static let all: [ExpectedCert] = [
        ExpectedCert(name: "ca", commonName: "kubernetes", dnsNames: ["kubernetes"]),
        ExpectedCert(
            name: "apiserver", commonName: "kube-apiserver",
            dnsNames: [
                "*.apps.example.com", "api.example.com", "cp-1", "k8s.example.com", "kubernetes", "kubernetes.default",
                "kubernetes.default.svc", "kubernetes.default.svc.cluster.local",
            ],
            ipAddresses: ["10.96.0.1", "192.168.15.240", "10.0.0.9", "fd00::1"], usages: [.serverAuth], issuer: "ca"),
        ExpectedCert(
            name: "apiserver-kubelet-client", commonName: "kube-apiserver-kubelet-client",
            organizations: ["kubeadm:cluster-admins"], usages: [.clientAuth], issuer: "ca"),
        ExpectedCert(name: "front-proxy-ca", commonName: "front-proxy-ca", dnsNames: ["front-proxy-ca"]),
        ExpectedCert(
            name: "front-proxy-client", commonName: "front-proxy-client", usages: [.clientAuth],
            issuer: "front-proxy-ca"),
        ExpectedCert(name: "etcd-ca", commonName: "etcd-ca", dnsNames: ["etcd-ca"]),
        ExpectedCert(
            name: "etcd-server", commonName: "cp-1", dnsNames: ["cp-1", "etcd.example.com", "localhost"],
            ipAddresses: ["192.168.15.240", "127.0.0.1", "::1"], usages: [.serverAuth, .clientAuth], issuer: "etcd-ca"),
        ExpectedCert(
            name: "etcd-peer", commonName: "cp-1", dnsNames: ["cp-1", "localhost"],
            ipAddresses: ["192.168.15.240", "127.0.0.1", "::1", "10.1.1.1"], usages: [.serverAuth, .clientAuth],
            issuer: "etcd-ca"),
        ExpectedCert(
            name: "etcd-healthcheck-client", commonName: "kube-etcd-healthcheck-client", usages: [.clientAuth],
            issuer: "etcd-ca"),
        ExpectedCert(
            name: "apiserver-etcd-client", commonName: "kube-apiserver-etcd-client", usages: [.clientAuth],
            issuer: "etcd-ca"),
    ]
}
