import KubeAPI
import PKI

/// The bootstrap signer's decision (upstream `pkg/controller/bootstrap/bootstrapsigner.go`): the
/// `kube-public/cluster-info` ConfigMap carries one `jws-kubeconfig-<id>` signature of its `kubeconfig` per valid
/// signing token, and none for tokens that are gone, expired or no longer for signing.
public enum ClusterInfoSigning {
    public static let namespace = "kube-public"
    public static let name = "cluster-info"
    public static let signaturePrefix = "jws-kubeconfig-"

    /// The ConfigMap update, or nil when the signatures are current.
    /// - Parameters:
    ///   - configMap: `kube-public/cluster-info`.
    ///   - secrets: the Secrets of kube-system.
    ///   - now: the current time.
    public static func plan(configMap: JSONValue, secrets: [JSONValue], now: KubeTime) throws -> ControllerAction? {
        guard var data = configMap["data"]?.object, let kubeconfig = data["kubeconfig"]?.string else { return nil }
        let before = data
        data = data.filter { !$0.key.hasPrefix(signaturePrefix) }
        for token in secrets.compactMap(BootstrapTokenSecret.init) where token.usages.contains("signing") && !token.isExpired(now: now) {
            data[signaturePrefix + token.id] = .string(try DetachedJWS.sign(kubeconfig, tokenID: token.id, tokenSecret: token.secret))
        }
        guard data != before else { return nil }
        var updated = configMap
        updated["data"] = .object(data)
        return .update(updated)
    }
}
