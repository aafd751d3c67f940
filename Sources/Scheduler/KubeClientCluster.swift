import Foundation
import KubeAPI
import KubeClient
import Synchronization

/// The scheduler's view of the cluster through the API server: informer caches of nodes and pods, bindings through
/// `pods/binding`, and `Scheduled`/`FailedScheduling` events.
public final class KubeClientCluster: SchedulerCluster {
    let client: RESTClient
    let nodeInformer: Informer
    let podInformer: Informer
    /// Every node and pod change, the first lists included (registered before the informers run).
    public let nodeChanges: AsyncStream<InformerEvent>
    public let podChanges: AsyncStream<InformerEvent>
    /// Events and PodScheduled conditions wait here for `reportWorkers` posters, so a binding never waits for its
    /// event; beyond `maxPendingReports` they are dropped, as upstream's event broadcaster drops when its queue is
    /// full.
    private let reports: AsyncStream<Report>
    private let reportSink: AsyncStream<Report>.Continuation
    private let pendingReports = Mutex(0)
    static let reportWorkers = 4
    static let maxPendingReports = 1000

    struct Report: Sendable {
        var pod: JSONValue
        var node: String?
        var message: String
    }

    static let nodesInfo = ResourceTable.resource(group: "", version: "v1", plural: "nodes")
    static let podsInfo = ResourceTable.resource(group: "", version: "v1", plural: "pods")
    static let eventsInfo = ResourceTable.resource(group: "", version: "v1", plural: "events")

    public init(client: RESTClient) throws {
        guard let nodes = Self.nodesInfo, let pods = Self.podsInfo else { throw KubeClientError.invalidRequest("resource table lacks nodes or pods") }
        self.client = client
        nodeInformer = Informer(client: client, resource: nodes)
        podInformer = Informer(client: client, resource: pods)
        nodeChanges = nodeInformer.changes()
        podChanges = podInformer.changes()
        (reports, reportSink) = AsyncStream<Report>.makeStream()
    }

    /// Runs both informers and the event posters until cancelled.
    public func run() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.nodeInformer.run() }
            group.addTask { await self.podInformer.run() }
            group.addTask {
                await withTaskGroup(of: Void.self) { posts in
                    var running = 0
                    for await report in self.reports {
                        if running >= Self.reportWorkers, await posts.next() != nil { running -= 1 }
                        posts.addTask {
                            await self.post(report)
                            self.pendingReports.withLock { $0 -= 1 }
                        }
                        running += 1
                    }
                }
            }
            await group.next()
            self.reportSink.finish()
            group.cancelAll()
        }
    }

    public func waitForSync() async -> Bool {
        let nodes = await nodeInformer.waitForSync()
        let pods = await podInformer.waitForSync()
        return nodes && pods
    }

    public func nodes() async -> [JSONValue] { nodeInformer.cache.list }
    public func pods() async -> [JSONValue] { podInformer.cache.list }

    public func bind(namespace: String, name: String, uid: String, node: String) async throws {
        guard let info = Self.podsInfo else { return }
        let binding: JSONValue = ["apiVersion": "v1", "kind": "Binding",
                                  "metadata": ["name": .string(name), "namespace": .string(namespace), "uid": .string(uid)],
                                  "target": ["apiVersion": "v1", "kind": "Node", "name": .string(node)]]
        _ = try await client.create(info, namespace: namespace, name: name, subresource: "binding", binding)
    }

    /// Queues the event (and the condition); returns at once.
    public func report(pod: JSONValue, scheduled node: String?, message: String) async {
        let accepted = pendingReports.withLock { pending -> Bool in
            guard pending < Self.maxPendingReports else { return false }
            pending += 1
            return true
        }
        if accepted { reportSink.yield(Report(pod: pod, node: node, message: message)) }
    }

    private func post(_ report: Report) async {
        let (pod, node, message) = (report.pod, report.node, report.message)
        let namespace = pod.metadata.namespace ?? "default"
        let now = KubeTime.now().rfc3339
        let event: JSONValue = [
            "apiVersion": "v1", "kind": "Event",
            "metadata": ["generateName": .string((pod.metadata.name ?? "pod") + "."), "namespace": .string(namespace)],
            "involvedObject": ["apiVersion": "v1", "kind": "Pod", "name": .string(pod.metadata.name ?? ""), "namespace": .string(namespace),
                               "uid": .string(pod.metadata.uid ?? "")],
            "reason": .string(node == nil ? "FailedScheduling" : "Scheduled"), "message": .string(message),
            "type": .string(node == nil ? "Warning" : "Normal"), "source": ["component": "default-scheduler"],
            "reportingComponent": "default-scheduler", "firstTimestamp": .string(now), "lastTimestamp": .string(now), "count": 1,
        ]
        if let info = Self.eventsInfo { _ = try? await client.create(info, namespace: namespace, event) }
        if node == nil, let info = Self.podsInfo {
            let condition: JSONValue = ["status": ["conditions": [["type": "PodScheduled", "status": "False", "reason": "Unschedulable",
                                                                   "message": .string(message), "lastProbeTime": .null,
                                                                   "lastTransitionTime": .string(now)]]]]
            _ = try? await client.patch(info, namespace: namespace, name: pod.metadata.name ?? "", condition, type: .strategicMerge,
                                        subresource: "status")
        }
    }
}
