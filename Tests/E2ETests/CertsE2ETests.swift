import Foundation
import Testing

@Suite(.serialized) struct CertsE2ETests {
    @Test func certsAllWritesAVerifiableTree() throws {
        try Harness.withTemporaryDirectory { dir in
            let pki = dir + "/pki"
            let first = try Harness.kubeadm("init", "phase", "certs", "all", "--cert-dir", pki, "--apiserver-advertise-address", "10.1.2.3",
                                            "--apiserver-cert-extra-sans", "foo.example.com", "--node-name", "cp-node")
            #expect(first.status == 0, "\(first.combined)")
            #expect(first.stdout.contains("[certs] Generating \"ca\" certificate and key"))

            let verify = try Harness.run("openssl", ["verify", "-CAfile", pki + "/ca.crt", pki + "/apiserver.crt", pki + "/apiserver-kubelet-client.crt"])
            #expect(verify.status == 0, "\(verify.combined)")
            let frontProxy = try Harness.run("openssl", ["verify", "-CAfile", pki + "/front-proxy-ca.crt", pki + "/front-proxy-client.crt"])
            #expect(frontProxy.status == 0, "\(frontProxy.combined)")

            let sans = try Harness.run("openssl", ["x509", "-in", pki + "/apiserver.crt", "-noout", "-ext", "subjectAltName"]).stdout
            for san in ["DNS:cp-node", "DNS:kubernetes.default.svc.cluster.local", "IP Address:10.96.0.1", "IP Address:10.1.2.3", "DNS:foo.example.com"] {
                #expect(sans.contains(san), "apiserver SANs lack \(san): \(sans)")
            }
            let keys = ["ca.key", "apiserver.key", "apiserver-kubelet-client.key", "front-proxy-ca.key", "front-proxy-client.key", "sa.key", "sa.pub"]
            for key in keys { #expect(try Harness.mode(pki + "/" + key) == 0o600, "\(key) must be 0600") }
            #expect(try Harness.mode(pki + "/ca.crt") == 0o644)
            #expect(try String(contentsOfFile: pki + "/ca.key", encoding: .utf8).hasPrefix("-----BEGIN RSA PRIVATE KEY-----"))
            #expect(try String(contentsOfFile: pki + "/sa.pub", encoding: .utf8).hasPrefix("-----BEGIN PUBLIC KEY-----"))

            let ca = try String(contentsOfFile: pki + "/ca.crt", encoding: .utf8)
            let second = try Harness.kubeadm("init", "phase", "certs", "all", "--cert-dir", pki, "--apiserver-advertise-address", "10.1.2.3",
                                             "--apiserver-cert-extra-sans", "foo.example.com", "--node-name", "cp-node")
            #expect(second.status == 0, "\(second.combined)")
            #expect(second.stdout.contains("[certs] Using existing ca certificate authority"))
            #expect(try String(contentsOfFile: pki + "/ca.crt", encoding: .utf8) == ca, "the CA is reused, not replaced")
        }
    }

    @Test func aCorruptCertificateIsNamed() throws {
        try Harness.withTemporaryDirectory { dir in
            let pki = dir + "/pki"
            #expect(try Harness.kubeadm("init", "phase", "certs", "ca", "--cert-dir", pki, "--apiserver-advertise-address", "10.1.2.3").status == 0)
            try "garbage".write(toFile: pki + "/ca.crt", atomically: true, encoding: .utf8)
            let run = try Harness.kubeadm("init", "phase", "certs", "apiserver", "--cert-dir", pki, "--apiserver-advertise-address", "10.1.2.3")
            #expect(run.status == 1)
            #expect(run.stderr.contains("error execution phase certs/apiserver"), "\(run.stderr)")
            #expect(run.stderr.contains(pki + "/ca.crt"), "the message names the broken file: \(run.stderr)")
        }
    }

    @Test func ecdsaTreeFromConfig() throws {
        try Harness.withTemporaryDirectory { dir in
            let config = dir + "/kubeadm.yaml"
            try "apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\nencryptionAlgorithm: ECDSA-P256\ncertificatesDir: \(dir)/pki\n"
                .write(toFile: config, atomically: true, encoding: .utf8)
            let run = try Harness.kubeadm("init", "phase", "certs", "all", "--config", config, "--apiserver-advertise-address", "10.1.2.3")
            #expect(run.status == 0, "\(run.combined)")
            #expect(try String(contentsOfFile: dir + "/pki/apiserver.key", encoding: .utf8).hasPrefix("-----BEGIN EC PRIVATE KEY-----"))
            #expect(try Harness.run("openssl", ["verify", "-CAfile", dir + "/pki/ca.crt", dir + "/pki/apiserver.crt"]).status == 0)
        }
    }

    @Test func kubeconfigsAreAcceptedByKubectlAndCarryTheRightIdentity() throws {
        try Harness.withTemporaryDirectory { dir in
            let common = ["--cert-dir", dir + "/pki", "--kubeconfig-dir", dir, "--apiserver-advertise-address", "10.1.2.3", "--node-name", "cp-node"]
            #expect(try Harness.kubeadm(args: ["init", "phase", "certs", "all"] + common).status == 0)
            let run = try Harness.kubeadm(args: ["init", "phase", "kubeconfig", "all"] + common)
            #expect(run.status == 0, "\(run.combined)")
            let expected: [(String, String, String)] = [
                ("admin.conf", "kubernetes-admin", "kubeadm:cluster-admins"), ("super-admin.conf", "kubernetes-super-admin", "system:masters"),
                ("kubelet.conf", "system:node:cp-node", "system:nodes"), ("controller-manager.conf", "system:kube-controller-manager", ""),
                ("scheduler.conf", "system:kube-scheduler", ""),
            ]
            for (file, cn, org) in expected {
                let path = dir + "/" + file
                #expect(try Harness.mode(path) == 0o600)
                let view = try Harness.run("kubectl", ["config", "view", "--kubeconfig", path, "--raw", "-o", "jsonpath={.users[0].user.client-certificate-data}"])
                #expect(view.status == 0, "kubectl rejected \(file): \(view.stderr)")
                let pem = String(decoding: Data(base64Encoded: view.stdout) ?? Data(), as: UTF8.self)
                let certFile = dir + "/\(file).crt"
                try pem.write(toFile: certFile, atomically: true, encoding: .utf8)
                let subject = try Harness.run("openssl", ["x509", "-in", certFile, "-noout", "-subject", "-nameopt", "RFC2253"]).stdout
                #expect(subject.contains("CN=\(cn)"), "\(file): \(subject)")
                if !org.isEmpty { #expect(subject.contains("O=\(org)"), "\(file): \(subject)") }
                #expect(try Harness.run("openssl", ["verify", "-CAfile", dir + "/pki/ca.crt", certFile]).status == 0)
                let server = try Harness.run("kubectl", ["config", "view", "--kubeconfig", path, "-o", "jsonpath={.clusters[0].cluster.server}"]).stdout
                #expect(server == "https://10.1.2.3:6443")
            }
        }
    }

    @Test func checkExpirationAndRenew() throws {
        try Harness.withTemporaryDirectory { dir in
            let common = ["--cert-dir", dir + "/pki", "--kubeconfig-dir", dir, "--apiserver-advertise-address", "10.1.2.3"]
            #expect(try Harness.kubeadm(args: ["init", "phase", "certs", "all"] + common).status == 0)
            #expect(try Harness.kubeadm(args: ["init", "phase", "kubeconfig", "all"] + common).status == 0)
            let table = try Harness.kubeadm("certs", "check-expiration", "--cert-dir", dir + "/pki", "--kubeconfig-dir", dir)
            #expect(table.status == 0, "\(table.combined)")
            #expect(table.stdout.contains("CERTIFICATE AUTHORITY   EXPIRES"))
            #expect(table.stdout.contains("admin.conf") && table.stdout.contains("364d"))
            #expect(table.stdout.contains("front-proxy-ca") && table.stdout.contains("9y"))
            let before = try String(contentsOfFile: dir + "/pki/apiserver.crt", encoding: .utf8)
            let ca = try String(contentsOfFile: dir + "/pki/ca.crt", encoding: .utf8)
            let renew = try Harness.kubeadm("certs", "renew", "all", "--cert-dir", dir + "/pki", "--kubeconfig-dir", dir)
            #expect(renew.status == 0, "\(renew.combined)")
            #expect(renew.stdout.contains("certificate for serving the Kubernetes API renewed"))
            #expect(renew.stdout.contains("Done renewing certificates."))
            #expect(try String(contentsOfFile: dir + "/pki/apiserver.crt", encoding: .utf8) != before)
            #expect(try String(contentsOfFile: dir + "/pki/ca.crt", encoding: .utf8) == ca)
            #expect(try Harness.run("openssl", ["verify", "-CAfile", dir + "/pki/ca.crt", dir + "/pki/apiserver.crt"]).status == 0)
            #expect(try Harness.run("kubectl", ["config", "view", "--kubeconfig", dir + "/admin.conf"]).status == 0)
            #expect(try Harness.kubeadm("certs", "renew", "ca", "--cert-dir", dir + "/pki").status != 0, "CAs are not renewable")
        }
    }
}
