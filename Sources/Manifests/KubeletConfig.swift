import Yams

/// The kubelet's configuration files that `kubelet-start` writes: config.yaml and kubeadm-flags.env.
public enum KubeletConfig {
    /// KubeletConfiguration (kubelet.config.k8s.io/v1beta1) with kubeadm's defaults (kubeadm.md section 11.1),
    /// adapted to kubeadm-swift's kubelet: cgroupfs driver (these hosts have no systemd) and runc directly.
    public static func configuration(dnsServiceIP: String, dnsDomain: String, certificatesDir: String,
                                     userOverrides: String? = nil) throws -> String {
        var pairs: [(String, Node)] = [
            ("apiVersion", Node(WellKnown.kubeletConfigAPIVersion)),
            ("kind", Node("KubeletConfiguration")),
            ("authentication", map([
                ("anonymous", map([("enabled", Node("false"))])),
                ("webhook", map([("cacheTTL", Node("0s")), ("enabled", Node("true"))])),
                ("x509", map([("clientCAFile", Node("\(certificatesDir)/ca.crt"))])),
            ])),
            ("authorization", map([("mode", Node("Webhook"))])),
            ("cgroupDriver", Node("cgroupfs")),
            ("clusterDNS", Node([Node(dnsServiceIP)])),
            ("clusterDomain", Node(dnsDomain)),
            ("healthzBindAddress", Node("127.0.0.1")),
            ("healthzPort", Node("\(WellKnown.kubeletHealthzPort)")),
            ("readOnlyPort", Node("0")),
            ("rotateCertificates", Node("true")),
            ("staticPodPath", Node(HostPaths().manifestsDir)),
        ]
        if let userOverrides, case .mapping(let user)? = try Yams.compose(yaml: userOverrides) {
            for (key, value) in user {
                guard let name = key.string else { continue }
                if let index = pairs.firstIndex(where: { $0.0 == name }) { pairs[index].1 = value } else { pairs.append((name, value)) }
            }
        }
        return try Yams.serialize(node: map(pairs))
    }

    /// `KUBELET_KUBEADM_ARGS="..."`: the per-node flags the kubelet reads at start.
    public static func flagsEnv(nodeName: String, hostname: String, extraArgs: ExtraArgs?, taints: [Taint]?) -> String {
        var args: [Arg] = []
        if nodeName != hostname.lowercased() { args.append(Arg(name: "hostname-override", value: nodeName)) }
        args += extraArgs?.args ?? []
        let text = args.map { "--\($0.name)=\($0.value)" }.joined(separator: " ")
        return "KUBELET_KUBEADM_ARGS=\"\(text)\"\n"
    }

    private static func map(_ pairs: [(String, Node)]) -> Node {
        Node(pairs.map { (Node($0.0), $0.1) })
    }
}
