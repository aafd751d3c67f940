import Testing
@testable import Manifests

@Suite struct ConfigLoaderTests {
    let cluster = """
        apiVersion: kubeadm.k8s.io/v1beta4
        kind: ClusterConfiguration
        networking:
          podSubnet: 10.244.0.0/16
        apiServer:
          certSANs: [foo.example.com]
          extraArgs:
          - name: v
            value: "2"
        """

    @Test func readsMultiDocumentFiles() throws {
        let yaml = """
            apiVersion: kubeadm.k8s.io/v1beta4
            kind: InitConfiguration
            localAPIEndpoint:
              advertiseAddress: 10.1.2.3
              bindPort: 7443
            ---
            \(cluster)
            ---
            apiVersion: kubelet.config.k8s.io/v1beta1
            kind: KubeletConfiguration
            maxPods: 50
            """
        let docs = try ConfigLoader.load(yaml: yaml, source: "test.yaml")
        #expect(docs.initConfiguration?.localAPIEndpoint?.bindPort == 7443)
        #expect(docs.clusterConfiguration?.networking?.podSubnet == "10.244.0.0/16")
        #expect(docs.clusterConfiguration?.apiServer?.extraArgs?.args == [Arg(name: "v", value: "2")])
        #expect(docs.kubeletConfiguration?.contains("maxPods: 50") == true)
    }

    @Test(arguments: [
        ("networking:\n  podSubnett: 10.0.0.0/8", "networking.podSubnett", "unknown field \"podSubnett\""),
        ("clusterNam: x", "clusterNam", "unknown field"),
        ("apiServer:\n  extraArgs:\n  - name: v\n    valu: x", "apiServer.extraArgs[0].valu", "unknown field"),
        ("networking: 5", "networking", "expected a mapping"),
        ("certificateValidityPeriod: 3 days", "certificateValidityPeriod", "invalid duration"),
        ("apiServer:\n  extraArgs:\n    v: \"2\"", "apiServer.extraArgs", "v1beta3 only"),
        ("apiServer:\n  timeoutForControlPlane: 4m0s", "apiServer.timeoutForControlPlane", "unknown field"),
    ])
    func rejectsBadFieldsWithTheirPath(body: String, path: String, message: String) throws {
        let yaml = "apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\n" + body
        let error = try #require(throws: ConfigError.self) { try ConfigLoader.load(yaml: yaml, source: "c.yaml") }
        #expect(error.errors.first?.path == path)
        #expect(error.description.contains(message), "\(error)")
        #expect(error.description.hasPrefix("c.yaml: ClusterConfiguration (document 1)"))
    }

    @Test func quotedNumbersAreNotIntegers() throws {
        let yaml = "apiVersion: kubeadm.k8s.io/v1beta4\nkind: InitConfiguration\nlocalAPIEndpoint:\n  bindPort: \"6443\"\n"
        let error = try #require(throws: ConfigError.self) { try ConfigLoader.load(yaml: yaml, source: "i.yaml") }
        #expect(error.errors.first?.path == "localAPIEndpoint.bindPort")
    }

    @Test func readsV1beta3MapArgsAndLegacyTimeouts() throws {
        let yaml = """
            apiVersion: kubeadm.k8s.io/v1beta3
            kind: ClusterConfiguration
            apiServer:
              timeoutForControlPlane: 2m0s
              extraArgs:
                v: "4"
                audit-log-path: /tmp/a
            """
        let docs = try ConfigLoader.load(yaml: yaml, source: "old.yaml")
        #expect(docs.clusterConfiguration?.apiServer?.extraArgs?.args.map(\.name) == ["audit-log-path", "v"])
        let settings = try InitSettings.resolve(flags: InitFlags(), documents: docs, host: TestHost.facts)
        #expect(settings.timeouts.controlPlaneComponentHealthCheck == GoDuration(seconds: 120))
    }

    @Test(arguments: [
        ("apiVersion: kubeadm.k8s.io/v1beta2\nkind: ClusterConfiguration", "is not supported"),
        ("kind: ClusterConfiguration", "needs apiVersion and kind"),
        ("apiVersion: kubeadm.k8s.io/v1beta4\nkind: Nope", "unknown kind"),
        ("apiVersion: kubeadm.k8s.io/v1beta3\nkind: ResetConfiguration", "only in"),
        ("a: [", "not valid YAML"),
    ])
    func rejectsBadDocuments(yaml: String, message: String) {
        let error = #expect(throws: ConfigError.self) { try ConfigLoader.load(yaml: yaml, source: "x.yaml") }
        #expect(error?.description.contains(message) == true, "\(String(describing: error))")
    }

    @Test func ignoresForeignKindsWithAWarning() throws {
        let docs = try ConfigLoader.load(yaml: "apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nmode: iptables\n", source: "p.yaml")
        #expect(docs.warnings.count == 1)
    }

    @Test func duplicateKindsAreAnError() {
        let doc = "apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\n"
        #expect(throws: ConfigError.self) { try ConfigLoader.load(yaml: doc + "---\n" + doc, source: "d.yaml") }
    }
}

enum TestHost {
    static let facts = HostFacts(hostname: "Node-A", defaultRouteAddress: "192.168.7.9")
}
