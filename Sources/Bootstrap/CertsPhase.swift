import Foundation
import Manifests
import PKI

/// Adapts the PKI module's certificate table to `init phase certs <name>`.
enum CertsPhase {
    static func input(_ s: InitSettings, now: Date = Date()) -> CertTreeInput {
        var etcdServerSANs: [String] = []
        var etcdPeerSANs: [String] = []
        if case .localEtcd(_, let server, let peer) = s.datastore {
            etcdServerSANs = server
            etcdPeerSANs = peer
        }
        return CertTreeInput(
            nodeName: s.nodeName, advertiseAddress: s.advertiseAddress.description,
            serviceSubnetFirstIP: s.apiServerServiceIP.description, dnsDomain: s.dnsDomain,
            controlPlaneEndpointHost: s.controlPlaneEndpointHost, apiServerCertSANs: s.certSANs,
            includeEtcd: s.datastore.isLocalEtcd, etcdServerCertSANs: etcdServerSANs, etcdPeerCertSANs: etcdPeerSANs,
            algorithm: KeyAlgorithm(rawValue: s.encryptionAlgorithm) ?? .rsa2048,
            certificateValidity: s.certificateValidity, caCertificateValidity: s.caCertificateValidity, now: now)
    }

    static var children: [Phase<InitData>] {
        CertTree.specs(includeEtcd: true).map { spec in
            Phase(spec.phaseName, spec.isCA ? "Generate the self-signed CA \(spec.certFileName)" : "Generate \(spec.certFileName)",
                  runIf: spec.isEtcd ? .init { $0.settings.datastore.isLocalEtcd } : nil) { data in
                let store = CertStore(directory: URL(fileURLWithPath: data.writePaths.pkiDir))
                try store.ensure(specs: [spec], input: input(data.settings), keyPool: data.keyPool.current, onLine: data.output.line)
            }
        } + [Phase("sa", "Generate the service account key pair") { data in
            let store = CertStore(directory: URL(fileURLWithPath: data.writePaths.pkiDir))
            try store.ensureServiceAccountKey(algorithm: input(data.settings).algorithm, keyPool: data.keyPool.current, onLine: data.output.line)
        }]
    }

    /// Prints kubeadm's folder line and starts generating every missing key in parallel, so the
    /// sub-phases (which run one after another) find their keys ready: RSA key generation dominates.
    @Sendable static func announce(_ data: InitData) async throws {
        data.say("[certs] Using certificateDir folder \"\(data.settings.certificatesDir)\"")
        let store = CertStore(directory: URL(fileURLWithPath: data.writePaths.pkiDir))
        let specs = CertTree.specs(includeEtcd: data.settings.datastore.isLocalEtcd)
        data.keyPool.current = store.prefetchKeys(specs: specs, algorithm: input(data.settings).algorithm, includeServiceAccountKey: true)
    }
}
