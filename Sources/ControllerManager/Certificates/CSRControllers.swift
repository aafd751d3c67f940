import Foundation
import KubeAPI
import KubeClient
import PKI

/// The certificate controllers kubeadm's join needs: `csrapproving` approves kubelet client CSRs whose requester may
/// (by a SubjectAccessReview on `certificatesigningrequests/nodeclient` or `/selfnodeclient`), and `csrsigning`
/// signs approved CSRs of the built-in signers with the cluster CA.
public struct CSRControllers: Sendable {
    let client: RESTClient
    let caCertificate: Certificate?
    let caKey: PrivateKey?
    /// `--cluster-signing-duration` (upstream default one year).
    let duration: TimeInterval

    static let csrs = ResourceTable.resource(group: "certificates.k8s.io", version: "v1", plural: "certificatesigningrequests")
        ?? APIResourceInfo(group: "certificates.k8s.io", version: "v1", kind: "CertificateSigningRequest",
                           plural: "certificatesigningrequests", namespaced: false, verbs: [])
    static let reviews = ResourceTable.resource(group: "authorization.k8s.io", version: "v1", plural: "subjectaccessreviews")
        ?? APIResourceInfo(group: "authorization.k8s.io", version: "v1", kind: "SubjectAccessReview", plural: "subjectaccessreviews",
                           namespaced: false, verbs: [])

    /// Signers this controller signs for, with the usages each allows.
    static let signers: [String: Set<String>] = [
        "kubernetes.io/kube-apiserver-client-kubelet": ["digital signature", "key encipherment", "client auth"],
        "kubernetes.io/kube-apiserver-client": ["digital signature", "key encipherment", "client auth"],
        "kubernetes.io/kubelet-serving": ["digital signature", "key encipherment", "server auth"],
    ]

    public init(client: RESTClient, caCertificate: Certificate?, caKey: PrivateKey?, duration: TimeInterval = 365 * 24 * 3600) {
        self.client = client; self.caCertificate = caCertificate; self.caKey = caKey; self.duration = duration
    }

    /// The loop over CertificateSigningRequests, writing as `certificate-controller`.
    static func loops(_ context: ControllerContext) async throws -> [ControllerLoop] {
        let csrs = context.informers.informer("certificates.k8s.io", "certificatesigningrequests")
        let controller = CSRControllers(client: try await context.clientFor("certificate-controller"),
                                        caCertificate: context.caCertificate, caKey: context.caKey)
        return [ControllerLoop(name: "certificates", informers: [csrs]) { key in
            guard let csr = csrs.cache.get(key) else { return }
            try await controller.reconcile(csr)
        }]
    }

    static func condition(_ csr: JSONValue, _ type: String) -> Bool {
        (csr[path: ["status", "conditions"]]?.array ?? []).contains { $0["type"]?.string == type && ($0["status"]?.string ?? "True") == "True" }
    }

    public func reconcile(_ csr: JSONValue) async throws {
        if Self.condition(csr, "Denied") || Self.condition(csr, "Failed") { return }
        if !Self.condition(csr, "Approved") {
            try await approveIfAllowed(csr)
            return
        }
        if csr[path: ["status", "certificate"]]?.string == nil { try await sign(csr) }
    }

    /// Upstream `csrapproving`: only kubelet client CSRs for `system:node:<name>` in `system:nodes`, with exactly the
    /// client usages, requested by someone allowed to ask for node client certificates.
    private func approveIfAllowed(_ csr: JSONValue) async throws {
        let spec = csr["spec"] ?? .emptyObject
        guard spec["signerName"]?.string == "kubernetes.io/kube-apiserver-client-kubelet",
              let requestText = spec["request"]?.string, let pemData = Data(base64Encoded: requestText),
              let request = try? CertificateSigningRequest(pem: String(decoding: pemData, as: UTF8.self)),
              request.organizations == ["system:nodes"], request.commonName.hasPrefix("system:node:"),
              request.dnsNames.isEmpty, request.ipAddresses.isEmpty
        else { return }
        let usages = Set((spec["usages"]?.array ?? []).compactMap(\.string))
        guard usages.isSubset(of: ["digital signature", "key encipherment", "client auth"]), usages.contains("client auth") else { return }
        let username = spec["username"]?.string ?? ""
        let selfRequest = username == request.commonName
        let allowed = try await subjectAccessReview(spec, subresource: selfRequest ? "selfnodeclient" : "nodeclient")
        guard allowed else { return }
        var conditions = csr[path: ["status", "conditions"]]?.array ?? []
        conditions.append(["type": "Approved", "status": "True", "reason": "AutoApproved",
                           "message": .string(selfRequest ? "Auto approving self kubelet client certificate after SubjectAccessReview."
                                                          : "Auto approving kubelet client certificate after SubjectAccessReview."),
                           "lastUpdateTime": .string(KubeTime.now().rfc3339), "lastTransitionTime": .string(KubeTime.now().rfc3339)])
        var approved = csr
        if approved["status"]?.object == nil { approved["status"] = .emptyObject }
        approved[path: ["status", "conditions"]] = .array(conditions)
        _ = try await client.update(Self.csrs, approved, subresource: "approval")
    }

    private func subjectAccessReview(_ spec: JSONValue, subresource: String) async throws -> Bool {
        var extra: JSONValue = .emptyObject
        if let object = spec["extra"]?.object { extra = .object(object) }
        let review: JSONValue = [
            "apiVersion": "authorization.k8s.io/v1", "kind": "SubjectAccessReview",
            "spec": ["user": spec["username"] ?? "", "uid": spec["uid"] ?? "", "groups": spec["groups"] ?? .array([]), "extra": extra,
                     "resourceAttributes": ["group": "certificates.k8s.io", "resource": "certificatesigningrequests",
                                            "verb": "create", "subresource": .string(subresource)]],
        ]
        let answer = try await client.create(Self.reviews, review)
        return answer[path: ["status", "allowed"]]?.bool ?? false
    }

    /// Upstream `csrsigning` with the cluster CA: subject and SANs from the request, usages from the spec.
    private func sign(_ csr: JSONValue) async throws {
        guard let caCertificate, let caKey else { return }
        let spec = csr["spec"] ?? .emptyObject
        guard let signer = spec["signerName"]?.string, let allowedUsages = Self.signers[signer],
              let requestText = spec["request"]?.string, let pemData = Data(base64Encoded: requestText) else { return }
        let request = try CertificateSigningRequest(pem: String(decoding: pemData, as: UTF8.self))
        let usages = Set((spec["usages"]?.array ?? []).compactMap(\.string))
        guard usages.isSubset(of: allowedUsages) else {
            var failed = csr
            failed[path: ["status", "conditions"]] = .array((csr[path: ["status", "conditions"]]?.array ?? []) + [
                ["type": "Failed", "status": "True", "reason": "SignerValidationFailure",
                 "message": .string("invalid usage for \(signer): \(usages.subtracting(allowedUsages).sorted())")]])
            _ = try await client.update(Self.csrs, failed, subresource: "status")
            return
        }
        var extended: [ExtendedKeyUsage] = []
        if usages.contains("client auth") { extended.append(.clientAuth) }
        if usages.contains("server auth") { extended.append(.serverAuth) }
        let requested = spec["expirationSeconds"]?.int64.map { TimeInterval($0) } ?? duration
        let certificate = try CertificateIssuer.sign(csr: request, usages: extended, notAfter: Date().addingTimeInterval(min(requested, duration)),
                                                     caCert: caCertificate, caKey: caKey)
        var issued = csr
        issued[path: ["status", "certificate"]] = .string(Data(certificate.pem.utf8).base64EncodedString())
        _ = try await client.update(Self.csrs, issued, subresource: "status")
    }
}
