import Foundation
import Testing

/// kubeadm's token controllers in the real `kube-controller-manager`: `bootstrapsigner` signs
/// `kube-public/cluster-info` for every signing token (what `kubeadm join` verifies), `tokencleaner` deletes
/// expired token Secrets, and a token's signature goes when it expires.
@Suite(.serialized, .enabled(if: Harness.which("kubectl") && Harness.which("openssl"), "needs kubectl and openssl"))
struct BootstrapTokenControllersE2ETests {
    static func token(_ id: String, expiration: Date?) -> String {
        let expires = expiration.map { ", expiration: \"\(ISO8601DateFormatter().string(from: $0))\"" } ?? ""
        return """
            apiVersion: v1
            kind: Secret
            metadata: {name: bootstrap-token-\(id), namespace: kube-system}
            type: bootstrap.kubernetes.io/token
            stringData: {token-id: \(id), token-secret: 0123456789abcdef, usage-bootstrap-signing: "true", usage-bootstrap-authentication: "true"\(expires)}
            """
    }

    @Test(.timeLimit(.minutes(3))) func clusterInfoIsSignedAndExpiredTokensGo() throws {
        let cluster = try ControllerManagerFixture()
        defer { cluster.stop() }
        try cluster.create("""
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: cluster-info, namespace: kube-public}
            data: {kubeconfig: "apiVersion: v1\\nkind: Config\\nclusters: []\\n"}
            ---
            \(Self.token("abcdef", expiration: nil))
            ---
            \(Self.token("short0", expiration: Date().addingTimeInterval(6)))
            ---
            \(Self.token("gone00", expiration: Date().addingTimeInterval(-60)))
            """)
        let signatures = {
            try cluster.output("get", "configmap", "cluster-info", "-n", "kube-public", "-o", "go-template={{range $k, $v := .data}}{{$k}} {{end}}")
        }
        #expect(try cluster.eventually { try signatures().hasPrefix("jws-kubeconfig-abcdef ") },
                "keys: \((try? signatures()) ?? ""); log: \(cluster.logText)")
        #expect(try cluster.eventually { try cluster.kubectl("get", "secret", "bootstrap-token-gone00", "-n", "kube-system").status != 0 },
                "log: \(cluster.logText)")

        // The signature is what join recomputes: HS256 over base64url(header).base64url(kubeconfig) with the token as key.
        let signature = try cluster.output("get", "configmap", "cluster-info", "-n", "kube-public", "-o", "jsonpath={.data.jws-kubeconfig-abcdef}")
        let kubeconfig = try cluster.kubectl("get", "configmap", "cluster-info", "-n", "kube-public", "-o", "jsonpath={.data.kubeconfig}").stdout
        let b64url = "base64 -w0 | tr '+/' '-_' | tr -d '='"
        let expected = try Harness.run("bash", ["-c", """
            h=$(printf '%s' '{"alg":"HS256","kid":"abcdef"}' | \(b64url)); p=$(printf '%s' "$KUBECONFIG_TEXT" | \(b64url))
            s=$(printf '%s' "$h.$p" | openssl dgst -sha256 -mac HMAC -macopt key:abcdef.0123456789abcdef -binary | \(b64url))
            printf '%s' "$h..$s"
            """], environment: ["KUBECONFIG_TEXT": kubeconfig]).stdout
        #expect(!expected.isEmpty && signature == expected)

        // When the short token expires, the cleaner deletes it and the signer drops its signature.
        #expect(try cluster.eventually(20) {
            try signatures() == "jws-kubeconfig-abcdef kubeconfig"
                && cluster.kubectl("get", "secret", "bootstrap-token-short0", "-n", "kube-system").status != 0
        }, "keys: \((try? signatures()) ?? ""); log: \(cluster.logText)")
    }
}
