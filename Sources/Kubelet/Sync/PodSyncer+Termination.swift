import Foundation
import KubeAPI

/// Stopping pods: containers get SIGTERM and their grace period, then everything the pod had (network, volumes,
/// containers, state) is removed.
extension PodSyncer {
    /// Stops and removes everything of the pod `uid`.
    public func terminate(uid: String, namespace: String, name: String, grace: Duration) async {
        let records = await env.engine.containers().filter { $0.podUID == uid }
        await withTaskGroup(of: Void.self) { group in
            for record in records {
                group.addTask { [env] in
                    if case .running = record.state { await env.engine.stop(id: record.id, grace: grace) }
                }
            }
        }
        for record in records { await env.engine.remove(id: record.id) }
        await env.network.tearDown(podUID: uid, namespace: namespace, name: name)
        try? env.volumes.tearDown(uid: uid)
        pods[uid] = nil
    }

    /// Removes every pod the runtime or the network still holds that is not in `keep` (after a restart, or when
    /// pods were deleted while the kubelet was down).
    public func cleanUp(keeping keep: Set<String>) async {
        let orphans = Set(await env.engine.containers().map(\.podUID)).subtracting(keep)
        for uid in orphans { await terminate(uid: uid, namespace: "", name: "", grace: .seconds(2)) }
        await env.network.cleanUp(keeping: keep)
        for uid in Set(pods.keys).subtracting(keep) { pods[uid] = nil }
    }
}
