import Foundation
import Kubelet
import Manifests
import Preflight

/// What `kubeadm-swift reset` was asked to do.
public struct ResetRequest: Sendable {
    public var force = false
    public var certificatesDir: String?
    public var kubeconfigDir: String?
    public var dryRun = false
    public var ignorePreflightErrors: [String] = []
    /// A file with a `ResetConfiguration`; flags win over it.
    public var configFile: String?
    public var root = "/"
    public init() {}

    /// Merges a ResetConfiguration from `configFile` under the flags.
    func resolved() throws -> ResetRequest {
        guard let configFile else { return self }
        guard let config = try ConfigLoader.load(file: configFile).resetConfiguration else {
            throw ConfigError(source: configFile, "no ResetConfiguration document found; 'kubeadm-swift config print reset-defaults' prints one")
        }
        var merged = self
        merged.force = force || (config.force ?? false)
        merged.dryRun = dryRun || (config.dryRun ?? false)
        merged.certificatesDir = certificatesDir ?? config.certificatesDir
        merged.ignorePreflightErrors = (config.ignorePreflightErrors ?? []) + ignorePreflightErrors
        return merged
    }
}

/// `kubeadm-swift reset`: removes what init and join wrote. Best effort like kubeadm: every step runs and
/// failures are reported at the end. Only files and directories that kubeadm-swift owns are touched.
public enum ResetRunner {
    public static func run(_ request: ResetRequest, output: Output = .standard,
                           confirm: () -> String? = { readLine() }) async throws {
        let request = try request.resolved()
        if !request.force, !request.dryRun {
            output.line("[reset] WARNING: Changes made to this host by 'kubeadm-swift init' or 'kubeadm-swift join' will be reverted.")
            output.line("[reset] Are you sure you want to proceed? [y/N]: ")
            guard let answer = confirm()?.lowercased(), answer == "y" || answer == "yes" else {
                throw ResetAborted()
            }
        }
        let ignore = try IgnoreSet(request.ignorePreflightErrors)
        try PreflightRunner.run(CheckSets.resetChecks(), on: LiveHost(), ignoring: ignore, output: output.line).throwIfFatal()

        let paths = HostPaths(root: request.root, certificatesDir: request.certificatesDir ?? WellKnown.certificatesDir)
        let kubeconfigDir = paths.rooted(request.kubeconfigDir ?? HostPaths().kubernetesDir)
        var failures: [String] = []
        if request.dryRun {
            output.line("[reset] Would delete this node's Node object, stop the kubelet and remove its containers, pod networks, mounts and cgroups")
        } else {
            if let line = await NodeDeletion.run(kubeconfigDir: kubeconfigDir, kubeletConfig: paths.kubeletConfigFile) { output.line(line) }
            output.line("[reset] Stopping the kubelet service")
            output.line("[reset] Removing the containers, pod networks, mounts and cgroups the kubelet created")
            let teardown = await NodeTeardown(paths: paths, cgroupRoot: KubeletCgroupRoot.read(configFile: paths.kubeletConfigFile)).run()
            for item in teardown.removed { output.line("[reset] Removed \(item)") }
            failures += teardown.failures
        }
        // kubeadm empties these directories; kubeadm-swift removes the ones it owns outright so that nothing is
        // left behind. A non-default certificate directory is the user's: it is only emptied.
        let ownedDirectories = [paths.manifestsDir, paths.kubeletDir, paths.dataDir, paths.runDir, paths.podLogsDir,
                                paths.rooted("/var/log/kubeadm-swift")]
            + (paths.certificatesDir == WellKnown.certificatesDir ? [paths.pkiDir] : [])
        let emptiedDirectories = paths.certificatesDir == WellKnown.certificatesDir ? [] : [paths.pkiDir]
        let files = [KubeconfigFile.admin, .superAdmin, .kubelet, .controllerManager, .scheduler].map { kubeconfigDir + "/" + $0.fileName }
            + [kubeconfigDir + "/bootstrap-kubelet.conf"]
        let verb = request.dryRun ? "Would delete" : "Deleting"
        let mountPoints = Set(NodeTeardown.mountPoints())
        func remove(_ path: String) {
            guard !request.dryRun, FileManager.default.fileExists(atPath: path) else { return }
            // A directory that is a mount point (its own filesystem, or bind-mounted by the host) is emptied instead.
            let targets = mountPoints.contains(path)
                ? ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).map { path + "/" + $0 } : [path]
            for target in targets {
                do { try FileManager.default.removeItem(atPath: target) } catch { failures.append("\(target): \(error.localizedDescription)") }
            }
        }
        if !emptiedDirectories.isEmpty {
            output.line("[reset] \(verb) contents of directories: [\(emptiedDirectories.joined(separator: " "))]")
            for directory in emptiedDirectories {
                for entry in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] { remove(directory + "/" + entry) }
            }
        }
        output.line("[reset] \(verb) directories: [\(ownedDirectories.joined(separator: " "))]")
        ownedDirectories.forEach(remove)
        output.line("[reset] \(verb) files: [\(files.joined(separator: " "))]")
        files.forEach(remove)
        // /etc/kubernetes itself goes too when nothing else lives there.
        if !request.dryRun, !mountPoints.contains(paths.kubernetesDir),
           (try? FileManager.default.contentsOfDirectory(atPath: paths.kubernetesDir))?.isEmpty == true {
            remove(paths.kubernetesDir)
        }
        output.line("")
        output.line("The reset process does not perform cleanup of CNI plugin configuration,")
        output.line("network filtering rules and your own kubeconfig files (such as $HOME/.kube/config).")
        output.line("")
        output.line("For information on how to perform this cleanup manually, please see:")
        output.line("    https://k8s.io/docs/reference/setup-tools/kubeadm/kubeadm-reset/")
        if !failures.isEmpty { throw ResetIncomplete(failures: failures) }
    }
}

struct ResetAborted: Error, CustomStringConvertible {
    var description: String { "aborted reset operation (answer 'y' to proceed, or pass --force)" }
}

struct ResetIncomplete: Error, CustomStringConvertible {
    var failures: [String]
    var description: String {
        "reset could not remove everything; remove these by hand:\n" + failures.map { "\t\($0)" }.joined(separator: "\n")
    }
}
