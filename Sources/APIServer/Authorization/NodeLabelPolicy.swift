/// Which Node labels a kubelet may set on itself (upstream NodeRestriction's label rules and
/// `kubeletapis.IsKubeletLabel`). The point: a node must not be able to label itself into workloads meant for
/// other nodes, so labels under `node-restriction.kubernetes.io/` are reserved to administrators, and other
/// `kubernetes.io`/`k8s.io` labels are limited to the well-known ones the kubelet sets.
enum NodeLabelPolicy {
    static let restrictedNamespace = "node-restriction.kubernetes.io"

    /// Labels the kubelet itself sets.
    static let kubeletLabels: Set<String> = [
        "kubernetes.io/hostname", "kubernetes.io/os", "kubernetes.io/arch",
        "beta.kubernetes.io/os", "beta.kubernetes.io/arch", "beta.kubernetes.io/instance-type",
        "node.kubernetes.io/instance-type",
        "failure-domain.beta.kubernetes.io/region", "failure-domain.beta.kubernetes.io/zone",
        "topology.kubernetes.io/region", "topology.kubernetes.io/zone",
    ]

    /// Label prefixes (and their subdomains) a kubelet may use freely.
    static let kubeletNamespaces = ["kubelet.kubernetes.io", "node.kubernetes.io"]

    /// The prefix before `/`, or "" for an unprefixed key.
    static func namespace(of key: String) -> String {
        guard let slash = key.firstIndex(of: "/") else { return "" }
        return String(key[..<slash])
    }

    static func inDomain(_ namespace: String, _ domain: String) -> Bool {
        namespace == domain || namespace.hasSuffix("." + domain)
    }

    static func isKubeletLabel(_ key: String) -> Bool {
        kubeletLabels.contains(key) || kubeletNamespaces.contains { inDomain(namespace(of: key), $0) }
    }

    /// The labels among `modified` a node may not set: restricted ones always, other kubernetes.io/k8s.io ones on
    /// update (upstream only warns about those at registration, for old kubelets' sake).
    static func forbidden(_ modified: Set<String>, isUpdate: Bool) -> [String] {
        modified.filter { key in
            let namespace = namespace(of: key)
            if inDomain(namespace, restrictedNamespace) { return true }
            let kubernetes = inDomain(namespace, "kubernetes.io") || inDomain(namespace, "k8s.io")
            return isUpdate && kubernetes && !isKubeletLabel(key)
        }.sorted()
    }

    /// Keys added, removed or changed between two label sets.
    static func modified(_ new: [String: String], _ old: [String: String]) -> Set<String> {
        var keys = Set<String>()
        for (key, value) in new where old[key] != value { keys.insert(key) }
        for key in old.keys where new[key] == nil { keys.insert(key) }
        return keys
    }
}
