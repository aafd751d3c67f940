import Foundation
import Testing

/// Authentication and authorization as clients meet them: a bootstrap token, anonymous requests, a node's
/// certificate, with the real kubectl and curl against the real server.
@Suite(.serialized, .enabled(if: Harness.which("kubectl") && Harness.which("curl") && Harness.which("openssl"), "needs kubectl, curl, openssl"))
struct APIServerSecurityE2ETests {
    /// Writes a manifest and creates it as the super admin.
    static func create(_ server: APIServerFixture, _ name: String, _ yaml: String) throws {
        let file = server.directory + "/\(name).yaml"
        try yaml.write(toFile: file, atomically: true, encoding: .utf8)
        let run = try Harness.run("kubectl", ["--kubeconfig", server.directory + "/super-admin.conf", "--cache-dir", server.directory + "/kube-cache",
                                              "create", "-f", file])
        #expect(run.status == 0, "\(run.combined)")
    }

    /// A kubeconfig for the same server with other credentials.
    static func kubeconfig(_ server: APIServerFixture, _ name: String, user: String) throws -> String {
        let path = server.directory + "/\(name).conf"
        try """
            apiVersion: v1
            kind: Config
            clusters: [{name: c, cluster: {server: "\(server.server)", certificate-authority: "\(server.pki)/ca.crt"}}]
            contexts: [{name: c, context: {cluster: c, user: u}}]
            current-context: c
            users: [{name: u, user: {\(user)}}]
            """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func kubectl(_ server: APIServerFixture, _ kubeconfig: String, _ arguments: [String]) throws -> Run {
        try Harness.run("kubectl", ["--kubeconfig", kubeconfig, "--cache-dir", server.directory + "/kube-cache-\(UUID().uuidString)"] + arguments)
    }

    @Test func bootstrapTokenMayCreateACSRButNotListNodes() throws {
        let server = try APIServerFixture()
        defer { server.stop() }
        try Self.create(server, "token", """
            apiVersion: v1
            kind: Secret
            metadata: {name: bootstrap-token-abcdef, namespace: kube-system}
            type: bootstrap.kubernetes.io/token
            stringData:
              token-id: abcdef
              token-secret: 0123456789abcdef
              usage-bootstrap-authentication: "true"
              usage-bootstrap-signing: "true"
              auth-extra-groups: system:bootstrappers:kubeadm:default-node-token
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: "kubeadm:kubelet-bootstrap"}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: "system:node-bootstrapper"}
            subjects: [{apiGroup: rbac.authorization.k8s.io, kind: Group, name: "system:bootstrappers:kubeadm:default-node-token"}]
            """)
        let tokenConfig = try Self.kubeconfig(server, "token", user: "token: abcdef.0123456789abcdef")
        let csrPEM = try Harness.run("bash", ["-c", "openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout /dev/null "
            + "-subj '/O=system:nodes/CN=system:node:n1' 2>/dev/null | base64 -w0"]).stdout
        let csr = server.directory + "/csr.yaml"
        try """
            apiVersion: certificates.k8s.io/v1
            kind: CertificateSigningRequest
            metadata: {name: node-csr-n1}
            spec:
              request: \(csrPEM)
              signerName: kubernetes.io/kube-apiserver-client-kubelet
              usages: [digital signature, client auth]
            """.write(toFile: csr, atomically: true, encoding: .utf8)
        let created = try Self.kubectl(server, tokenConfig, ["create", "-f", csr])
        #expect(created.status == 0, "\(created.combined)")
        let nodes = try Self.kubectl(server, tokenConfig, ["get", "nodes"])
        #expect(nodes.status != 0)
        #expect(nodes.combined.contains("Forbidden") && nodes.combined.contains("system:bootstrap:abcdef"), "\(nodes.combined)")
        let wrongSecret = try Self.kubeconfig(server, "bad-token", user: "token: abcdef.ffffffffffffffff")
        #expect(try Self.kubectl(server, wrongSecret, ["get", "--raw", "/version"]).combined.contains("Unauthorized"))
    }

    @Test func anonymousReadsHealthButNotObjects() throws {
        let server = try APIServerFixture()
        defer { server.stop() }
        let code = { (path: String) throws -> String in
            try Harness.run("curl", ["-sk", "-o", "/dev/null", "-w", "%{http_code}", server.server + path]).stdout
        }
        #expect(try code("/livez") == "200")
        #expect(try code("/readyz") == "200")
        #expect(try code("/version") == "200")
        #expect(try code("/api/v1/pods") == "403")
        #expect(try code("/api/v1/namespaces/kube-system/secrets") == "403")
        let body = try Harness.run("curl", ["-sk", server.server + "/api/v1/pods"]).stdout
        #expect(body.contains("User \\\"system:anonymous\\\" cannot list resource \\\"pods\\\""), "\(body)")
    }

    @Test func aNodeMayChangeItselfButNotAnotherNode() throws {
        let server = try APIServerFixture()
        defer { server.stop() }
        for node in ["n1", "n2"] {
            try Self.create(server, node, "apiVersion: v1\nkind: Node\nmetadata: {name: \(node)}\n")
        }
        let key = server.directory + "/n1.key", cert = server.directory + "/n1.crt"
        let signed = try Harness.run("bash", ["-c", """
            openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout \(key) -subj '/O=system:nodes/CN=system:node:n1' 2>/dev/null \
            | openssl x509 -req -CA \(server.pki)/ca.crt -CAkey \(server.pki)/ca.key -CAcreateserial -days 1 -out \(cert) 2>&1
            """])
        #expect(signed.status == 0, "\(signed.combined)")
        let nodeConfig = try Self.kubeconfig(server, "node", user: "client-certificate: \"\(cert)\", client-key: \"\(key)\"")
        let own = try Self.kubectl(server, nodeConfig, ["label", "node", "n1", "example.com/rack=r1"])
        #expect(own.status == 0, "\(own.combined)")
        // kubectl reads the node before writing, which the Node authorizer already refuses (a node reads only its
        // own Node); a bare PATCH reaches the write, which NodeRestriction refuses.
        #expect(try Self.kubectl(server, nodeConfig, ["get", "node", "n2"]).combined.contains("Forbidden"))
        let other = try Harness.run("curl", ["-s", "--cacert", server.pki + "/ca.crt", "--cert", cert, "--key", key, "-X", "PATCH",
                                             "-H", "Content-Type: application/merge-patch+json",
                                             "-d", #"{"metadata":{"labels":{"example.com/rack":"r1"}}}"#, server.server + "/api/v1/nodes/n2"])
        #expect(other.stdout.contains(#"node \"n1\" is not allowed to modify node \"n2\""#) && other.stdout.contains("\"code\":403"), "\(other.combined)")
        let secrets = try Self.kubectl(server, nodeConfig, ["get", "secrets", "-n", "kube-system"])
        #expect(secrets.combined.contains("Forbidden"), "\(secrets.combined)")
    }
}
