import Foundation
import KubeAPI
import Testing
@testable import APIServer

@Suite("Bootstrap token authentication")
struct AuthenticationBootstrapTests {
    static let token = "abcdef.0123456789abcdef"

    func authenticator(_ secrets: [JSONValue], now: KubeTime = AuthFixtures.epoch,
                       audiences: [String] = [AuthFixtures.issuer]) -> BootstrapTokenAuthenticator {
        var objects = FakeObjects()
        for secret in secrets { objects.put("secrets", secret) }
        return BootstrapTokenAuthenticator(apiAudiences: audiences, now: { now }, lookupSecret: objects.lookup("secrets"))
    }

    @Test func validTokenAuthenticatesWithSortedGroups() async {
        let secret = AuthFixtures.bootstrapSecret(
            id: "abcdef", secret: "0123456789abcdef", expiration: "2026-01-02T00:00:00Z",
            extraGroups: "system:bootstrappers:kubeadm:default-node-token,system:bootstrappers:a")
        let outcome = await authenticator([secret]).authenticate(token: Self.token, audiences: nil)
        #expect(outcome.result.user == UserInfo(
            name: "system:bootstrap:abcdef",
            groups: ["system:bootstrappers", "system:bootstrappers:a", "system:bootstrappers:kubeadm:default-node-token",
                     "system:authenticated"]))
        #expect(outcome.audiences == [AuthFixtures.issuer])
    }

    @Test func stringDataIsReadToo() async {
        var secret = AuthFixtures.bootstrapSecret(id: "abcdef", secret: "0123456789abcdef")
        secret["data"] = nil
        secret["stringData"] = ["token-id": "abcdef", "token-secret": "0123456789abcdef",
                                "usage-bootstrap-authentication": "true"]
        #expect(await authenticator([secret]).authenticate(token: Self.token).user?.name == "system:bootstrap:abcdef")
    }

    /// Every failed check is "not mine", as upstream: the request then fails with "invalid bearer token".
    @Test func everyFailedCheckIsNotApplicable() async {
        let good = AuthFixtures.bootstrapSecret(id: "abcdef", secret: "0123456789abcdef")
        var wrongType = good
        wrongType["type"] = "Opaque"
        var deleting = good
        deleting.metadata.deletionTimestamp = AuthFixtures.epoch
        var noData = good
        noData["data"] = nil
        var wrongID = good
        wrongID[path: ["data", "token-id"]] = AuthFixtures.base64("zzzzzz")
        let cases: [(String, [JSONValue], String)] = [
            ("wrong secret", [good], "abcdef.0123456789abcdee"),
            ("malformed token", [good], "abcdef.0123456789ABCDEF"),
            ("no secret", [], Self.token),
            ("wrong type", [wrongType], Self.token),
            ("being deleted", [deleting], Self.token),
            ("no data", [noData], Self.token),
            ("id mismatch", [wrongID], Self.token),
            ("expired", [AuthFixtures.bootstrapSecret(id: "abcdef", secret: "0123456789abcdef",
                                                     expiration: "2025-12-31T23:59:59Z")], Self.token),
            ("expires now", [AuthFixtures.bootstrapSecret(id: "abcdef", secret: "0123456789abcdef",
                                                         expiration: "2026-01-01T00:00:00Z")], Self.token),
            ("unparsable expiration", [AuthFixtures.bootstrapSecret(id: "abcdef", secret: "0123456789abcdef",
                                                                   expiration: "tomorrow")], Self.token),
            ("not for authentication", [AuthFixtures.bootstrapSecret(id: "abcdef", secret: "0123456789abcdef",
                                                                    usage: "false")], Self.token),
            ("bad extra group", [AuthFixtures.bootstrapSecret(id: "abcdef", secret: "0123456789abcdef",
                                                             extraGroups: "system:masters")], Self.token),
        ]
        for (name, secrets, token) in cases {
            let outcome = await authenticator(secrets).authenticate(token: token)
            guard case .notApplicable = outcome else {
                Issue.record("\(name): expected notApplicable, got \(outcome)")
                continue
            }
        }
    }

    @Test func audiencesAreTheAPIAudiences() async {
        let secret = AuthFixtures.bootstrapSecret(id: "abcdef", secret: "0123456789abcdef")
        let auth = authenticator([secret])
        let forOthers = await auth.authenticate(token: Self.token, audiences: ["vault"])
        guard case .notApplicable = forOthers.result else {
            Issue.record("a token for other audiences is not applicable")
            return
        }
        let mixed = await auth.authenticate(token: Self.token, audiences: ["vault", AuthFixtures.issuer])
        #expect(mixed.result.user != nil && mixed.audiences == [AuthFixtures.issuer])
        let noAudiences = await authenticator([secret], audiences: []).authenticate(token: Self.token, audiences: nil)
        #expect(noAudiences.result.user != nil && noAudiences.audiences.isEmpty)
    }

    @Test func readsSecretsFromTheRegistry() async throws {
        let h = try await RegistryHarness()
        let created = await h.send(.create, resource: "secrets", namespace: "kube-system",
                                   body: AuthFixtures.bootstrapSecret(id: "abcdef", secret: "0123456789abcdef"))
        #expect(created.code == 201)
        let auth = BootstrapTokenAuthenticator(registry: h.registry)
        #expect(await auth.authenticate(token: Self.token).user?.name == "system:bootstrap:abcdef")
        guard case .notApplicable = await auth.authenticate(token: "zzzzzz.0123456789abcdef") else {
            Issue.record("unknown token id")
            await h.close()
            return
        }
        await h.close()
    }
}
