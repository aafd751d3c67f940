import Foundation
import Manifests
import PKI

/// Writes the static pod manifests for the bundled control-plane components.
enum ControlPlanePhase {
    @Sendable static func announce(_ data: InitData) async throws {
        data.say("[control-plane] Using manifest folder \"\(data.realPaths.manifestsDir)\"")
    }

    static func write(_ component: ControlPlaneComponent, _ data: InitData) throws {
        let pods = StaticPods(settings: data.settings) { path in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
        }
        data.say("[control-plane] Creating static Pod manifest for \"\(component.rawValue)\"")
        // kubeadm creates the manifest directory 0700 and each file 0600: manifests name key files.
        try AtomicFile.write(try pods.yaml(component), to: data.writePaths.manifest(component), mode: 0o600, directoryMode: 0o700)
    }
}

/// Writes the kubelet's files; starting the host kubelet arrives with the kubelet issue.
enum KubeletStartPhase {
    @Sendable static func run(_ data: InitData) async throws {
        let s = data.settings
        data.say("[kubelet-start] Writing kubelet environment file with flags to file \"\(data.realPaths.kubeletFlagsFile)\"")
        let env = KubeletConfig.flagsEnv(nodeName: s.nodeName, hostname: data.host.hostname,
                                         extraArgs: s.initConfiguration.nodeRegistration?.kubeletExtraArgs, taints: s.taints)
        try AtomicFile.write(env, to: data.writePaths.kubeletFlagsFile, mode: 0o644)
        data.say("[kubelet-start] Writing kubelet configuration to file \"\(data.realPaths.kubeletConfigFile)\"")
        let config = try KubeletConfig.configuration(dnsServiceIP: s.dnsServiceIP.description, dnsDomain: s.dnsDomain,
                                                     certificatesDir: s.certificatesDir, userOverrides: s.kubeletConfiguration)
        try AtomicFile.write(config, to: data.writePaths.kubeletConfigFile, mode: 0o644)
        let notBuilt = NotBuiltError(what: "Starting the host kubelet", arrivesWith: "the kubelet issue (#5)")
        guard data.isDryRun else { throw notBuilt }
        data.say("[dryrun] Would start the kubelet, which is not built yet in this version (it arrives with the kubelet issue (#5))")
    }
}
