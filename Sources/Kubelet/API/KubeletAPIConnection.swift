import Foundation
import KubeAPI
import KubeClient
import Synchronization

/// The kubelet's side of the API server: registers the Node and keeps its status and Lease fresh, watches the pods
/// bound to this node, writes pod statuses when they change, keeps mirror pods for static pods, and confirms pod
/// deletions once their containers are gone.
public final class KubeletAPIConnection: KubeletDaemon.APISide {
    let client: RESTClient
    let node: NodeObject
    let leaseDuration: Int
    let statusInterval: Duration
    let log: @Sendable (String) -> Void
    /// Told about this Node and every Node after each status write (podCIDR activation, routes to peers).
    let onNodes: (@Sendable (_ own: JSONValue, _ all: [JSONValue]) async -> Void)?
    private let state = Mutex(State())

    struct State {
        var pods: [String: JSONValue] = [:]
        var reported: [String: JSONValue] = [:]
        var mirrorHashes: [String: String] = [:]
        var listed = false
        var onPodChange: (@Sendable () -> Void)?
    }

    /// Called after every pod event of this node (the daemon's wake-up).
    public func setOnPodChange(_ action: @escaping @Sendable () -> Void) { state.withLock { $0.onPodChange = action } }

    static let pods = resource("", "pods")
    static let nodes = resource("", "nodes")
    static let leases = resource("coordination.k8s.io", "leases")

    /// A served resource by name; the table is compiled in, so a miss is a programming error worth a clear message.
    static func resource(_ group: String, _ plural: String) -> APIResourceInfo {
        ResourceTable.resource(group: group, version: "v1", plural: plural)
            ?? APIResourceInfo(group: group, version: "v1", kind: plural, plural: plural, namespaced: plural != "nodes", verbs: [])
    }

    public init(client: RESTClient, node: NodeObject, leaseDurationSeconds: Int = 40, statusInterval: Duration = .seconds(10),
                onNodes: (@Sendable (_ own: JSONValue, _ all: [JSONValue]) async -> Void)? = nil,
                log: @escaping @Sendable (String) -> Void) {
        self.client = client
        self.onNodes = onNodes
        self.node = node
        leaseDuration = leaseDurationSeconds
        self.statusInterval = statusInterval
        self.log = log
    }

    /// Registers the node, then keeps the pod view, node status and Lease up to date until cancelled.
    public func run() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.heartbeat() }
            group.addTask { await self.watchPods() }
        }
    }

    // MARK: - Node and Lease

    private func heartbeat() async {
        var registered = false
        // Until the first successful pass (the API server is often still starting with the kubelet), retry fast:
        // a node registered 10 s late holds up everything that waits for it (init's mark-control-plane, scheduling).
        var retry = Duration.milliseconds(250)
        while !Task.isCancelled {
            var failed = false
            var waitingForCIDR = false
            do {
                if !registered {
                    do {
                        _ = try await client.create(Self.nodes, node.registration(now: KubeTime.now()))
                        log("registered node \(node.name)")
                    } catch let error as KubeClientError where error.isAlreadyExists {}
                    registered = true
                }
                var current = try await client.get(Self.nodes, name: node.name)
                let status = node.status(ready: true, reason: "KubeletReady", message: "kubelet is posting ready status",
                                         now: KubeTime.now(), previous: current["status"])
                current["status"] = status
                _ = try await client.updateStatus(Self.nodes, current)
                try await renewLease()
                if let onNodes {
                    await onNodes(current, (try? await client.list(Self.nodes).items) ?? [current])
                }
                // nodeipam assigns the podCIDR moments after registration; pods needing a network wait for it.
                waitingForCIDR = (current[path: ["spec", "podCIDR"]]?.string ?? "").isEmpty
            } catch {
                log("node heartbeat: \(error)")
                failed = true
            }
            if failed {
                try? await Task.sleep(for: min(retry, statusInterval))
                retry = min(retry * 2, statusInterval)
            } else {
                retry = .milliseconds(250)
                try? await Task.sleep(for: waitingForCIDR ? min(.seconds(1), statusInterval) : statusInterval)
            }
        }
    }

    private func renewLease() async throws {
        let lease = node.lease(durationSeconds: leaseDuration, now: KubeTime.now())
        do {
            var current = try await client.get(Self.leases, namespace: "kube-node-lease", name: node.name)
            current["spec"] = lease["spec"]
            _ = try await client.update(Self.leases, current)
        } catch let error as KubeClientError where error.isNotFound {
            _ = try await client.create(Self.leases, namespace: "kube-node-lease", lease)
        }
    }

    // MARK: - Pods

    private func watchPods() async {
        let options = ListOptions(fieldSelector: "spec.nodeName=\(node.name)")
        while !Task.isCancelled {
            do {
                let list = try await client.listAll(Self.pods, options: options)
                state.withLock { state in
                    state.pods = Dictionary(list.items.map { ($0.metadata.uid ?? "", $0) }, uniquingKeysWith: { $1 })
                    state.listed = true
                }
                var version = list.resourceVersion
                while !Task.isCancelled {
                    let events = try await client.watch(Self.pods, options: options, resourceVersion: version)
                    for try await event in events {
                        if let rv = event.resourceVersion { version = rv }
                        let uid = event.object.metadata.uid ?? ""
                        switch event.type {
                        case .added, .modified: state.withLock { $0.pods[uid] = event.object }
                        case .deleted: state.withLock { $0.pods[uid] = nil }
                        default: break
                        }
                        state.withLock { $0.onPodChange }?()
                    }
                }
            } catch {
                log("pod watch: \(error); listing again")
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    public func hasSynced() async -> Bool { state.withLock { $0.listed } }

    public func boundPods() async -> [JSONValue] {
        // Mirror pods stand for static pods the kubelet already runs from files; they are never run themselves.
        state.withLock { $0.pods.values.filter { $0.metadata.annotations[StaticPodSource.configMirrorAnnotation] == nil } }
    }

    public func report(pod: JSONValue, status: JSONValue, isStatic: Bool) async {
        let namespace = pod.metadata.namespace ?? "default"
        let name = pod.metadata.name ?? ""
        let key = "\(namespace)/\(name)"
        do {
            if isStatic { try await ensureMirror(pod) }
            if state.withLock({ $0.reported[key] }) == status { return }
            _ = try await client.patch(Self.pods, namespace: namespace, name: name, ["status": status], type: .merge, subresource: "status")
            state.withLock { $0.reported[key] = status }
        } catch let error as KubeClientError where error.isNotFound {
            state.withLock { $0.reported[key] = nil }
        } catch {
            log("pod \(key) status: \(error)")
        }
    }

    /// The API copy of a static pod, marked with `kubernetes.io/config.mirror`; replaced when the file changes.
    private func ensureMirror(_ pod: JSONValue) async throws {
        let namespace = pod.metadata.namespace ?? "default"
        let name = pod.metadata.name ?? ""
        let hash = pod.metadata.uid ?? ""
        if state.withLock({ $0.mirrorHashes["\(namespace)/\(name)"] }) == hash { return }
        if let existing = try? await client.get(Self.pods, namespace: namespace, name: name) {
            if existing.metadata.annotations[StaticPodSource.configMirrorAnnotation] == hash {
                state.withLock { $0.mirrorHashes["\(namespace)/\(name)"] = hash }
                return
            }
            _ = try? await client.delete(Self.pods, namespace: namespace, name: name, options: DeleteOptions(gracePeriodSeconds: 0))
        }
        var mirror = pod
        var meta = mirror.metadata
        meta.uid = nil
        meta.annotations[StaticPodSource.configMirrorAnnotation] = hash
        mirror.metadata = meta
        mirror["status"] = nil
        _ = try await client.create(Self.pods, namespace: namespace, mirror)
        state.withLock {
            $0.mirrorHashes["\(namespace)/\(name)"] = hash
            $0.reported["\(namespace)/\(name)"] = nil
        }
    }

    public func confirmDeletion(pod: JSONValue) async {
        do {
            _ = try await client.delete(Self.pods, namespace: pod.metadata.namespace, name: pod.metadata.name ?? "",
                                        options: DeleteOptions(gracePeriodSeconds: 0, preconditionUID: pod.metadata.uid))
        } catch let error as KubeClientError where error.isNotFound || error.isConflict {
        } catch {
            log("confirming the deletion of \(pod.metadata.namespace ?? "")/\(pod.metadata.name ?? ""): \(error)")
        }
    }

    public func removeStaleMirrorPods(keeping uids: Set<String>) async {
        let stale = state.withLock { state in
            state.pods.values.filter { pod in
                guard let hash = pod.metadata.annotations[StaticPodSource.configMirrorAnnotation] else { return false }
                return !uids.contains(hash)
            }
        }
        for mirror in stale {
            _ = try? await client.delete(Self.pods, namespace: mirror.metadata.namespace, name: mirror.metadata.name ?? "",
                                         options: DeleteOptions(gracePeriodSeconds: 0))
        }
    }
}
