import KubeAPI
import KubeClient

/// The `bootstrapsigner` and `tokencleaner` loops (off unless named in `--controllers`, as kubeadm does). The
/// signer re-signs `kube-public/cluster-info` whenever it or a kube-system Secret changes, and again when the next
/// token expires; the cleaner deletes each expired token Secret, coming back for it at its expiration.
enum BootstrapTokenControllers {
    static func signer(_ context: ControllerContext) async throws -> [ControllerLoop] {
        let configMaps = context.informers.informer("", "configmaps")
        let secrets = context.informers.informer("", "secrets")
        let executor = try await context.executor("bootstrap-signer")
        let key = ObjectCache.key(namespace: ClusterInfoSigning.namespace, name: ClusterInfoSigning.name)
        let clusterInfo: ControllerLoop.Keys = { event in event.key == key ? [key] : [] }
        let tokens: ControllerLoop.Keys = { event in event.object.metadata.namespace == BootstrapTokenSecret.namespace ? [key] : [] }
        let loop = ControllerLoop(name: "bootstrapsigner", sources: [(configMaps, clusterInfo), (secrets, tokens)], workers: 1,
                                  initialKeys: [key], requeuing: { key in
            guard let configMap = configMaps.cache.get(key) else { return nil }
            let now = KubeTime.now()
            let kubeSystem = secrets.cache.list(namespace: BootstrapTokenSecret.namespace)
            if let update = try ClusterInfoSigning.plan(configMap: configMap, secrets: kubeSystem, now: now) {
                try await executor.execute(update)
            }
            return nextExpiration(kubeSystem, now: now)
        })
        return [loop]
    }

    static func cleaner(_ context: ControllerContext) async throws -> [ControllerLoop] {
        let secrets = context.informers.informer("", "secrets")
        let executor = try await context.executor("token-cleaner")
        let tokens: ControllerLoop.Keys = { event in
            BootstrapTokenSecret(event.object) == nil ? [] : [event.key]
        }
        let loop = ControllerLoop(name: "tokencleaner", sources: [(secrets, tokens)], requeuing: { key in
            guard let secret = secrets.cache.get(key), !secret.metadata.isBeingDeleted, let token = BootstrapTokenSecret(secret) else { return nil }
            let now = KubeTime.now()
            if token.isExpired(now: now) {
                try await executor.execute(.delete(ObjectRef(secret, kind: ResourceKind("v1", "Secret"))))
                return nil
            }
            return token.expiration.map { .seconds(max(1, $0.seconds - now.seconds)) }
        })
        return [loop]
    }

    /// How long until the next token of these Secrets expires (the signer must drop its signature then).
    static func nextExpiration(_ secrets: [JSONValue], now: KubeTime) -> Duration? {
        let pending = secrets.compactMap(BootstrapTokenSecret.init).compactMap(\.expiration).filter { $0 > now }
        return pending.min().map { .seconds(max(1, $0.seconds - now.seconds)) }
    }
}
