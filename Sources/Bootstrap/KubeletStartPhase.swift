import Foundation
import Manifests

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
