import Foundation
import KubeAPI
import Manifests

/// The pod network as the pod workers use it: a namespace per pod (named by its UID) wired by CNI.
///
/// Its three methods have the shape of the sync loop's `PodNetworkEngine` (set up → namespace path and IPs,
/// tolerant teardown, cleanup of what pods that no longer exist left behind).
public struct CNIPodNetwork: Sendable {
    /// Runs the CNI plugins.
    public var runtime: CNIRuntime
    /// Holds the pods' network namespaces.
    public var namespaces: NetworkNamespaceStore
    /// Where teardown and cleanup problems go, since those calls cannot throw (the kubelet's log).
    public var report: @Sendable (String) -> Void

    /// - Parameters:
    ///   - runtime: the CNI runtime.
    ///   - namespaces: the pod namespace store.
    ///   - report: receives one line per teardown or cleanup problem.
    public init(runtime: CNIRuntime, namespaces: NetworkNamespaceStore, report: @escaping @Sendable (String) -> Void = CNIPodNetwork.standardError) {
        self.runtime = runtime
        self.namespaces = namespaces
        self.report = report
    }

    /// The node's pod network from its paths (`/etc/cni/net.d`, `/var/lib/cni`, `/run/kubeadm-swift/netns`).
    /// - Parameters:
    ///   - paths: the node's paths.
    ///   - report: receives one line per teardown or cleanup problem.
    public init(paths: HostPaths, report: @escaping @Sendable (String) -> Void = CNIPodNetwork.standardError) {
        self.init(runtime: CNIRuntime(configuration: CNIRuntimeConfiguration(paths: paths)),
                  namespaces: NetworkNamespaceStore(directory: paths.podNetnsDir), report: report)
    }

    /// Creates the pod's namespace and attaches it; returns the namespace path and the pod IPs.
    ///
    /// A pod whose namespace and cached attachment survived a kubelet restart gets them back without a second
    /// ADD (which bridge would refuse: eth0 exists). On failure nothing is left behind.
    /// - Parameters:
    ///   - podUID: the pod's UID.
    ///   - namespace: the pod's namespace.
    ///   - name: the pod's name.
    ///   - portMappings: container `ports` entries with a `hostPort`, as in the pod spec.
    public func setUp(podUID: String, namespace: String, name: String, portMappings: [JSONValue]) async throws -> (netns: String, ips: [String]) {
        let mappings = try CNIPortMapping.mappings(fromContainerPorts: portMappings)
        let path = namespaces.path(of: podUID)
        if NetworkNamespace.isNamespaceMount(path), let status = runtime.status(podUID: podUID), status.netnsPath == path {
            return (path, status.ips)
        }
        let created = try await namespaces.create(named: podUID)
        do {
            let status = try await runtime.setUpPod(podUID: podUID, namespace: namespace, name: name, netnsPath: created.path,
                                                    portMappings: mappings)
            return (created.path, status.ips)
        } catch {
            try? namespaces.delete(named: podUID)
            throw error
        }
    }

    /// Detaches the pod and removes its namespace. If a plugin's DEL fails the namespace is kept (the pod's
    /// addresses are still readable in it) and the problem reported; the next ``cleanUp(keeping:)`` retries.
    /// - Parameters:
    ///   - podUID: the pod's UID.
    ///   - namespace: the pod's namespace.
    ///   - name: the pod's name.
    public func tearDown(podUID: String, namespace: String, name: String) async {
        do {
            try await runtime.tearDownPod(podUID: podUID, namespace: namespace, name: name, netnsPath: namespaces.path(of: podUID))
            try namespaces.delete(named: podUID)
        } catch {
            report("network teardown of pod \(namespace)/\(name) (\(podUID)): \(error)")
        }
    }

    /// Removes the network state of every pod not in `podUIDs` (call on kubelet start, and after failed teardowns).
    /// - Parameters:
    ///   - podUIDs: the pods that still exist on this node.
    public func cleanUp(keeping podUIDs: Set<String>) async {
        let result = await NetworkOrphanCleanup(runtime: runtime, namespaces: namespaces).run(keeping: podUIDs)
        for failure in result.failures { report("network cleanup: \(failure)") }
    }

    /// The default report: one line on stderr.
    public static let standardError: @Sendable (String) -> Void = { line in
        FileHandle.standardError.write(Data(("kubelet: " + line + "\n").utf8))
    }
}
