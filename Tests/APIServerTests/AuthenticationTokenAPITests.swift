import Foundation
import KubeAPI
import PKI
import Testing
@testable import APIServer

@Suite("TokenRequest and TokenReview")
struct AuthenticationTokenAPITests {
    struct Server {
        let h: RegistryHarness
        let issuer: ServiceAccountTokenIssuer
        let authenticator: UnionTokenAuthenticator

        init(maxExpirationSeconds: Int64? = nil) async throws {
            h = try await RegistryHarness()
            issuer = try ServiceAccountTokenIssuer(issuer: AuthFixtures.issuer, signingKey: try PrivateKey.generate(.rsa2048),
                                                   maxExpirationSeconds: maxExpirationSeconds)
            authenticator = UnionTokenAuthenticator([
                BootstrapTokenAuthenticator(registry: h.registry, apiAudiences: issuer.apiAudiences),
                ServiceAccountTokenAuthenticator(issuers: [AuthFixtures.issuer], keys: [try issuer.publicKey()],
                                                 lookups: ServiceAccountLookups(registry: h.registry)),
            ])
            await h.send(.create, resource: "serviceaccounts", namespace: "default",
                         body: ["metadata": ["name": "builder"]])
        }

        func requestToken(_ name: String = "builder", namespace: String = "default", body: JSONValue?) async
            -> (code: Int, body: JSONValue, headers: [(String, String)])
        {
            let request = APIRequest(verb: .create, group: "", version: "v1", resource: "serviceaccounts",
                                     namespace: namespace, name: name, subresource: "token",
                                     body: body?.jsonBytes ?? [], contentType: "application/json", user: .anonymous)
            guard case .object(let status, let body, let headers) = await h.registry.tokenRequest(request, issuer: issuer)
            else { return (0, .null, []) }
            return (status, body, headers)
        }

        func review(_ token: String, audiences: [String]? = nil, namespace: String? = nil) async -> (code: Int, body: JSONValue) {
            var body: JSONValue = ["apiVersion": "authentication.k8s.io/v1", "kind": "TokenReview",
                                   "spec": ["token": .string(token)]]
            if let audiences { body[path: ["spec", "audiences"]] = .array(audiences.map(JSONValue.string)) }
            let request = APIRequest(verb: .create, group: "authentication.k8s.io", version: "v1",
                                     resource: "tokenreviews", namespace: namespace, body: body.jsonBytes,
                                     contentType: "application/json", user: .anonymous)
            guard case .object(let status, let body, _) = await h.registry.tokenReview(
                request, authenticator: authenticator, apiAudiences: issuer.apiAudiences)
            else { return (0, .null) }
            return (status, body)
        }
    }

    static let tokenRequest: JSONValue = ["apiVersion": "authentication.k8s.io/v1", "kind": "TokenRequest", "spec": [:]]

    @Test func tokenRequestDefaultsAndReview() async throws {
        let s = try await Server()
        let response = await s.requestToken(body: Self.tokenRequest)
        #expect(response.code == 201)
        #expect(response.body.kind == "TokenRequest")
        #expect(response.body.apiVersion == "authentication.k8s.io/v1")
        #expect(response.body.metadata.name == "builder" && response.body.metadata.namespace == "default")
        #expect(response.body[path: ["spec", "audiences"]] == [.string(AuthFixtures.issuer)])
        #expect(response.body[path: ["spec", "expirationSeconds"]] == 3600)
        let created = try #require(response.body.metadata.creationTimestamp)
        let expiration = try #require(response.body[path: ["status", "expirationTimestamp"]]?.string)
        #expect(try KubeTime(rfc3339: expiration) == created.adding(seconds: 3600))
        let token = try #require(response.body[path: ["status", "token"]]?.string)
        let payload = try AuthFixtures.payload(of: token)
        #expect(payload["exp"]?.int64 == created.seconds + 3600)
        let serviceAccount = await s.h.send(.get, resource: "serviceaccounts", namespace: "default", name: "builder")
        #expect(payload[path: ["kubernetes.io", "serviceaccount", "uid"]] == serviceAccount.body[path: ["metadata", "uid"]])

        let review = await s.review(token)
        #expect(review.code == 201)
        #expect(review.body[path: ["status", "authenticated"]] == true)
        #expect(review.body[path: ["status", "user", "username"]] == "system:serviceaccount:default:builder")
        #expect(review.body[path: ["status", "user", "uid"]] == serviceAccount.body[path: ["metadata", "uid"]])
        #expect(review.body[path: ["status", "user", "groups"]]
            == ["system:serviceaccounts", "system:serviceaccounts:default", "system:authenticated"])
        #expect(review.body[path: ["status", "user", "extra", "authentication.kubernetes.io/credential-id"]]
            == [.string("JTI=" + (payload["jti"]?.string ?? ""))])
        #expect(review.body[path: ["status", "audiences"]] == [.string(AuthFixtures.issuer)])

        // Deleting the service account revokes its tokens.
        await s.h.send(.delete, resource: "serviceaccounts", namespace: "default", name: "builder")
        let revoked = await s.review(token)
        #expect(revoked.code == 201)
        #expect(revoked.body[path: ["status", "authenticated"]] == nil)
        #expect(revoked.body[path: ["status", "error"]] == "serviceaccounts \"builder\" not found")
        #expect(revoked.body[path: ["status", "user"]] == .emptyObject)
        await s.h.close()
    }

    @Test func tokenRequestErrors() async throws {
        let s = try await Server()
        let missing = await s.requestToken("nobody", body: Self.tokenRequest)
        #expect(missing.code == 404)
        #expect(missing.body["message"] == "serviceaccounts \"nobody\" not found")

        var short = Self.tokenRequest
        short[path: ["spec", "expirationSeconds"]] = 599
        let tooShort = await s.requestToken(body: short)
        #expect(tooShort.code == 422)
        #expect(tooShort.body["message"]?.string == "TokenRequest.authentication.k8s.io \"\" is invalid: "
            + "spec.expirationSeconds: Invalid value: 599: may not specify a duration less than 10 minutes")
        short[path: ["spec", "expirationSeconds"]] = 600
        #expect(await s.requestToken(body: short).code == 201)

        var wrongKind = Self.tokenRequest
        wrongKind["kind"] = "TokenReview"
        #expect(await s.requestToken(body: wrongKind).code == 400)
        var wrongName = Self.tokenRequest
        wrongName.metadata.name = "other"
        #expect(await s.requestToken(body: wrongName).code == 422)

        var badRef = Self.tokenRequest
        badRef[path: ["spec", "boundObjectRef"]] = ["kind": "ConfigMap", "apiVersion": "v1", "name": "x"]
        let unsupported = await s.requestToken(body: badRef)
        #expect(unsupported.code == 400)
        #expect(unsupported.body["message"] == "cannot bind token to object of type /v1, Kind=ConfigMap")

        badRef[path: ["spec", "boundObjectRef"]] = ["kind": "Pod", "apiVersion": "v1", "name": "nope"]
        let noPod = await s.requestToken(body: badRef)
        #expect(noPod.code == 404)
        #expect(noPod.body["message"] == "pods \"nope\" not found")
        await s.h.close()
    }

    @Test func podBoundTokensCarryTheNodeAndDieWithThePod() async throws {
        let s = try await Server()
        await s.h.send(.create, resource: "nodes", body: ["metadata": ["name": "worker-1"]])
        var pod = RegistryHarness.pod("job", nodeName: "worker-1")
        pod[path: ["spec", "serviceAccountName"]] = "builder"
        let createdPod = await s.h.send(.create, resource: "pods", namespace: "default", body: pod)
        #expect(createdPod.code == 201)
        let podUID = try #require(createdPod.body.metadata.uid)

        var request = Self.tokenRequest
        request[path: ["spec", "boundObjectRef"]] = ["kind": "Pod", "apiVersion": "v1", "name": "job", "uid": "wrong"]
        let conflict = await s.requestToken(body: request)
        #expect(conflict.code == 409)
        let conflictMessage = conflict.body["message"]?.string ?? ""
        #expect(conflictMessage.hasPrefix("Operation cannot be fulfilled on Pod \"job\""))

        request[path: ["spec", "boundObjectRef", "uid"]] = .string(podUID)
        let response = await s.requestToken(body: request)
        #expect(response.code == 201)
        let token = try #require(response.body[path: ["status", "token"]]?.string)
        let claims = try AuthFixtures.payload(of: token)["kubernetes.io"]
        #expect(claims?[path: ["pod", "uid"]] == .string(podUID))
        #expect(claims?[path: ["node", "name"]] == "worker-1")
        #expect(claims?[path: ["node", "uid"]]?.string?.count == 36)

        let review = await s.review(token)
        #expect(review.body[path: ["status", "user", "extra", "authentication.kubernetes.io/pod-name"]] == ["job"])
        #expect(review.body[path: ["status", "user", "extra", "authentication.kubernetes.io/node-name"]] == ["worker-1"])
        await s.h.send(.delete, resource: "pods", namespace: "default", name: "job",
                       query: ["gracePeriodSeconds": "0"])
        let afterDelete = await s.review(token)
        #expect(afterDelete.body[path: ["status", "authenticated"]] == nil)

        // A pod running as another service account cannot get this account's token.
        var other = RegistryHarness.pod("other")
        other[path: ["spec", "serviceAccountName"]] = "default"
        await s.h.send(.create, resource: "pods", namespace: "default", body: other)
        request[path: ["spec", "boundObjectRef"]] = ["kind": "Pod", "apiVersion": "v1", "name": "other"]
        #expect(await s.requestToken(body: request).code == 400)
        await s.h.close()
    }

    @Test func kubeletProjectedTokensAreExtendedAndLongRequestsCapped() async throws {
        let s = try await Server(maxExpirationSeconds: 7200)
        var pod = RegistryHarness.pod("job")
        pod[path: ["spec", "serviceAccountName"]] = "builder"
        await s.h.send(.create, resource: "pods", namespace: "default", body: pod)
        var request = Self.tokenRequest
        request[path: ["spec", "boundObjectRef"]] = ["kind": "Pod", "apiVersion": "v1", "name": "job"]
        request[path: ["spec", "expirationSeconds"]] = 3607
        let projected = await s.requestToken(body: request)
        #expect(projected.code == 201)
        let payload = try AuthFixtures.payload(of: try #require(projected.body[path: ["status", "token"]]?.string))
        let issuedAt = try #require(payload["iat"]?.int64)
        #expect(payload["exp"]?.int64 == issuedAt + 365 * 24 * 3600)
        #expect(payload[path: ["kubernetes.io", "warnafter"]]?.int64 == issuedAt + 3607)
        let expiration = try #require(projected.body[path: ["status", "expirationTimestamp"]]?.string)
        #expect(try KubeTime(rfc3339: expiration).seconds == issuedAt + 3607)

        var long = Self.tokenRequest
        long[path: ["spec", "expirationSeconds"]] = 86400
        let capped = await s.requestToken(body: long)
        #expect(capped.code == 201)
        #expect(capped.body[path: ["spec", "expirationSeconds"]] == 7200)
        #expect(capped.headers.first?.0 == "Warning")
        #expect(capped.headers.first?.1.contains("shortened to 7200 seconds") == true)
        await s.h.close()
    }

    @Test func tokenReviewOfBootstrapAndBadTokens() async throws {
        let s = try await Server()
        await s.h.send(.create, resource: "secrets", namespace: "kube-system",
                       body: AuthFixtures.bootstrapSecret(id: "abcdef", secret: "0123456789abcdef",
                                                          extraGroups: "system:bootstrappers:kubeadm:default-node-token"))
        let review = await s.review("abcdef.0123456789abcdef")
        #expect(review.code == 201)
        #expect(review.body[path: ["status", "authenticated"]] == true)
        #expect(review.body[path: ["status", "user", "username"]] == "system:bootstrap:abcdef")
        #expect(review.body[path: ["status", "user", "groups"]] == [
            "system:bootstrappers", "system:bootstrappers:kubeadm:default-node-token", "system:authenticated"])
        #expect(review.body[path: ["metadata", "creationTimestamp"]] == .null)

        let bad = await s.review("abcdef.0000000000000000")
        #expect(bad.code == 201)
        #expect(bad.body[path: ["status", "error"]] == "invalid bearer token")
        #expect(bad.body[path: ["status", "authenticated"]] == nil)

        // A service-account token for another audience, reviewed for that audience.
        var request = Self.tokenRequest
        request[path: ["spec", "audiences"]] = ["vault"]
        let vaultToken = try #require(await s.requestToken(body: request).body[path: ["status", "token"]]?.string)
        let forAPI = await s.review(vaultToken)
        #expect(forAPI.body[path: ["status", "error"]]?.string?.hasPrefix("token audiences [\"vault\"] is invalid") == true)
        let forVault = await s.review(vaultToken, audiences: ["vault"])
        #expect(forVault.body[path: ["status", "authenticated"]] == true)
        #expect(forVault.body[path: ["status", "audiences"]] == ["vault"])

        #expect(await s.review("x", namespace: "default").code == 400)
        #expect(await s.review("").code == 400)
        await s.h.close()
    }
}
