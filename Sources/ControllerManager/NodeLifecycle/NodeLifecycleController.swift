import KubeAPI
import KubeClient
import Synchronization

/// The `nodelifecycle` loop: every `--node-monitor-period` (and on every Node, Lease or pod change) one pass over
/// the Nodes. A Node whose kubelet has not renewed its Lease or Ready heartbeat for `--node-monitor-grace-period`
/// gets Unknown conditions and its pods are marked not ready; each Node's taints follow its conditions (NoExecute
/// ones only as `ZoneDisruption` allows); pods that do not tolerate a NoExecute taint are deleted (at once, or when
/// their `tolerationSeconds` run out). Written as `node-controller`. Upstream's per-zone eviction rate limits
/// (`--node-eviction-rate`) are not applied: allowed taints are added at once.
enum NodeLifecycleController {
    static let leaseNamespace = "kube-node-lease"

    static func loops(_ context: ControllerContext) async throws -> [ControllerLoop] {
        let nodes = context.informers.informer("", "nodes")
        let leases = context.informers.informer("coordination.k8s.io", "leases")
        let pods = context.informers.informer("", "pods")
        let client = try await context.clientFor("node-controller")
        let executor = ActionExecutor(client: client)
        let grace = Int64(context.options.nodeMonitorGracePeriodSeconds.rounded(.up))
        let period = Duration.milliseconds(Int64(context.options.nodeMonitorPeriodSeconds * 1000))
        let probes = Mutex<[String: NodeProbe]>([:])
        let key = "nodes"
        let wake = ControllerLoop.constantKey(key)
        let nodeLeases: ControllerLoop.Keys = { event in event.object.metadata.namespace == leaseNamespace ? [key] : [] }
        let loop = ControllerLoop(name: "nodelifecycle", sources: [(nodes, wake), (leases, nodeLeases), (pods, wake)], workers: 1,
                                  initialKeys: [key], requeuing: { _ in
            let now = KubeTime.now()
            let current = nodes.cache.list
            let names = Set(current.compactMap(\.metadata.name))
            var next = period
            // First every Node's health, then the taints: whether NoExecute taints apply depends on all of them.
            var observedNodes: [JSONValue] = []
            for node in current {
                let name = node.metadata.name ?? ""
                let lease = leases.cache.get(namespace: leaseNamespace, name: name)
                let probe = probes.withLock { probes in
                    let probe = NodeHealth.observe(previous: probes[name], node: node, lease: lease, now: now)
                    probes[name] = probe
                    return probe
                }
                var observed = node
                if probe.observedAt.adding(seconds: grace) < now, let unknown = NodeHealth.markedUnknown(node, now: now) {
                    try await executor.execute(.updateStatus(unknown))
                    observed = unknown
                }
                observedNodes.append(observed)
            }
            let policies = ZoneDisruption.policies(observedNodes)
            for observed in observedNodes {
                let name = observed.metadata.name ?? ""
                var taints = observed[path: ["spec", "taints"]]?.array ?? []
                let policy = policies[ZoneDisruption.zone(of: observed)] ?? .apply
                if let wanted = NodeHealth.taints(observed, noExecute: policy, now: now) {
                    try await executor.execute(.patch(ObjectRef(observed, kind: .node), .merge, ["spec": ["taints": .array(wanted)]]))
                    taints = wanted
                }
                let readyStatus = StatusConditions.get(observed[path: ["status", "conditions"]]?.array ?? [], "Ready")?["status"]?.string
                for pod in pods.cache.list where PodView(pod).nodeName == name && !pod.metadata.isBeingDeleted {
                    if readyStatus == "Unknown", let notReady = NodeHealth.notReady(pod, now: now) {
                        try await executor.patchStatus(notReady)
                    }
                    switch TaintEviction.verdict(pod: pod, taints: taints, now: now) {
                    case .keep: break
                    case .evictNow: try await executor.execute(.delete(ObjectRef(pod, kind: .pod)))
                    case .evictAfter(let seconds): next = min(next, .seconds(seconds))
                    }
                }
            }
            probes.withLock { probes in probes = probes.filter { names.contains($0.key) } }
            return next
        })
        return [loop]
    }
}
