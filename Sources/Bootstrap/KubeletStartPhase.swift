import Foundation
import Kubelet
import Manifests

/// Writes the kubelet's files, then (re)starts the host kubelet as a daemon (pid and log files; see HostKubelet).
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
        if data.isDryRun {
            data.say("[dryrun] Would start the kubelet: \(HostKubelet().binary) \(try HostKubelet(paths: data.realPaths).arguments().joined(separator: " "))")
            return
        }
        data.say("[kubelet-start] Starting the kubelet")
        let kubelet = HostKubelet(paths: data.writePaths)
        let pid = try await kubelet.restart()
        data.say("[kubelet-start] The kubelet runs as process \(pid), logging to \(kubelet.logFile)")
    }
}
