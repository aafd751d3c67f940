import KubeAPI
import KubeClient
import Synchronization

/// The `nodeipam` loop (only with `--allocate-node-cidrs=true`): one pass over the Nodes on every change,
/// `NodeCIDRAllocator` picks, each Node without a pod CIDR gets `spec.podCIDR` and `spec.podCIDRs` by a merge
/// patch written as `node-controller`. One worker, so no two passes hand out the same subnet.
enum NodeIPAMController {
    static func loops(_ context: ControllerContext) async throws -> [ControllerLoop] {
        let options = context.options
        guard options.allocateNodeCIDRs else { return [] }
        guard NodeCIDRAllocator.hasIPv4(options.clusterCIDR) else {
            context.log("nodeipam: --cluster-cidr=\(options.clusterCIDR) has no IPv4 network; only IPv4 pod CIDRs are allocated, so none are")
            return []
        }
        let allocator: NodeCIDRAllocator
        do {
            allocator = try NodeCIDRAllocator(clusterCIDR: options.clusterCIDR, maskSize: options.nodeCIDRMaskSize,
                                              serviceCIDR: options.serviceClusterIPRange.isEmpty ? nil : options.serviceClusterIPRange)
        } catch {
            throw ControllerManagerError(error.description)
        }
        let nodes = context.informers.informer("", "nodes")
        let client = try await context.clientFor("node-controller")
        let nodeInfo = SharedInformers.info("", "nodes")
        /// Assignments written whose Node update the cache has not shown yet.
        let reserved = Mutex<[String: String]>([:])
        let key = "nodes"
        let loop = ControllerLoop(name: "nodeipam", sources: [(nodes, ControllerLoop.constantKey(key))], workers: 1) { _ in
            let current = nodes.cache.list
            let pending = reserved.withLock { reserved in
                let waiting = Set(current.filter { NodeCIDRAllocator.podCIDRs($0).isEmpty }.compactMap(\.metadata.name))
                reserved = reserved.filter { waiting.contains($0.key) }
                return reserved
            }
            let plan = allocator.plan(nodes: current, reserved: pending)
            for (node, cidr) in plan.assignments {
                reserved.withLock { $0[node] = cidr }
                do {
                    _ = try await client.patch(nodeInfo, name: node, ["spec": ["podCIDR": .string(cidr), "podCIDRs": [.string(cidr)]]],
                                               type: .merge)
                } catch {
                    reserved.withLock { $0[node] = nil }
                    if let error = error as? KubeClientError, error.isNotFound { continue }
                    throw error
                }
            }
            if !plan.exhausted.isEmpty {
                throw ControllerManagerError("no pod CIDR left in \(allocator.clusterCIDR) for \(plan.exhausted.joined(separator: ", "))")
            }
        }
        return [loop]
    }
}
