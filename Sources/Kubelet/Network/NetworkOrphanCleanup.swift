import Foundation

/// Removes the network state of pods that no longer exist, as the kubelet does when it starts: CNI attachments
/// (DEL with the cached configuration, which also drops the pod's iptables rules and veth), network namespaces,
/// and host-local address reservations.
///
/// It only touches what is recognisably ours, because another runtime (containerd) may share /var/lib/cni:
/// cache entries whose container ID is their own `K8S_POD_UID` (our convention: the sandbox is the pod), of the
/// node's pod network or `cni-loopback`; reservations in the directories of those networks; and namespaces in
/// the kubelet's own namespace directory.
public struct NetworkOrphanCleanup: Sendable {
    /// What one run removed, and what it could not.
    public struct Report: Sendable, Equatable {
        /// Pods whose CNI attachments were deleted.
        public var tornDownPods: [String] = []
        /// Namespaces removed.
        public var deletedNamespaces: [String] = []
        /// Reservation files removed (`<network>/<ip>`), left by pods whose DEL never ran.
        public var releasedReservations: [String] = []
        /// One message per failure; the rest of the run went on.
        public var failures: [String] = []

        /// An empty report.
        public init() {}
    }

    /// The kubelet's CNI runtime (configuration, plugins, result cache).
    public var runtime: CNIRuntime
    /// The kubelet's pod namespace store.
    public var namespaces: NetworkNamespaceStore

    /// - Parameters:
    ///   - runtime: the kubelet's CNI runtime.
    ///   - namespaces: the kubelet's namespace store.
    public init(runtime: CNIRuntime, namespaces: NetworkNamespaceStore) {
        self.runtime = runtime
        self.namespaces = namespaces
    }

    /// Removes the network state of every pod not in `livePodUIDs`.
    ///
    /// Run it before pod workers start (or with every pod being set up counted as live): a reservation that
    /// host-local is writing for a pod not yet in the set would otherwise be released under it.
    /// - Parameters:
    ///   - livePodUIDs: the pods that still exist on this node (running or not yet torn down).
    public func run(keeping livePodUIDs: Set<String>) async -> Report {
        var report = Report()
        let network = try? runtime.defaultNetwork()
        let ourNetworks = Set([CNIRuntime.loopbackNetworkName] + (network.map { [$0.name] } ?? []))

        // 1. Attachments: a proper DEL, while the namespace still exists, so that plugins find the pod's
        //    addresses and remove its masquerade and hostPort rules.
        var failedPods: Set<String> = []
        let orphans = runtime.invoker.cache.entries().filter {
            ourNetworks.contains($0.networkName) && $0.containerID == $0.podUID
                && !livePodUIDs.contains($0.containerID)
        }
        var cachedNetworks: [CNINetworkConfigList] = []
        for podUID in Set(orphans.map(\.containerID)).sorted() {
            let args = orphans.first { $0.containerID == podUID }?.cniArgs ?? []
            let value = { (key: String) in args.last { $0.key == key }?.value ?? "" }
            cachedNetworks += orphans.filter { $0.containerID == podUID }.compactMap { try? CNINetworkConfigList(parsing: $0.config) }
            do {
                try await runtime.tearDownPod(podUID: podUID, namespace: value("K8S_POD_NAMESPACE"), name: value("K8S_POD_NAME"),
                                              netnsPath: namespaces.path(of: podUID))
                report.tornDownPods.append(podUID)
            } catch {
                failedPods.insert(podUID)
                report.failures.append("pod \(podUID): \(error)")
            }
        }

        // 2. Namespaces; one whose DEL failed stays, so the next run can still find the pod's addresses in it.
        do {
            for namespace in try namespaces.list() where !livePodUIDs.contains(namespace.name) && !failedPods.contains(namespace.name) {
                do {
                    try namespaces.delete(named: namespace.name)
                    report.deletedNamespaces.append(namespace.name)
                } catch {
                    report.failures.append("\(error)")
                }
            }
        } catch {
            report.failures.append("\(error)")
        }

        // 3. Reservations no DEL released (a pod whose cache entry was lost, a crash between IPAM and cache).
        var directories: [String: Set<String>] = [:]  // data directory -> network names
        for list in (network.map { [$0] } ?? []) + cachedNetworks {
            if let directory = list.hostLocalDataDirectory(default: runtime.configuration.hostLocalDataDirectory) {
                directories[directory, default: []].insert(list.name)
            }
        }
        for (directory, names) in directories.sorted(by: { $0.key < $1.key }) {
            let store = HostLocalReservations(dataDirectory: directory)
            for name in names.sorted() {
                for reservation in store.reservations(network: name)
                where !livePodUIDs.contains(reservation.containerID) && !failedPods.contains(reservation.containerID) {
                    do {
                        try store.release(reservation)
                        report.releasedReservations.append("\(name)/\(reservation.ip)")
                    } catch {
                        report.failures.append("cannot release \(reservation.path): \(error)")
                    }
                }
            }
        }
        return report
    }
}
