import Foundation
import KubeAPI
import PKI
import Testing
@testable import APIServer

@Suite("Authentication primitives")
struct AuthenticationPrimitivesTests {
    @Test func constantTimeEquals() {
        #expect(ConstantTime.equals([1, 2, 3], [1, 2, 3]))
        #expect(ConstantTime.equals([], []))
        #expect(!ConstantTime.equals([1, 2, 3], [1, 2, 4]))
        #expect(!ConstantTime.equals([1, 2, 3], [1, 2]))
        #expect(ConstantTime.equals("0123456789abcdef", "0123456789abcdef"))
        #expect(!ConstantTime.equals("0123456789abcdef", "0123456789abcdeF"))
    }

    @Test(arguments: [
        ("Bearer abc", "abc"), ("bearer abc", "abc"), ("BEARER abc", "abc"), ("  Bearer abc \r\n", "abc"),
        ("Bearer abc def", "abc"), ("Bearer a.b.c", "a.b.c"),
    ])
    func bearerTokenParses(header: String, token: String) {
        #expect(BearerToken.parse(header: header) == token)
    }

    @Test(arguments: ["", "Bearer", "Bearer ", "Bearer  abc", "Basic dXNlcjpwYXNz", "abc", "Bearerabc"])
    func bearerTokenRejects(header: String) {
        #expect(BearerToken.parse(header: header) == nil)
    }

    @Test func bootstrapGroupNames() {
        #expect(BootstrapGroups.isValid("system:bootstrappers:kubeadm:default-node-token"))
        #expect(BootstrapGroups.isValid("system:bootstrappers:a"))
        #expect(BootstrapGroups.isValid("system:bootstrappers:" + String(repeating: "a", count: 256)))
        #expect(!BootstrapGroups.isValid("system:bootstrappers:" + String(repeating: "a", count: 257)))
        #expect(!BootstrapGroups.isValid("system:bootstrappers:"))
        #expect(!BootstrapGroups.isValid("system:bootstrappers:a-"))
        #expect(!BootstrapGroups.isValid("system:bootstrappers:Upper"))
        #expect(!BootstrapGroups.isValid("system:masters"))
        #expect(BootstrapGroups.groups(extra: "") == ["system:bootstrappers"])
        #expect(BootstrapGroups.groups(extra: "system:bootstrappers:z,system:bootstrappers:a,system:bootstrappers:z")
            == ["system:bootstrappers", "system:bootstrappers:a", "system:bootstrappers:z"])
        #expect(BootstrapGroups.groups(extra: "system:bootstrappers:a,system:masters") == nil)
        #expect(BootstrapGroups.groups(extra: "system:bootstrappers:a,") == nil)
    }

    @Test func x509Identity() throws {
        let key = try PrivateKey.generate(.ecdsaP256)
        let now = Date()
        let config = CertificateConfig(commonName: "kubernetes-admin", organizations: ["kubeadm:cluster-admins", "dev"],
                                       usages: [.clientAuth], notBefore: now, notAfter: now.addingTimeInterval(3600))
        let certificate = try CertificateIssuer.selfSignedCA(config: config, key: key)
        let user = X509Identity.user(from: certificate)
        #expect(user.name == "kubernetes-admin")
        #expect(user.groups == ["kubeadm:cluster-admins", "dev", "system:authenticated"])
        #expect(user.extra["authentication.kubernetes.io/credential-id"]
            == ["X509SHA256=" + certificate.sha256FingerprintHex])
        #expect(certificate.sha256FingerprintHex.count == 64)
        #expect(X509Identity.authenticate(certificate).user == user)

        let anonymousCert = try CertificateIssuer.selfSignedCA(
            config: CertificateConfig(commonName: "", organizations: ["x"], notBefore: now,
                                      notAfter: now.addingTimeInterval(3600)), key: key)
        guard case .notApplicable = X509Identity.authenticate(anonymousCert) else {
            Issue.record("a certificate without CN must not authenticate")
            return
        }
    }

    struct Fixed: TokenAuthenticator {
        let answers: [String: TokenAuthentication]
        func authenticate(token: String, audiences: [String]?) async -> TokenAuthentication {
            answers[token] ?? .notApplicable
        }
    }

    @Test func unionTriesInOrderAndAggregates() async {
        let alice = UserInfo(name: "alice", groups: ["system:authenticated"])
        let first = Fixed(answers: ["a": .rejected("first says no"), "b": .rejected("first says no")])
        let second = Fixed(answers: ["a": TokenAuthentication(.authenticated(alice), audiences: ["x"]),
                                     "b": .rejected("second says no")])
        let union = UnionTokenAuthenticator([first, second])
        let a = await union.authenticate(token: "a", audiences: nil)
        #expect(a.result.user == alice && a.audiences == ["x"])
        guard case .rejected(let reason) = await union.authenticate(token: "b") else {
            Issue.record("expected a rejection")
            return
        }
        #expect(reason == "[first says no, second says no]")
        guard case .notApplicable = await union.authenticate(token: "c") else {
            Issue.record("nobody recognises c")
            return
        }
    }

    @Test func requestAuthenticatorOrderAnd401Semantics() async throws {
        let alice = UserInfo(name: "alice", groups: ["system:authenticated"])
        let tokens = Fixed(answers: ["good": TokenAuthentication(.authenticated(alice)), "bad": .rejected("expired")])
        let open = RequestAuthenticator(tokens: tokens, allowAnonymous: true)
        #expect(await open.authenticate(authorization: "Bearer good", clientCertificate: nil).user == alice)
        #expect(await open.authenticate(authorization: nil, clientCertificate: nil).user == .anonymous)
        #expect(await open.authenticate(authorization: "Basic eDp5", clientCertificate: nil).user == .anonymous)
        // A presented but invalid token is 401, never anonymous.
        guard case .rejected("expired") = await open.authenticate(authorization: "Bearer bad", clientCertificate: nil),
            case .rejected("invalid bearer token") = await open.authenticate(authorization: "Bearer unknown",
                                                                               clientCertificate: nil)
        else {
            Issue.record("invalid tokens must be rejected")
            return
        }
        let closed = RequestAuthenticator(tokens: nil, allowAnonymous: false)
        guard case .rejected = await closed.authenticate(authorization: nil, clientCertificate: nil),
            case .rejected = await closed.authenticate(authorization: "Bearer good", clientCertificate: nil)
        else {
            Issue.record("no anonymous, no token authenticators: everything is 401")
            return
        }
        // A client certificate wins over a bad token.
        let key = try PrivateKey.generate(.ecdsaP256)
        let now = Date()
        let certificate = try CertificateIssuer.selfSignedCA(
            config: CertificateConfig(commonName: "bob", notBefore: now, notAfter: now.addingTimeInterval(60)), key: key)
        let viaCert = await closed.authenticate(authorization: "Bearer bad", clientCertificate: certificate)
        #expect(viaCert.user?.name == "bob")
        #expect(UserInfo.anonymous.groups == ["system:unauthenticated"])
        #expect(StatusError.unauthorized.status["code"] == 401)
        #expect(StatusError.unauthorized.status["reason"] == "Unauthorized")
    }
}
