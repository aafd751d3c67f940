import KubeAPI
import KubeClient
import Synchronization

/// The `persistentvolume-binder` loop with the built-in local-path provisioner: claims, volumes, StorageClasses and
/// Nodes in, `VolumeBindingSync` plans out, written as `persistent-volume-binder`. One queue carries both kinds of
/// key ("pvc:<namespace>/<name>", "pv:<name>"): a volume change wakes its claim and a claim change wakes its
/// volume, so a binding finished on one side is finished on the other.
enum PersistentVolumeController {
    static let claimPrefix = "pvc:"
    static let volumePrefix = "pv:"

    static func loops(_ context: ControllerContext) async throws -> [ControllerLoop] {
        let claims = context.informers.informer("", "persistentvolumeclaims")
        let volumes = context.informers.informer("", "persistentvolumes")
        let classes = context.informers.informer("storage.k8s.io", "storageclasses")
        let nodes = context.informers.informer("", "nodes")
        let pods = context.informers.informer("", "pods")
        let (executor, recorder) = try await context.writers("persistent-volume-binder", component: "persistentvolume-controller")
        let sync = VolumeBindingSync()
        /// Events already recorded per object uid, so a claim that waits is not described again on every resync.
        let recorded = Mutex<[String: Set<String>]>([:])

        let claimKeys: ControllerLoop.Keys = { event in
            let claim = event.object
            var keys = [claimPrefix + ObjectCache.key(for: claim)]
            if let volume = claim[path: ["spec", "volumeName"]]?.string, !volume.isEmpty { keys.append(volumePrefix + volume) }
            // A deleted claim releases whichever volume still names it.
            for volume in volumes.cache.list where volume[path: ["spec", "claimRef", "uid"]]?.string == claim.metadata.uid {
                keys.append(volumePrefix + (volume.metadata.name ?? ""))
            }
            return keys
        }
        let volumeKeys: ControllerLoop.Keys = { event in
            let volume = event.object
            var keys = [volumePrefix + (volume.metadata.name ?? "")]
            if let ref = volume[path: ["spec", "claimRef"]], let name = ref["name"]?.string {
                keys.append(claimPrefix + ObjectCache.key(namespace: ref["namespace"]?.string, name: name))
            }
            return keys
        }
        /// A new class or node can unblock every claim that waits.
        let pendingClaims: ControllerLoop.Keys = { _ in
            claims.cache.list.filter { ($0[path: ["spec", "volumeName"]]?.string ?? "").isEmpty }.map { claimPrefix + ObjectCache.key(for: $0) }
        }
        /// A cleanup pod's progress wakes its volume.
        let cleanupPodKeys: ControllerLoop.Keys = { event in
            let pod = event.object
            guard pod.metadata.namespace == LocalPathCleanup.namespace, pod.metadata.labels[LocalPathCleanup.nameLabel] == LocalPathCleanup.labelValue,
                  let volume = pod.metadata.annotations[LocalPathCleanup.volumeAnnotation] else { return [] }
            return [volumePrefix + volume]
        }
        let newNodes: ControllerLoop.Keys = { event in
            if case .added = event { return pendingClaims(event) }
            return []
        }
        let loop = ControllerLoop(name: "persistentvolume-binder",
                                  sources: [(claims, claimKeys), (volumes, volumeKeys), (classes, pendingClaims), (nodes, newNodes),
                                            (pods, cleanupPodKeys)]) { key in
            let plan: VolumeBindingPlan
            let subject: JSONValue
            let kind: ResourceKind
            let nodesByName = Dictionary(nodes.cache.list.compactMap { object in object.metadata.name.map { ($0, object) } },
                                         uniquingKeysWith: { first, _ in first })
            if key.hasPrefix(claimPrefix) {
                guard let claim = claims.cache.get(String(key.dropFirst(claimPrefix.count))) else { return nil }
                let classesByName = Dictionary(classes.cache.list.compactMap { object in object.metadata.name.map { ($0, object) } },
                                               uniquingKeysWith: { first, _ in first })
                plan = sync.syncClaim(claim, volumes: volumes.cache.list, classes: classesByName, nodes: nodesByName)
                (subject, kind) = (claim, .persistentVolumeClaim)
            } else {
                guard let volume = volumes.cache.get(String(key.dropFirst(volumePrefix.count))) else { return nil }
                let helpers = pods.cache.list(namespace: LocalPathCleanup.namespace)
                    .filter { $0.metadata.labels[LocalPathCleanup.nameLabel] == LocalPathCleanup.labelValue }
                plan = sync.syncVolume(volume, claims: claims.cache.list, cleanupPods: helpers, nodes: nodesByName)
                (subject, kind) = (volume, .persistentVolume)
            }
            let uid = subject.metadata.uid ?? ""
            let fresh = recorded.withLock { seen in
                if seen.count > 4096 {
                    let live = Set((claims.cache.list + volumes.cache.list).compactMap { $0.metadata.uid })
                    seen = seen.filter { live.contains($0.key) }
                }
                let new = plan.events.filter { !(seen[uid]?.contains($0.description) ?? false) }
                for event in new { seen[uid, default: []].insert(event.description) }
                return new
            }
            await recorder.record(fresh, about: subject, kind: kind)
            try await executor.execute(plan.actions)
            return nil
        }
        return [loop]
    }
}
