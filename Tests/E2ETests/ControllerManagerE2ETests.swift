import Foundation
import Testing

/// The real `kube-controller-manager` against the real API server, with kubeadm's flags: each controller acts as its
/// own ServiceAccount; a new namespace gets its `default` ServiceAccount and `kube-root-ca.crt`; a kubelet client CSR
/// posted with a bootstrap token is approved and signed by the cluster CA.
@Suite(.serialized, .enabled(if: Harness.which("kubectl") && Harness.which("openssl"), "needs kubectl and openssl"))
struct ControllerManagerE2ETests {
    @Test func namespaceDefaultsAndNodeClientCSRs() throws {
        let cluster = try ControllerManagerFixture()
        defer { cluster.stop() }
        let server = cluster.server
        func eventually(_ what: String, _ check: () throws -> Bool) rethrows -> Bool { try cluster.eventually(30, check) }
        let logText = { cluster.logText }
        #expect(try server.kubectl("create", "namespace", "--dry-run=client", "-o", "yaml", "team-a").status == 0)
        try "apiVersion: v1\nkind: Namespace\nmetadata: {name: team-a}\n".write(toFile: server.directory + "/ns.yaml", atomically: true, encoding: .utf8)
        #expect(try server.kubectl("create", "-f", server.directory + "/ns.yaml").status == 0)
        let defaults = try eventually("defaults") {
            try server.kubectl("get", "serviceaccount", "default", "-n", "team-a").status == 0
                && server.kubectl("get", "configmap", "kube-root-ca.crt", "-n", "team-a").status == 0
        }
        #expect(defaults, "controller manager log: \(logText())")

        // A bootstrap token, kubeadm's bindings, and a kubelet client CSR posted with the token.
        try """
            apiVersion: v1
            kind: Secret
            metadata: {name: bootstrap-token-abcdef, namespace: kube-system}
            type: bootstrap.kubernetes.io/token
            stringData: {token-id: abcdef, token-secret: 0123456789abcdef, usage-bootstrap-authentication: "true", auth-extra-groups: "system:bootstrappers:kubeadm:default-node-token"}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: "kubeadm:kubelet-bootstrap"}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: "system:node-bootstrapper"}
            subjects: [{apiGroup: rbac.authorization.k8s.io, kind: Group, name: "system:bootstrappers:kubeadm:default-node-token"}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: "kubeadm:node-autoapprove-bootstrap"}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: "system:certificates.k8s.io:certificatesigningrequests:nodeclient"}
            subjects: [{apiGroup: rbac.authorization.k8s.io, kind: Group, name: "system:bootstrappers:kubeadm:default-node-token"}]
            """.write(toFile: server.directory + "/token.yaml", atomically: true, encoding: .utf8)
        #expect(try Harness.run("kubectl", ["--kubeconfig", server.directory + "/super-admin.conf", "--cache-dir", server.directory + "/kc",
                                            "create", "-f", server.directory + "/token.yaml"]).status == 0)
        let request = try Harness.run("bash", ["-c", "openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout /dev/null "
            + "-subj '/O=system:nodes/CN=system:node:worker-1' 2>/dev/null | base64 -w0"]).stdout
        try """
            apiVersion: certificates.k8s.io/v1
            kind: CertificateSigningRequest
            metadata: {name: node-csr-worker-1}
            spec: {request: \(request), signerName: kubernetes.io/kube-apiserver-client-kubelet, usages: [digital signature, client auth]}
            """.write(toFile: server.directory + "/csr.yaml", atomically: true, encoding: .utf8)
        let tokenConfig = try APIServerSecurityE2ETests.kubeconfig(server, "token", user: "token: abcdef.0123456789abcdef")
        #expect(try APIServerSecurityE2ETests.kubectl(server, tokenConfig, ["create", "-f", server.directory + "/csr.yaml"]).status == 0)
        var certificate = ""
        let signed = try eventually("signed") {
            certificate = try server.kubectl("get", "csr", "node-csr-worker-1", "-o", "jsonpath={.status.certificate}").stdout
            return !certificate.isEmpty
        }
        #expect(signed, "controller manager log: \(logText())")
        let condition = try server.kubectl("get", "csr", "node-csr-worker-1", "-o", "jsonpath={.status.conditions[0].reason}").stdout
        #expect(condition == "AutoApproved")
        let pem = server.directory + "/worker.crt"
        try Data(base64Encoded: certificate)?.write(to: URL(fileURLWithPath: pem))
        let verify = try Harness.run("openssl", ["verify", "-CAfile", server.pki + "/ca.crt", pem])
        #expect(verify.stdout.contains(": OK"), "\(verify.combined)")

        // A Deployment gets a ReplicaSet, which gets its pods; status reaches the Deployment.
        try """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: team-a}
            spec:
              replicas: 2
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec: {containers: [{name: c, image: busybox}]}
            """.write(toFile: server.directory + "/deploy.yaml", atomically: true, encoding: .utf8)
        #expect(try server.kubectl("create", "-f", server.directory + "/deploy.yaml").status == 0)
        let rolled = try eventually("pods") {
            let pods = try server.kubectl("get", "pods", "-n", "team-a", "-l", "app=web", "-o", "name").stdout
            let replicaSets = try server.kubectl("get", "rs", "-n", "team-a", "-o", "jsonpath={.items[0].metadata.annotations.deployment\\.kubernetes\\.io/revision}").stdout
            let observed = try server.kubectl("get", "deploy", "web", "-n", "team-a", "-o", "jsonpath={.status.replicas}").stdout
            return pods.split(separator: "\n").count == 2 && replicaSets == "1" && observed == "2"
        }
        #expect(rolled, "controller manager log: \(logText())")
    }
}
