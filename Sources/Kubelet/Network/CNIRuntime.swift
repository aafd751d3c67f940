import Foundation
import KubeAPI
import Manifests

/// The kubelet's CNI network plugin: attaches a pod's network namespace to the node's pod network and detaches it,
/// with the kubelet's arguments (`CNI_ARGS`, `portMappings`) and libcni's semantics (``CNIInvoker``).
///
/// Every pod gets two attachments, like containerd gives them: `lo` via the loopback plugin (a separate
/// network, `cni-loopback`, so the node's configuration need not list it), then `eth0` via the node's network.
/// Teardown runs them in reverse. The CNI container ID is the pod UID: our sandbox is the namespace itself.
public struct CNIRuntime: Sendable {
    /// The loopback network's name (containerd's), which also names its cache entries.
    public static let loopbackNetworkName = "cni-loopback"

    /// Directories, interface name and timeout.
    public var configuration: CNIRuntimeConfiguration
    /// Runs configuration lists (libcni semantics) and owns the result cache.
    public var invoker: CNIInvoker

    /// - Parameters:
    ///   - configuration: directories, interface name and timeout.
    ///   - environment: the environment plugins inherit (default: the kubelet's).
    public init(configuration: CNIRuntimeConfiguration, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.configuration = configuration
        invoker = CNIInvoker(pluginDirectories: configuration.pluginDirectories,
                             cache: CNIResultCache(stateDirectory: configuration.stateDirectory),
                             timeout: configuration.pluginTimeout, environment: environment)
    }

    /// The node's pod network; throws ``CNIError/Code/noNetworkConfig`` while there is none (the node's
    /// `NetworkReady` condition is false until then).
    public func defaultNetwork() throws -> CNINetworkConfigList {
        try CNIConfigLoader.defaultNetwork(in: configuration.configDirectory, pluginDirectories: configuration.pluginDirectories)
    }

    /// Sets up the pod's network in an existing namespace: ADD `lo`, then ADD the pod network with the pod's
    /// host ports. If anything fails, whatever was set up is deleted again before the error is thrown, so a
    /// failed attempt holds no address and no iptables rule.
    /// - Parameters:
    ///   - podUID: the pod's UID (also the CNI container ID).
    ///   - namespace: the pod's namespace (`K8S_POD_NAMESPACE`).
    ///   - name: the pod's name (`K8S_POD_NAME`).
    ///   - netnsPath: the pod's network namespace (`CNI_NETNS`).
    ///   - portMappings: the pod's host ports, handed to portmap as `runtimeConfig.portMappings`.
    public func setUpPod(podUID: String, namespace: String, name: String, netnsPath: String,
                         portMappings: [CNIPortMapping]) async throws -> PodNetworkStatus {
        let network = try defaultNetwork()
        let args = CNIRuntimeConf.kubernetesArgs(namespace: namespace, name: name, infraContainerID: podUID, podUID: podUID)
        let capabilities: JSONObject = ["portMappings": .array(portMappings.map(\.json))]
        let pod = CNIRuntimeConf(containerID: podUID, netns: netnsPath, ifName: configuration.interfaceName, args: args,
                                 capabilityArgs: capabilities)
        let loopback = CNIRuntimeConf(containerID: podUID, netns: netnsPath, ifName: "lo", args: args)
        do {
            _ = try await invoker.addNetworkList(try Self.loopbackNetwork(), loopback)
            let result = try await invoker.addNetworkList(network, pod)
            return PodNetworkStatus(podUID: podUID, networkName: network.name, netnsPath: netnsPath,
                                    interfaceName: configuration.interfaceName,
                                    ips: result.podIPs(interfaceName: configuration.interfaceName), result: result)
        } catch {
            // Release partial work (an IP reserved by bridge before portmap failed, ...); the ADD error is the news.
            try? await tearDownPod(podUID: podUID, namespace: namespace, name: name, netnsPath: netnsPath)
            throw error
        }
    }

    /// Tears down the pod's network: DEL every cached attachment of the pod in reverse order of setup (pod network
    /// first, `lo` last), each with the configuration and arguments its ADD used.
    ///
    /// Tolerant the way the kubelet is: a namespace that is already gone is passed as an empty `CNI_NETNS` (the
    /// plugins then release addresses and rules without entering it), and a pod with no cached attachment is
    /// deleted from the current configuration. Throws only when a plugin fails; the cache is kept then, so a
    /// retry runs the same DEL.
    /// - Parameters:
    ///   - podUID: the pod's UID.
    ///   - namespace: the pod's namespace, for `CNI_ARGS` when nothing is cached.
    ///   - name: the pod's name, for `CNI_ARGS` when nothing is cached.
    ///   - netnsPath: the pod's network namespace path, live or not.
    public func tearDownPod(podUID: String, namespace: String, name: String, netnsPath: String) async throws {
        let netns = NetworkNamespace.isNamespaceMount(netnsPath) ? netnsPath : ""
        var attachments: [(list: CNINetworkConfigList, runtime: CNIRuntimeConf)] = []
        for entry in invoker.cache.entries(containerID: podUID) {
            if let list = try? CNINetworkConfigList(parsing: entry.config) { attachments.append((list, entry.runtimeConf(netns: netns))) }
        }
        let args = CNIRuntimeConf.kubernetesArgs(namespace: namespace, name: name, infraContainerID: podUID, podUID: podUID)
        if !attachments.contains(where: { $0.list.name != Self.loopbackNetworkName }), let network = try? defaultNetwork() {
            attachments.append((network, CNIRuntimeConf(containerID: podUID, netns: netns, ifName: configuration.interfaceName, args: args)))
        }
        if !attachments.contains(where: { $0.list.name == Self.loopbackNetworkName }) {
            attachments.append((try Self.loopbackNetwork(), CNIRuntimeConf(containerID: podUID, netns: netns, ifName: "lo", args: args)))
        }
        // Reverse of setup: the pod network before loopback.
        let isLoopback = { (attachment: (list: CNINetworkConfigList, runtime: CNIRuntimeConf)) in
            attachment.list.name == Self.loopbackNetworkName
        }
        var failures: [any Error] = []
        for attachment in attachments.filter({ !isLoopback($0) }) + attachments.filter(isLoopback) {
            do {
                try await invoker.deleteNetworkList(attachment.list, attachment.runtime)
            } catch {
                failures.append(error)
            }
        }
        if let first = failures.first {
            guard failures.count > 1 else { throw first }
            throw CNIError(.pluginFailed, "\(failures.count) CNI deletes failed for pod \(podUID): "
                           + failures.map { "\($0)" }.joined(separator: " | "), hint: "")
        }
    }

    /// The pod's network as cached by its last ADD (after a kubelet restart the kubelet reads pod IPs from here);
    /// nil if the pod has no cached attachment to a pod network.
    /// - Parameters:
    ///   - podUID: the pod's UID.
    public func status(podUID: String) -> PodNetworkStatus? {
        guard let entry = invoker.cache.entries(containerID: podUID).first(where: { $0.networkName != Self.loopbackNetworkName }),
              let raw = entry.result, let result = try? CNIResult(raw)
        else { return nil }
        return PodNetworkStatus(podUID: podUID, networkName: entry.networkName, netnsPath: entry.netns, interfaceName: entry.ifName,
                                ips: result.podIPs(interfaceName: entry.ifName), result: result)
    }

    /// The loopback network every pod gets (`lo` up, 127.0.0.1).
    static func loopbackNetwork() throws -> CNINetworkConfigList {
        try CNINetworkConfigList(name: loopbackNetworkName, cniVersion: CNIVersion.current, plugins: [["type": "loopback"]])
    }
}
