import Foundation
import KubeAPI
import KubeClient
import Manifests
import PKI

/// Bootstrap-token discovery (kubeadm.md section 7.3): read kube-public/cluster-info without trusting the server,
/// check its JWS with the token, check the CA against every pin, then read it again over TLS verified with that CA
/// and require the same bytes. File discovery reads a kubeconfig instead.
enum JoinDiscovery {
    /// What discovery establishes: where the API server is and which CA it must present.
    struct ClusterIdentity: Sendable {
        var server: String
        var caPEM: String
    }

    static func run(_ join: ResolvedJoin, say: @Sendable (String) -> Void) async throws -> ClusterIdentity {
        if let file = join.discoveryFile { return try fromFile(file) }
        guard let token = join.discoveryToken else { throw DiscoveryError("token discovery needs --token or --discovery-token") }
        let server = "https://\(join.endpoint)"
        let insecure = try client(server: server, caPEM: nil)
        defer { Task { await insecure.shutdown() } }
        let deadline = ContinuousClock.now + .seconds(join.discoveryTimeout)
        var lastProblem = "no answer yet"
        while ContinuousClock.now < deadline {
            do {
                let (kubeconfig, signature) = try await fetch(insecure, tokenID: token.id)
                guard let signature else {
                    lastProblem = "the cluster-info ConfigMap does not yet contain a JWS signature for token ID \"\(token.id)\": "
                        + "the token is unknown to this cluster or has expired; 'kubeadm-swift token create --print-join-command' on the control plane prints a fresh join command"
                    try await Task.sleep(for: .seconds(1))
                    continue
                }
                guard DetachedJWS.verify(signature, payload: kubeconfig, tokenID: token.id, tokenSecret: token.secret) else {
                    throw DiscoveryError("failed to verify JWS signature of received cluster info object, can't trust this API Server")
                }
                let caPEM = try caFromClusterInfo(kubeconfig)
                if join.caCertHashes.isEmpty {
                    say("[preflight] WARNING: no TLS pinning was specified (--discovery-token-unsafe-skip-ca-verification): trusting the CA in cluster-info because its signature matches the token")
                    return ClusterIdentity(server: server, caPEM: caPEM)
                }
                try checkPins(caPEM, join.caCertHashes)
                let verified = try client(server: server, caPEM: caPEM)
                defer { Task { await verified.shutdown() } }
                let (second, _) = try await fetch(verified, tokenID: token.id)
                guard second == kubeconfig else {
                    throw DiscoveryError("the second kubeconfig from the cluster-info ConfigMap (using validated TLS) was different from the first")
                }
                return ClusterIdentity(server: server, caPEM: caPEM)
            } catch let error as DiscoveryError {
                throw error
            } catch let error as KubeClientError where error.isNotFound {
                lastProblem = "the cluster-info ConfigMap does not exist in kube-public (was the control plane made by 'kubeadm-swift init'?)"
            } catch {
                lastProblem = "\(error)"
            }
            try await Task.sleep(for: .seconds(1))
        }
        throw DiscoveryError("couldn't validate the identity of the API Server: abort connecting to API servers after timeout of \(GoDuration(seconds: join.discoveryTimeout)); last problem: \(lastProblem)")
    }

    /// The kubeconfig and this token's signature from cluster-info.
    static func fetch(_ client: RESTClient, tokenID: String) async throws -> (kubeconfig: String, signature: String?) {
        guard let configMaps = ResourceTable.resource(group: "", version: "v1", plural: "configmaps") else {
            throw DiscoveryError("this build has no configmaps resource")
        }
        let object = try await client.get(configMaps, namespace: "kube-public", name: "cluster-info")
        guard let kubeconfig = object[path: ["data", "kubeconfig"]]?.string else {
            throw DiscoveryError("the cluster-info ConfigMap has no kubeconfig key")
        }
        return (kubeconfig, object[path: ["data", "jws-kubeconfig-\(tokenID)"]]?.string)
    }

    static func client(server: String, caPEM: String?) throws -> RESTClient {
        guard let url = ServerURL(parsing: server) else { throw DiscoveryError("\(server) is not a valid API server URL") }
        let config = ClientConfig(server: url, certificateAuthorityPEM: caPEM, insecureSkipTLSVerify: caPEM == nil,
                                  requestTimeout: .seconds(10), connectTimeout: .seconds(5))
        return try RESTClient(config: config, component: "kubeadm-swift")
    }

    static func caFromClusterInfo(_ text: String) throws -> String {
        let kubeconfig = try Kubeconfig.parse(text)
        guard let data = kubeconfig.clusters.first?.cluster.certificateAuthorityData, let pem = Kubeconfig.decodeData(data) else {
            throw DiscoveryError("the cluster-info kubeconfig has no certificate-authority-data")
        }
        return pem
    }

    /// kubeadm's pin check: SHA-256 of the CA's SubjectPublicKeyInfo must equal one of the pins.
    static func checkPins(_ caPEM: String, _ pins: [String]) throws {
        let certificate: Certificate
        do { certificate = try Certificate(pem: caPEM) } catch {
            throw DiscoveryError("cluster CA found in cluster-info ConfigMap is invalid: \(error)")
        }
        let actual = caCertHash(certificate)
        let wanted = pins.map { $0.lowercased() }
        guard wanted.contains(actual) else {
            throw DiscoveryError("cluster CA found in cluster-info ConfigMap is invalid: none of the public keys \"\(actual)\" are pinned; check --discovery-token-ca-cert-hash against 'kubeadm-swift token create --print-join-command' on the control plane")
        }
    }

    /// File discovery: a kubeconfig with the server and CA (the TLS bootstrap token comes from the flags).
    static func fromFile(_ path: String) throws -> ClusterIdentity {
        let kubeconfig: Kubeconfig
        do { kubeconfig = try Kubeconfig.parse(String(contentsOfFile: path, encoding: .utf8)) } catch {
            throw DiscoveryError("cannot read the discovery file \(path): \(error)")
        }
        guard let cluster = kubeconfig.clusters.first?.cluster else { throw DiscoveryError("the discovery file \(path) has no cluster") }
        guard let data = cluster.certificateAuthorityData, let pem = Kubeconfig.decodeData(data) else {
            throw DiscoveryError("the discovery file \(path) has no certificate-authority-data")
        }
        return ClusterIdentity(server: cluster.server, caPEM: pem)
    }
}

struct DiscoveryError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
