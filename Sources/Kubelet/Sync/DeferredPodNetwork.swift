import Foundation
import KubeAPI
import Manifests
import Synchronization

/// The pod network of a kubelet that starts before its node has a podCIDR (the controller manager's nodeipam assigns
/// it after registration): host networking only at first, then the standard CNI plugins once the default
/// configuration for the node's podCIDR is installed. Pods that need their own network wait until then, with a
/// message saying why.
public final class DeferredPodNetwork: PodNetworkEngine {
    private let current: Mutex<any PodNetworkEngine>
    private let paths: HostPaths
    private let log: @Sendable (String) -> Void

    public init(waitingReason: String, paths: HostPaths = HostPaths(), log: @escaping @Sendable (String) -> Void) {
        current = Mutex(HostNetworkOnly(reason: waitingReason))
        self.paths = paths
        self.log = log
    }

    /// Installs the default CNI configuration for `podCIDR` (once) and switches to CNI.
    public func activate(podCIDR: String) {
        let switched = current.withLock { engine -> Bool in
            guard engine is HostNetworkOnly else { return false }
            do {
                let defaults = try CNIDefaultConfig(podCIDRs: [podCIDR], ipamDataDir: paths.cniStateDir + "/networks")
                if let installed = try defaults.installIfMissing(in: paths.cniConfDir) { log("installed the default CNI configuration \(installed)") }
            } catch {
                log("cannot install the default CNI configuration for podCIDR \(podCIDR): \(error)")
                return false
            }
            engine = CNIPodNetwork(paths: paths, report: log)
            return true
        }
        if switched { log("pod network ready: CNI with podCIDR \(podCIDR)") }
    }

    private var engine: any PodNetworkEngine { current.withLock { $0 } }

    public func setUp(podUID: String, namespace: String, name: String, portMappings: [JSONValue]) async throws -> (netns: String, ips: [String]) {
        try await engine.setUp(podUID: podUID, namespace: namespace, name: name, portMappings: portMappings)
    }

    public func tearDown(podUID: String, namespace: String, name: String) async {
        await engine.tearDown(podUID: podUID, namespace: namespace, name: name)
    }

    public func cleanUp(keeping podUIDs: Set<String>) async {
        await engine.cleanUp(keeping: podUIDs)
    }
}
