import Manifests

/// What `kubeadm-swift version` reports.
public enum BuildInfo {
    public static let toolVersion = WellKnown.toolVersion

    /// The fields of kubeadm's `version.Info`, in its order.
    public static var fields: [(String, String)] {
        [("major", WellKnown.kubernetesMajor), ("minor", WellKnown.kubernetesMinor), ("gitVersion", WellKnown.kubernetesVersion),
         ("gitCommit", "kubeadm-swift-\(toolVersion)"), ("gitTreeState", "clean"), ("buildDate", ""),
         ("goVersion", "swift6"), ("compiler", "swiftc"), ("platform", platform)]
    }

    static var platform: String {
        #if arch(x86_64)
        "linux/amd64"
        #elseif arch(arm64)
        "linux/arm64"
        #else
        "linux/unknown"
        #endif
    }
}
