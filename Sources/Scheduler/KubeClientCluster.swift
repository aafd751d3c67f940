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
    /// Claims, volumes and StorageClasses for the VolumeBinding filter and PreBind.
    let claimInformer: Informer?
    let volumeInformer: Informer?
    let classInformer: Informer?
    /// How long PreBind waits for a claim to be bound (upstream's `bindTimeoutSeconds`, 600).
    static let volumeBindTimeout: Duration = .seconds(600)
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
    static let claimsInfo = ResourceTable.resource(group: "", version: "v1", plural: "persistentvolumeclaims")
    static let volumesInfo = ResourceTable.resource(group: "", version: "v1", plural: "persistentvolumes")
    static let classesInfo = ResourceTable.resource(group: "storage.k8s.io", version: "v1", plural: "storageclasses")

    public init(client: RESTClient) throws {
        guard let nodes = Self.nodesInfo, let pods = Self.podsInfo else { throw KubeClientError.invalidRequest("resource table lacks nodes or pods") }
        self.client = client
        nodeInformer = Informer(client: client, resource: nodes)
        podInformer = Informer(client: client, resource: pods)
        nodeChanges = nodeInformer.changes()
        podChanges = podInformer.changes()
        claimInformer = Self.claimsInfo.map { Informer(client: client, resource: $0) }
        volumeInformer = Self.volumesInfo.map { Informer(client: client, resource: $0) }
        classInformer = Self.classesInfo.map { Informer(client: client, resource: $0) }
        (reports, reportSink) = AsyncStream<Report>.makeStream()
    }

    /// Runs both informers and the event posters until cancelled.
    public func run() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.nodeInformer.run() }
            group.addTask { await self.podInformer.run() }
            for informer in [self.claimInformer, self.volumeInformer, self.classInformer].compactMap({ $0 }) {
                group.addTask { await informer.run() }
            }
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
        var volumes = true
        for informer in [claimInformer, volumeInformer, classInformer].compactMap({ $0 }) where !(await informer.waitForSync()) { volumes = false }
        return nodes && pods && volumes
    }

    public func volumes(for pod: PodInfo) async -> PodVolumes? {
        guard let claims = claimInformer?.cache, let volumes = volumeInformer?.cache, let classes = classInformer?.cache else { return nil }
        return PodVolumes(claimNames: pod.claimNames, namespace: pod.namespace, claim: { claims.get(namespace: $0, name: $1) },
                          volumes: volumes.list, storageClass: { classes.get(namespace: nil, name: $0) })
    }

    public func prepareVolumes(_ volumes: PodVolumes, pod: JSONValue, node: String) async throws {
        guard let info = Self.claimsInfo, let claims = claimInformer?.cache else { return }
        let namespace = pod.metadata.namespace ?? "default"
        for claim in volumes.delayed where claim.claim.metadata.annotations[VolumeMatching.selectedNodeAnnotation] != node {
            _ = try await client.patch(info, namespace: namespace, name: claim.name,
                                       ["metadata": ["annotations": [VolumeMatching.selectedNodeAnnotation: .string(node)]]], type: .merge)
        }
        let deadline = ContinuousClock.now + Self.volumeBindTimeout
        for claim in volumes.delayed {
            while true {
                let current = claims.get(namespace: namespace, name: claim.name)
                if let current, !(current[path: ["spec", "volumeName"]]?.string ?? "").isEmpty,
                   current[path: ["status", "phase"]]?.string == "Bound" { break }
                guard current != nil, ContinuousClock.now < deadline else {
                    throw KubeClientError.invalidRequest("persistentvolumeclaim \(namespace)/\(claim.name) was not bound in time")
                }
                try await Task.sleep(for: .milliseconds(100))
            }
        }
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
