import Foundation
import Manifests
import PKI
import Synchronization

/// Everything the init phases read: the resolved settings plus where to write.
///
/// Dry-run is a substitution, not a flag inside the phases: `writePaths` points at a temporary root while
/// `realPaths` keeps the node paths that go *into* files (manifest flags, kubeconfig paths).
public struct InitData: Sendable {
    public var settings: InitSettings
    public var realPaths: HostPaths
    public var writePaths: HostPaths
    /// `--kubeconfig-dir`: where kubeconfig files are written (already rooted).
    public var kubeconfigDir: String
    /// The kubeconfig directory as the user sees it (not the dry-run root).
    public var kubeconfigDisplayDir: String
    public var output: Output
    public var host: HostFacts
    /// Keys generated ahead, in parallel, for the sub-phases of the running parent phase (`certs`, `kubeconfig`).
    let keyPool = KeyPoolSlot()
    /// The admin API connection of the phases after wait-control-plane, made on first use.
    let cluster = ClusterAccess()
    public var isDryRun: Bool { settings.dryRun }

    public init(settings: InitSettings, writeRoot: String, kubeconfigDir: String?, output: Output, host: HostFacts) {
        self.settings = settings
        self.realPaths = HostPaths(root: "/", certificatesDir: settings.certificatesDir)
        self.writePaths = HostPaths(root: writeRoot, certificatesDir: settings.certificatesDir)
        self.kubeconfigDir = writePaths.rooted(kubeconfigDir ?? HostPaths().kubernetesDir)
        self.kubeconfigDisplayDir = kubeconfigDir ?? HostPaths().kubernetesDir
        self.output = output
        self.host = host
    }

    public func say(_ text: String) { output.line(text) }

    public func kubeconfigPath(_ file: KubeconfigFile) -> String { kubeconfigDir + "/" + file.fileName }
}

/// Holds the run's key pool; a class so that every phase sees what the `certs` phase put there.
final class KeyPoolSlot: Sendable {
    private let slot = Mutex<KeyPool?>(nil)
    var current: KeyPool? {
        get { slot.withLock { $0 } }
        set { slot.withLock { $0 = newValue } }
    }
}
