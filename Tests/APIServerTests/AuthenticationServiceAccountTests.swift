import Foundation
import KubeAPI
import PKI
import Testing
@testable import APIServer

@Suite("Service-account token signing and authentication")
struct AuthenticationServiceAccountTests {
    struct World {
        let key: PrivateKey
        let issuer: ServiceAccountTokenIssuer
        var objects = FakeObjects()

        init(_ algorithm: KeyAlgorithm = .rsa2048) throws {
            key = try PrivateKey.generate(algorithm)
            issuer = try ServiceAccountTokenIssuer(issuer: AuthFixtures.issuer, signingKey: key,
                                                   now: { AuthFixtures.epoch })
            objects.put("serviceaccounts", AuthFixtures.object("ServiceAccount", "builder", namespace: "ci", uid: "sa-1"))
            objects.put("pods", AuthFixtures.object("Pod", "job-1", namespace: "ci", uid: "pod-1"))
            objects.put("secrets", AuthFixtures.object("Secret", "bound", namespace: "ci", uid: "sec-1"))
            objects.put("nodes", AuthFixtures.object("Node", "worker-1", uid: "node-1"))
        }

        func authenticator(at now: KubeTime = AuthFixtures.epoch, keys: [PublicKey]? = nil,
                           issuers: [String] = [AuthFixtures.issuer]) throws -> ServiceAccountTokenAuthenticator {
            ServiceAccountTokenAuthenticator(issuers: issuers, keys: try keys ?? [issuer.publicKey()],
                                             lookups: objects.serviceAccountLookups, now: { now })
        }

        func token(_ claims: ServiceAccountClaims? = nil, audiences: [String] = [AuthFixtures.issuer],
                   expirationSeconds: Int64 = 3600) throws -> String {
            let claims = claims ?? ServiceAccountClaims(namespace: "ci", serviceAccount: .init(name: "builder", uid: "sa-1"))
            return try issuer.sign(claims, audiences: audiences, issuedAt: AuthFixtures.epoch.seconds,
                                   expirationSeconds: expirationSeconds)
        }
    }

    func rejection(_ result: AuthenticationResult) -> String? {
        if case .rejected(let reason) = result { return reason }
        return nil
    }

    @Test func tokenLayoutMatchesUpstream() throws {
        let world = try World()
        let token = try world.token(ServiceAccountClaims(
            namespace: "ci", serviceAccount: .init(name: "builder", uid: "sa-1"), pod: .init(name: "job-1", uid: "pod-1"),
            node: .init(name: "worker-1", uid: "node-1")))
        let jws = try #require(CompactJWS(token))
        #expect(String(decoding: jws.header, as: UTF8.self)
            == "{\"alg\":\"RS256\",\"kid\":\"\(try world.issuer.publicKey().keyID)\"}")
        let payload = try AuthFixtures.payload(of: token)
        #expect(payload.object.map { Array($0.keys) }
            == ["aud", "exp", "iat", "iss", "jti", "kubernetes.io", "nbf", "sub"])
        #expect(payload["aud"] == [.string(AuthFixtures.issuer)])
        #expect(payload["iss"] == .string(AuthFixtures.issuer))
        #expect(payload["sub"] == "system:serviceaccount:ci:builder")
        #expect(payload["iat"]?.int64 == AuthFixtures.epoch.seconds)
        #expect(payload["nbf"]?.int64 == AuthFixtures.epoch.seconds)
        #expect(payload["exp"]?.int64 == AuthFixtures.epoch.seconds + 3600)
        #expect(payload["jti"]?.string?.count == 36)
        #expect(payload["kubernetes.io"] == [
            "namespace": "ci", "node": ["name": "worker-1", "uid": "node-1"], "pod": ["name": "job-1", "uid": "pod-1"],
            "serviceaccount": ["name": "builder", "uid": "sa-1"],
        ])
        // A fresh jti per token.
        #expect(try AuthFixtures.payload(of: world.token())["jti"] != AuthFixtures.payload(of: world.token())["jti"])
    }

    @Test(arguments: [KeyAlgorithm.rsa2048, .ecdsaP256])
    func roundTripAuthenticatesTheServiceAccount(algorithm: KeyAlgorithm) async throws {
        let world = try World(algorithm)
        let token = try world.token(ServiceAccountClaims(
            namespace: "ci", serviceAccount: .init(name: "builder", uid: "sa-1"), pod: .init(name: "job-1", uid: "pod-1"),
            node: .init(name: "worker-1", uid: "node-1")))
        let outcome = try await world.authenticator().authenticate(token: token, audiences: nil)
        let user = try #require(outcome.result.user)
        #expect(user.name == "system:serviceaccount:ci:builder")
        #expect(user.uid == "sa-1")
        #expect(user.groups == ["system:serviceaccounts", "system:serviceaccounts:ci", "system:authenticated"])
        let jti = try #require(try AuthFixtures.payload(of: token)["jti"]?.string)
        #expect(user.extra == [
            "authentication.kubernetes.io/pod-name": ["job-1"], "authentication.kubernetes.io/pod-uid": ["pod-1"],
            "authentication.kubernetes.io/node-name": ["worker-1"], "authentication.kubernetes.io/node-uid": ["node-1"],
            "authentication.kubernetes.io/credential-id": ["JTI=" + jti],
        ])
        #expect(outcome.audiences == [AuthFixtures.issuer])
    }

    @Test func timeChecksUseOneMinuteLeeway() async throws {
        let world = try World()
        let token = try world.token(expirationSeconds: 600)
        let start = AuthFixtures.epoch
        #expect(try await world.authenticator(at: start.adding(seconds: 660)).authenticate(token: token).user != nil)
        #expect(rejection(try await world.authenticator(at: start.adding(seconds: 661)).authenticate(token: token))
            == "service account token has expired")
        #expect(try await world.authenticator(at: start.adding(seconds: -60)).authenticate(token: token).user != nil)
        #expect(rejection(try await world.authenticator(at: start.adding(seconds: -61)).authenticate(token: token))
            == "service account token is not valid yet")
    }

    @Test func foreignTokensAreNotApplicable() async throws {
        let world = try World()
        let auth = try world.authenticator()
        for token in ["abcdef.0123456789abcdef", "a.b.c", "{\"iss\":\"x\"}", ""] {
            guard case .notApplicable = await auth.authenticate(token: token) else {
                Issue.record("\(token) is not a service-account token")
                continue
            }
        }
        let otherIssuer = try AuthFixtures.sign(["iss": "https://accounts.example.com", "sub": "x"], key: world.key)
        guard case .notApplicable = await auth.authenticate(token: otherIssuer) else {
            Issue.record("another issuer's token belongs to another authenticator")
            return
        }
    }

    @Test func signatureProblemsAreRejected() async throws {
        let world = try World()
        let token = try world.token()
        // Signed by a key this server does not trust (no kid match, and no match among all keys).
        let stranger = try World()
        #expect(rejection(try await world.authenticator().authenticate(token: stranger.token()))
            == "invalid signature, no keys found")
        let strangerKey = try stranger.issuer.publicKey()
        let withoutKID = try JWS.sign(header: Array(#"{"alg":"RS256"}"#.utf8),
                                      payload: try #require(CompactJWS(token)).payload, key: stranger.key)
        #expect(rejection(try await world.authenticator().authenticate(token: withoutKID)) == "invalid signature")
        // Key rotation: a token signed by any configured key is accepted.
        let rotated = try world.authenticator(keys: [strangerKey, try world.issuer.publicKey()])
        #expect(await rotated.authenticate(token: withoutKID).user != nil)
        #expect(await rotated.authenticate(token: token).user != nil)
        // Tampered claims.
        let parts = token.split(separator: ".").map(String.init)
        var claims = try AuthFixtures.payload(of: token)
        claims["sub"] = "system:serviceaccount:kube-system:admin"
        let tampered = parts[0] + "." + Base64URL.encode(claims.jsonBytes) + "." + parts[2]
        #expect(rejection(try await world.authenticator().authenticate(token: tampered)) == "invalid signature")
        // alg "none" (empty signature) and an algorithm that does not fit the key.
        let none = Base64URL.encode(Array(#"{"alg":"none"}"#.utf8)) + "." + parts[1] + "."
        #expect(rejection(try await world.authenticator().authenticate(token: none)) != nil)
        let kid = try world.issuer.publicKey().keyID
        let es = Base64URL.encode(Array("{\"alg\":\"ES256\",\"kid\":\"\(kid)\"}".utf8)) + "." + parts[1] + "." + parts[2]
        #expect(rejection(try await world.authenticator().authenticate(token: es)) == "invalid signature")
        let hs = Base64URL.encode(Array("{\"alg\":\"HS256\",\"kid\":\"\(kid)\"}".utf8)) + "." + parts[1] + "." + parts[2]
        #expect(rejection(try await world.authenticator().authenticate(token: hs))
            == "invalid signature, unsupported signing algorithm")
    }

    @Test func audiencesMustIntersect() async throws {
        let world = try World()
        let vaultToken = try world.token(audiences: ["vault"])
        let auth = try world.authenticator()
        #expect(rejection(await auth.authenticate(token: vaultToken)) == "token audiences [\"vault\"] is invalid for "
            + "the target audiences [\"\(AuthFixtures.issuer)\"]")
        let forVault = await auth.authenticate(token: vaultToken, audiences: ["vault", "other"])
        #expect(forVault.result.user != nil && forVault.audiences == ["vault"])
        // A second accepted issuer (issuer migration): its tokens are valid too.
        let migrating = try world.authenticator(issuers: ["https://old.example", AuthFixtures.issuer])
        #expect(await migrating.authenticate(token: try world.token()).user != nil)
    }

    @Test func boundObjectsMustStillExist() async throws {
        var world = try World()
        let sa = ServiceAccountClaims.Reference(name: "builder", uid: "sa-1")
        let podToken = try world.token(ServiceAccountClaims(namespace: "ci", serviceAccount: sa,
                                                            pod: .init(name: "job-1", uid: "pod-1")))
        let secretToken = try world.token(ServiceAccountClaims(namespace: "ci", serviceAccount: sa,
                                                               secret: .init(name: "bound", uid: "sec-1")))
        let nodeToken = try world.token(ServiceAccountClaims(namespace: "ci", serviceAccount: sa,
                                                             node: .init(name: "worker-1", uid: "node-1")))
        for token in [podToken, secretToken, nodeToken] {
            #expect(try await world.authenticator().authenticate(token: token).user != nil)
        }
        let nodeUser = try #require(try await world.authenticator().authenticate(token: nodeToken).user)
        #expect(nodeUser.extra["authentication.kubernetes.io/node-name"] == ["worker-1"])
        #expect(nodeUser.extra["authentication.kubernetes.io/pod-name"] == nil)

        // Recreated objects (new uid) invalidate their tokens.
        world.objects.put("pods", AuthFixtures.object("Pod", "job-1", namespace: "ci", uid: "pod-2"))
        world.objects.put("secrets", AuthFixtures.object("Secret", "bound", namespace: "ci", uid: "sec-2"))
        world.objects.put("nodes", AuthFixtures.object("Node", "worker-1", uid: "node-2"))
        #expect(rejection(try await world.authenticator().authenticate(token: podToken))
            == "pod UID (pod-2) does not match service account pod ref claim (pod-1)")
        #expect(rejection(try await world.authenticator().authenticate(token: secretToken))
            == "secret UID (sec-2) does not match service account secret ref claim (sec-1)")
        #expect(rejection(try await world.authenticator().authenticate(token: nodeToken))
            == "node UID (node-2) does not match service account node ref claim (node-1)")

        // Deleted objects: gone, or deleting for longer than the leeway.
        world.objects.objects["pods"] = [:]
        #expect(rejection(try await world.authenticator().authenticate(token: podToken))
            == "service account token has been invalidated")
        world.objects.put("pods", AuthFixtures.object("Pod", "job-1", namespace: "ci", uid: "pod-1",
                                                      deletedAt: AuthFixtures.epoch.adding(seconds: -30)))
        #expect(try await world.authenticator().authenticate(token: podToken).user != nil)
        world.objects.put("pods", AuthFixtures.object("Pod", "job-1", namespace: "ci", uid: "pod-1",
                                                      deletedAt: AuthFixtures.epoch.adding(seconds: -61)))
        #expect(rejection(try await world.authenticator().authenticate(token: podToken))
            == "service account token has been invalidated")

        // The service account itself.
        world.objects.put("serviceaccounts", AuthFixtures.object("ServiceAccount", "builder", namespace: "ci", uid: "sa-9"))
        #expect(rejection(try await world.authenticator().authenticate(token: secretToken))
            == "service account UID (sa-9) does not match claim (sa-1)")
        world.objects.objects["serviceaccounts"] = [:]
        #expect(rejection(try await world.authenticator().authenticate(token: secretToken))
            == "serviceaccounts \"builder\" not found")
    }

    @Test func legacySecretTokens() async throws {
        var world = try World()
        let claims: JSONValue = [
            "iss": "kubernetes/serviceaccount", "sub": "system:serviceaccount:ci:builder",
            "kubernetes.io/serviceaccount/namespace": "ci",
            "kubernetes.io/serviceaccount/secret.name": "builder-token",
            "kubernetes.io/serviceaccount/service-account.name": "builder",
            "kubernetes.io/serviceaccount/service-account.uid": "sa-1",
        ]
        let token = try AuthFixtures.sign(claims, key: world.key)
        var secret = AuthFixtures.object("Secret", "builder-token", namespace: "ci", uid: "t-1")
        secret["type"] = "kubernetes.io/service-account-token"
        secret["data"] = ["token": AuthFixtures.base64(token)]
        world.objects.put("secrets", secret)
        let user = try #require(try await world.authenticator().authenticate(token: token).user)
        #expect(user.name == "system:serviceaccount:ci:builder")
        #expect(user.extra.isEmpty)
        let legacyOff = ServiceAccountTokenAuthenticator(
            issuers: [AuthFixtures.issuer], keys: [try world.issuer.publicKey()], acceptLegacyTokens: false,
            lookups: world.objects.serviceAccountLookups)
        guard case .notApplicable = await legacyOff.authenticate(token: token) else {
            Issue.record("legacy tokens are off")
            return
        }
        // The Secret must hold this very token, and still exist.
        secret["data"] = ["token": AuthFixtures.base64(token + "x")]
        world.objects.put("secrets", secret)
        #expect(rejection(try await world.authenticator().authenticate(token: token)) == "token does not match server's copy")
        world.objects.objects["secrets"] = [:]
        #expect(rejection(try await world.authenticator().authenticate(token: token)) == "token has been invalidated")
        // Claims that disagree with each other.
        var mismatched = claims
        mismatched["sub"] = "system:serviceaccount:ci:other"
        #expect(rejection(try await world.authenticator().authenticate(
            token: AuthFixtures.sign(mismatched, key: world.key))) == "sub claim is invalid")
    }

    @Test func malformedClaimTypesAreRejectedWithoutEchoingValues() async throws {
        let world = try World()
        let token = try AuthFixtures.sign([
            "iss": .string(AuthFixtures.issuer), "aud": [.string(AuthFixtures.issuer)], "sub": "x", "exp": "soon",
        ], key: world.key)
        #expect(rejection(try await world.authenticator().authenticate(token: token))
            == "token claim \"exp\" has an invalid type")
    }

    @Test func tokenReviewOfTokensViaUnion() async throws {
        let world = try World()
        let union = UnionTokenAuthenticator([
            BootstrapTokenAuthenticator(apiAudiences: [AuthFixtures.issuer], lookupSecret: { _, _ in nil }),
            try world.authenticator(),
        ])
        #expect(try await union.authenticate(token: world.token()).user?.name == "system:serviceaccount:ci:builder")
    }
}
