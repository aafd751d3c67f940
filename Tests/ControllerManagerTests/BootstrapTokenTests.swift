import Foundation
import KubeAPI
import Testing
@testable import ControllerManager
import PKI

struct BootstrapTokenTests {
    let now = Fixtures.now

    static func secret(id: String = "abcdef", secret: String = "0123456789abcdef", expiration: String? = nil,
                       signing: Bool = true, name: String? = nil) -> JSONValue {
        var data: [String: String] = ["token-id": id, "token-secret": secret]
        if signing { data["usage-bootstrap-signing"] = "true" }
        if let expiration { data["expiration"] = expiration }
        var encoded: JSONValue = .emptyObject
        for (key, value) in data { encoded[key] = .string(Data(value.utf8).base64EncodedString()) }
        return ["apiVersion": "v1", "kind": "Secret", "type": "bootstrap.kubernetes.io/token",
                "metadata": ["name": .string(name ?? "bootstrap-token-\(id)"), "namespace": "kube-system", "uid": .string("u-\(id)")],
                "data": encoded]
    }

    @Test func detachedSignaturesMatchHMACSHA256() throws {
        // Reference values computed with Python's hmac module.
        #expect(try DetachedJWS.sign("apiVersion: v1\nkind: Config\n", tokenID: "abcdef", tokenSecret: "0123456789abcdef")
                == "eyJhbGciOiJIUzI1NiIsImtpZCI6ImFiY2RlZiJ9..OL26IkIRSLex9f6p5BswKn_8IIjkARMnpB3RuAHgpIA")
        let longKey = try DetachedJWS.hmacSHA256(key: Array(repeating: UInt8(ascii: "k"), count: 100), message: Array("msg".utf8))
        #expect(longKey.map { String(format: "%02x", $0) }.joined() == "bd56a1782c2830e8abc6ed866a57a1230661e650b84c62f7ee3accc5fa5af491")
    }

    @Test func tokenSecretsAreReadStrictly() {
        #expect(BootstrapTokenSecret(Self.secret()) != nil)
        #expect(BootstrapTokenSecret(Self.secret(name: "other-name")) == nil)
        #expect(BootstrapTokenSecret(Self.secret(id: "ABCDEF")) == nil)
        #expect(BootstrapTokenSecret(Self.secret(secret: "short")) == nil)
        let expired = BootstrapTokenSecret(Self.secret(expiration: now.adding(seconds: -1).rfc3339))
        #expect(expired?.isExpired(now: now) == true)
        #expect(BootstrapTokenSecret(Self.secret(expiration: now.adding(seconds: 60).rfc3339))?.isExpired(now: now) == false)
        #expect(BootstrapTokenSecret(Self.secret(expiration: "soon"))?.isExpired(now: now) == true)
    }

    @Test func clusterInfoIsSignedByValidSigningTokensOnly() throws {
        let configMap: JSONValue = ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "cluster-info", "namespace": "kube-public"],
                                    "data": ["kubeconfig": "apiVersion: v1\nkind: Config\n", "jws-kubeconfig-stale0": "x..y"]]
        let secrets = [Self.secret(), Self.secret(id: "nosign", signing: false),
                       Self.secret(id: "old000", expiration: now.adding(seconds: -5).rfc3339)]
        let action = try ClusterInfoSigning.plan(configMap: configMap, secrets: secrets, now: now)
        guard case .update(let updated) = action else { Issue.record("expected an update, got \(String(describing: action))"); return }
        let keys = (updated["data"]?.object ?? [:]).keys.sorted()
        #expect(keys == ["jws-kubeconfig-abcdef", "kubeconfig"])
        #expect(try ClusterInfoSigning.plan(configMap: updated, secrets: secrets, now: now) == nil)
    }
}
