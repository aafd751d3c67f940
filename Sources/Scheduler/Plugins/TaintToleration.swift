import KubeAPI

/// Taints and tolerations: NoSchedule and NoExecute taints must be tolerated; PreferNoSchedule ones lower the score.
public enum TaintToleration {
    public static func tolerations(_ pod: JSONValue) -> [JSONValue] { pod[path: ["spec", "tolerations"]]?.array ?? [] }

    /// Upstream `ToleratesTaint`.
    public static func tolerates(_ toleration: JSONValue, _ taint: JSONValue) -> Bool {
        let effect = toleration["effect"]?.string ?? ""
        if !effect.isEmpty && effect != (taint["effect"]?.string ?? "") { return false }
        let key = toleration["key"]?.string ?? ""
        let op = toleration["operator"]?.string ?? "Equal"
        if key.isEmpty { return op == "Exists" }
        guard key == taint["key"]?.string else { return false }
        switch op {
        case "Exists": return true
        case "Equal", "": return (toleration["value"]?.string ?? "") == (taint["value"]?.string ?? "")
        default: return false
        }
    }

    public static let filter = FilterPlugin(name: "TaintToleration") { pod, node in
        for taint in node.taints where taint.effect == "NoSchedule" || taint.effect == "NoExecute" {
            if !pod.tolerates(taint) {
                return [FilterFailure("node(s) had untolerated taint {\(taint.key): \(taint.value)}")]
            }
        }
        return []
    }

    /// Fewer intolerable PreferNoSchedule taints score higher.
    public static let score = ScorePlugin(name: "TaintToleration", weight: 3, score: { pod, node in
        let tolerations = pod.tolerations.filter { $0.effect.isEmpty || $0.effect == "PreferNoSchedule" }
        return Int64(node.taints.filter { taint in
            taint.effect == "PreferNoSchedule" && !tolerations.contains { $0.tolerates(taint) }
        }.count)
    }, normalize: { ScorePlugin.normalizeToMax($0, reverse: true) },
       applies: { _, nodes in nodes.contains { $0.taints.contains { $0.effect == "PreferNoSchedule" } } })
}
