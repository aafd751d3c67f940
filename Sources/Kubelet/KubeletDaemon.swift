import Foundation
import HTTPTransport
import KubeAPI
import Synchronization

/// The kubelet's main loop: every `syncInterval` it gathers the pods this node must run (static pods from the
/// manifest folder, and pods bound to it through the API once connected), syncs each one, stops the ones that are
/// gone, and hands statuses to the API side. The loop is the only writer of runtime state; stopping a pod (which
/// waits out its grace period) runs beside the loop, and a pod being stopped is not synced until that is done, so
/// there are no races between a pod's start and its stop.
public actor KubeletDaemon {
    /// Where the pods bound to this node come from, and where their statuses go (the API server; absent before the
    /// control plane is up, or when running only static pods).
    public protocol APISide: Sendable {
        /// Pods bound to this node, from the API (the latest informer view).
        func boundPods() async -> [JSONValue]
        /// Whether the pod view has been listed from the API at least once (until then it is not the whole truth).
        func hasSynced() async -> Bool
        /// Writes a pod's status if it changed; creates or refreshes the mirror pod of a static pod.
        func report(pod: JSONValue, status: JSONValue, isStatic: Bool) async
        /// Confirms the deletion of a pod whose containers are gone (DELETE with grace 0 and a uid precondition).
        func confirmDeletion(pod: JSONValue) async
        /// Removes the mirror pods of static pods that no longer exist.
        func removeStaleMirrorPods(keeping uids: Set<String>) async
    }

    let staticPods: StaticPodSource?
    let syncer: PodSyncer
    let api: (any APISide)?
    let syncInterval: Duration
    let log: @Sendable (String) -> Void
    private var reportedErrors: Set<String> = []
    /// Pod events cut the wait before the next pass short, so a new pod does not sit out the rest of a tick.
    private let wakeups: AsyncStream<Void>
    private let wakeupSink: AsyncStream<Void>.Continuation
    private var lastSync: ContinuousClock.Instant?
    /// The pods of the last pass (static and bound), for the kubelet API's `/pods`, logs, exec and attach.
    private var current: [JSONValue] = []
    /// Pods being stopped, by uid: each waits out its own grace period, so one slow pod delays neither the others'
    /// stops nor the next pass (upstream's per-pod workers give the same independence).
    private var terminations: [String: Task<Void, Never>] = [:]

    public init(staticPods: StaticPodSource?, syncer: PodSyncer, api: (any APISide)?, syncInterval: Duration = .seconds(1),
                log: @escaping @Sendable (String) -> Void) {
        self.staticPods = staticPods
        self.syncer = syncer
        self.api = api
        self.syncInterval = syncInterval
        self.log = log
        (wakeups, wakeupSink) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Asks for a sync pass now (a pod was added, changed or deleted).
    public nonisolated func wake() { wakeupSink.yield() }

    /// Healthy while the loop has completed a pass recently (`/healthz`).
    public func healthy() -> Bool {
        guard let lastSync else { return false }
        return ContinuousClock.now - lastSync < syncInterval * 10 + .seconds(30)
    }

    /// Runs until the task is cancelled.
    public func run() async {
        var cleaned = false
        while !Task.isCancelled {
            // Orphans are only knowable once every source has been read: a kubelet restarted while the API server is
            // unreachable must not kill the containers of pods it simply has not heard of yet.
            let ready = await api?.hasSynced() ?? true
            await syncOnce(cleanUpOrphans: ready && !cleaned)
            if ready { cleaned = true }
            await waitForNextPass()
        }
    }

    /// Sleeps until the sync interval passes or a wake-up arrives, whichever is first.
    private func waitForNextPass() async {
        let interval = syncInterval
        let stream = wakeups
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await Task.sleep(for: interval) }
            group.addTask {
                var iterator = stream.makeAsyncIterator()
                _ = await iterator.next()
            }
            await group.next()
            group.cancelAll()
        }
    }

    /// The pods the last pass synced.
    public func pods() -> [JSONValue] { current }

    /// One pass over every pod.
    public func syncOnce(cleanUpOrphans: Bool = false) async {
        var desired: [String: (pod: JSONValue, isStatic: Bool)] = [:]
        if let staticPods {
            let (pods, errors) = staticPods.scan()
            for error in errors where !reportedErrors.contains(error.description) {
                reportedErrors.insert(error.description)
                log("\(error)")
            }
            for pod in pods where terminations[pod.metadata.uid ?? ""] == nil { desired[pod.metadata.uid ?? ""] = (pod, true) }
        }
        var deleting: [JSONValue] = []
        if let api {
            for pod in await api.boundPods() {
                let uid = pod.metadata.uid ?? ""
                if pod.metadata.isBeingDeleted { deleting.append(pod); continue }
                if terminations[uid] != nil { continue }
                // Finished pods stay in the set: syncing them again restarts nothing (their restart policy says
                // so) and keeps their last containers for `kubectl logs`.
                if desired[uid] == nil { desired[uid] = (pod, false) }
            }
        }
        current = desired.values.map(\.pod)
        if cleanUpOrphans {
            log("starting with \(desired.count) pods: \(desired.values.map { ($0.pod.metadata.name ?? "") + "/" + ($0.pod.metadata.uid ?? "") }.sorted())")
            await syncer.cleanUp(keeping: Set(desired.keys).union(deleting.compactMap { $0.metadata.uid }))
        }
        // The pass's pods with the status it computed: what `/pods` and the log and exec lookups see.
        current = await withTaskGroup(of: JSONValue.self) { group in
            for (_, entry) in desired {
                group.addTask { [syncer, api] in
                    let status = await syncer.sync(entry.pod)
                    await api?.report(pod: entry.pod, status: status, isStatic: entry.isStatic)
                    var withStatus = entry.pod
                    withStatus["status"] = status
                    return withStatus
                }
            }
            var pods: [JSONValue] = []
            for await pod in group { pods.append(pod) }
            return pods
        }
        for pod in deleting {
            let grace = Duration.seconds(pod.metadata.deletionGracePeriodSeconds ?? pod[path: ["spec", "terminationGracePeriodSeconds"]]?.int64 ?? 30)
            startTermination(uid: pod.metadata.uid ?? "", pod: pod, grace: grace)
        }
        let keep = Set(desired.keys).union(deleting.compactMap { $0.metadata.uid })
        for uid in await syncer.knownPods.subtracting(keep).subtracting(terminations.keys) {
            log("pod \(uid) is no longer wanted on this node; stopping it")
            startTermination(uid: uid, pod: nil, grace: .seconds(30))
        }
        await api?.removeStaleMirrorPods(keeping: Set(desired.filter { $0.value.isStatic }.keys))
        lastSync = ContinuousClock.now
    }

    /// Stops a pod in the background (once; later passes see it in `terminations`); confirms an API pod's deletion
    /// afterwards and wakes the loop.
    private func startTermination(uid: String, pod: JSONValue?, grace: Duration) {
        guard terminations[uid] == nil else { return }
        terminations[uid] = Task { [syncer, api] in
            await syncer.terminate(uid: uid, namespace: pod?.metadata.namespace ?? "", name: pod?.metadata.name ?? "", grace: grace)
            if let pod { await api?.confirmDeletion(pod: pod) }
            self.finishTermination(uid)
        }
    }

    private func finishTermination(_ uid: String) {
        terminations[uid] = nil
        wake()
    }

    /// Waits until every pod being stopped is gone (tests, shutdown).
    public func waitForTerminations() async {
        while let next = terminations.values.first { await next.value }
    }
}
