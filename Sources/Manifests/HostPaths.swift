import Foundation

/// Every node path kubeadm-swift reads or writes, computed from one root.
///
/// The root is `/` on a real node; dry runs and tests point it at a temporary directory so that the
/// same phase code writes the same relative layout somewhere harmless (dry-run by substitution).
public struct HostPaths: Sendable, Equatable {
    public var root: String
    /// The certificate directory from the configuration (`certificatesDir`), rooted like everything else.
    public var certificatesDir: String

    public init(root: String = "/", certificatesDir: String = WellKnown.certificatesDir) {
        self.root = root
        self.certificatesDir = certificatesDir
    }

    /// Joins an absolute node path onto the root.
    public func rooted(_ absolute: String) -> String {
        if root == "/" || root.isEmpty { return absolute }
        let trimmed = root.hasSuffix("/") ? String(root.dropLast()) : root
        return trimmed + (absolute.hasPrefix("/") ? absolute : "/" + absolute)
    }

    public var kubernetesDir: String { rooted("/etc/kubernetes") }
    public var manifestsDir: String { rooted("/etc/kubernetes/manifests") }
    public var pkiDir: String { rooted(certificatesDir) }
    public var kubeletDir: String { rooted("/var/lib/kubelet") }
    public var kubeletConfigFile: String { kubeletDir + "/config.yaml" }
    public var kubeletFlagsFile: String { kubeletDir + "/kubeadm-flags.env" }
    public var kubeletPKIDir: String { kubeletDir + "/pki" }
    public var dataDir: String { rooted("/var/lib/kubeadm-swift") }
    public var datastoreDir: String { dataDir + "/db" }
    public var imagesDir: String { dataDir + "/images" }
    public var localPathStorageDir: String { rooted(WellKnown.localPathStorageDir) }
    public var runDir: String { rooted("/run/kubeadm-swift") }
    public var podNetnsDir: String { runDir + "/netns" }
    public var podLogsDir: String { rooted("/var/log/pods") }
    public var cniConfDir: String { rooted("/etc/cni/net.d") }
    public var cniBinDir: String { rooted("/usr/lib/cni") }
    public var cniStateDir: String { rooted("/var/lib/cni") }

    public func kubeconfig(_ file: KubeconfigFile) -> String { kubernetesDir + "/" + file.fileName }
    public func manifest(_ component: ControlPlaneComponent) -> String { manifestsDir + "/" + component.manifestFileName }
    public var etcdManifest: String { manifestsDir + "/etcd.yaml" }
}
